"""The cleaning pipeline end to end on files: what is removed and why, what is written."""

import csv
import json

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.dataprep import Options, clean_file, prepare
from shopgen.dataprep.records import detect_text_fields, read
from tests.dataprep.conftest import write_jsonl


def test_report_counts_every_reason_with_examples(labelled, tmp_path):
    out = tmp_path / "clean.jsonl"
    r = clean_file(labelled, out, Options(min_chars=2, t2s=True))
    assert r["rows_in"] == 10 and r["rows_out"] == 3
    assert r["removed"] == {
        "empty": 1,
        "too_short": 1,
        "not_chinese": 1,
        "duplicate": 1,
        "near_duplicate": 1,
        "label_conflict": 2,
    }
    assert r["duplicates"] == {"exact": 2, "near": 1, "groups": 3}
    assert r["examples"]["duplicate"] == [
        {"line": 2, "text": "衣服质量很好，穿着舒服，会回购！", "of_line": 1, "similarity": 1.0}
    ]
    (near,) = r["examples"]["near_duplicate"]
    assert (near["line"], near["of_line"]) == (4, 3) and 0.8 <= near["similarity"] < 1
    assert r["conflicts"]["groups"] == 1 and r["conflicts"]["examples"][0]["lines"] == [5, 6]
    assert r["conflicts"]["examples"][0]["labels"] == ["positive", "negative"]
    assert r["changed"] == {"normalised": 2, "simplified": 1, "masked": 1}
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the duplicates, the conflicting pair and the filtered rows are gone; the rest is standardised
    assert kept == [
        {"text": "衣服质量很好，穿着舒服，会回购", "label": "positive"},
        {"text": "鞋子尺码偏小，退货还要自己出运费，很失望", "label": "negative"},
        {"text": "收到了，联系我 [手机号]，这件衣服质量很好", "label": "positive", "id": 10},
    ]


def test_conflict_policies_change_what_survives(labelled):
    table = read(labelled)
    assert prepare(table, Options(conflicts="keep")).fate[4:6] == ["keep", "keep"]
    assert prepare(table, Options(conflicts="drop")).fate[4:6] == ["label_conflict", "label_conflict"]


def test_without_labels_duplicates_are_just_duplicates(tmp_path):
    p = write_jsonl(
        tmp_path / "kb.jsonl", [{"_id": "a", "text": "花呗怎么还款"}, {"_id": "b", "text": "花呗怎么还款？"}]
    )
    r = prepare(read(p), Options()).report
    assert r["label_field"] is None and r["removed"] == {"duplicate": 1} and r["conflicts"]["groups"] == 0


def test_no_masking_and_length_limits(labelled):
    prep = prepare(read(labelled), Options(mask=False, max_chars=15))
    assert "13812345678" in prep.texts[9][0]
    assert prep.fate[9] == "too_long" and prep.report["removed"]["too_long"] == 7


def test_text_fields_are_detected_for_the_project_shapes(tmp_path):
    faq = write_jsonl(tmp_path / "faq.jsonl", [{"id": 1, "question": "几天发货", "answer": "48小时内发货"}])
    adgen = write_jsonl(tmp_path / "ad.jsonl", [{"content": "类型#裤*风格#简约", "summary": "简约的阔腿裤"}])
    assert detect_text_fields(read(faq), None, None) == ["question", "answer"]
    assert detect_text_fields(read(adgen), None, None) == ["content", "summary"]
    other = write_jsonl(
        tmp_path / "o.jsonl", [{"sku": "A1", "cat": "鞋", "remark": f"第{i}条备注，鞋子很好穿"} for i in range(20)]
    )
    assert detect_text_fields(read(other), None, None) == ["remark"]


def test_csv_with_header_keeps_its_columns(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text('cat,label,review\n水果,1,好吃\n水果,1,好吃！\n书籍,0,"纸张很差,有异味"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    r = clean_file(p, out, Options())
    assert r["text_fields"] == ["review"] and r["label_field"] == "label" and r["removed"] == {"duplicate": 1}
    with out.open(encoding="utf-8") as f:
        written = list(csv.reader(f))
    assert written == [
        ["cat", "label", "review"],
        ["水果", "1", "好吃"],
        ["书籍", "0", "纸张很差，有异味"],
    ]
    r = clean_file(p, tmp_path / "out.jsonl", Options())
    first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first == {"cat": "水果", "label": "1", "review": "好吃"}


def test_headerless_tsv_pairs_like_atec(tmp_path):
    p = tmp_path / "pairs.csv"
    p.write_text(
        "\ufeff1\t\ufeff怎么更改花呗手机号码\t花呗手机号怎么改\t1\n2\t花呗怎么还款\t借呗怎么还\t0\n"
        "3\t花呗怎么还款\t借呗怎么还\t1\n",
        encoding="utf-8",
    )
    prep = prepare(read(p), Options(fields=["col2", "col3"], label_field="col4"))
    assert prep.table.columns == ["col1", "col2", "col3", "col4"] and not prep.table.header
    assert prep.texts[0] == ["怎么更改花呗手机号码", "花呗手机号怎么改"]
    assert prep.report["conflicts"]["examples"][0]["lines"] == [2, 3]
    out = tmp_path / "o.tsv"
    clean_file(p, out, Options(fields=["col2", "col3"], label_field="col4"))
    assert out.read_text(encoding="utf-8") == "1\t怎么更改花呗手机号码\t花呗手机号怎么改\t1\n"


def test_unknown_label_names_file_and_line(labelled):
    with pytest.raises(InvalidInput, match=r"^reviews.jsonl line 1: unknown label 'positive' \(allowed: pos, neg\)$"):
        prepare(read(labelled), Options(labels=["pos", "neg"]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "好", "label": "a"}\n{"text": oops}\n', "bad.jsonl line 2: not valid JSON"),
        ('{"text": "好", "label": "a"}\n{"text": 5, "label": "b"}\n', "bad.jsonl line 2: 'text' must be a string"),
        ('{"text": "好", "label": "a"}\n\n{"text": "好"}\n', "bad.jsonl line 3: 'label' must be a non-empty"),
        ("[1, 2]\n", "bad.jsonl line 1: each line must be a JSON object"),
    ],
)
def test_bad_jsonl_lines_are_named(tmp_path, content, message):
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InvalidInput) as e:
        clean_file(p, out, Options())
    assert e.value.message.startswith(message)
    assert not out.exists() and list(tmp_path.iterdir()) == [p]  # nothing half-written


def test_bad_csv_rows_and_missing_or_empty_files(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("cat,label,review\n水果,1,好吃\n水果,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^r.csv line 3: 2 fields, the file has 3$"):
        read(p)
    with pytest.raises(InvalidInput, match=r"nope.csv: no such file$"):
        read(tmp_path / "nope.csv")
    (tmp_path / "e.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^e.jsonl: no rows$"):
        read(tmp_path / "e.jsonl")
    ok = tmp_path / "ok.csv"
    ok.write_text("cat,label,review\n水果,1,好吃\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^ok.csv: no field 'body' \(fields: cat, label, review\)$"):
        prepare(read(ok), Options(fields=["body"]))


def test_a_failed_run_leaves_an_existing_output_alone(tmp_path, labelled):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        clean_file(labelled, out, Options(labels=["x"]))
    assert out.read_text(encoding="utf-8") == "old\n"
    with pytest.raises(InvalidInput, match="must not be the input file"):
        clean_file(labelled, labelled, Options())


def test_addresses_are_masked_only_on_request(tmp_path):
    text = "酒店在南京路步行街旁边，寄到浙江省杭州市西湖区文三路90号3栋201室，电话13812345678"
    p = write_jsonl(tmp_path / "a.jsonl", [{"text": text}])
    assert prepare(read(p), Options()).texts[0] == [
        "酒店在南京路步行街旁边，寄到浙江省杭州市西湖区文三路90号3栋201室，电话[手机号]"
    ]
    everything = prepare(read(p), Options(mask_kinds=["address", "mobile"])).texts[0][0]
    assert "[地址]" in everything and "文三路" not in everything and "[手机号]" in everything
    with pytest.raises(InvalidInput, match=r"unknown --mask-kinds 'phone' \(kinds: order, email"):
        prepare(read(p), Options(mask_kinds=["phone"]))
