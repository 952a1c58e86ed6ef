import pytest

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.insight import datasets


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_with_review_or_text_column(tmp_path):
    p = write(tmp_path, "a.csv", 'cat,label,review\n书籍,1,很好看\n书籍,0,"太差, 退货"\n')
    assert datasets.read_labelled(p) == (["很好看", "太差, 退货"], [1, 0])
    q = write(tmp_path, "b.csv", "text,label,extra\n不错,1,x\n")
    assert datasets.read_labelled(q) == (["不错"], [1])


def test_jsonl(tmp_path):
    p = write(tmp_path, "a.jsonl", '{"text": "好", "label": 1}\n\n{"text": "差", "label": 0}\n')
    assert datasets.read_labelled(p) == (["好", "差"], [1, 0])


def test_words_from_a_studio_sentiment_export(tmp_path):
    p = write(tmp_path, "a.jsonl", '{"text": "好", "label": "positive"}\n{"text": "差", "label": "negative"}\n')
    assert datasets.read_labelled(p) == (["好", "差"], [1, 0])


def test_malformed_csv_row_names_its_line(tmp_path):
    p = write(tmp_path, "a.csv", "label,review\n1,好\n0,差,多余\n")
    with pytest.raises(ImportFailed, match="a.csv line 3: expected 2 columns, got 3"):
        datasets.read_labelled(p)


def test_multiline_quoted_csv_reports_the_starting_line(tmp_path):
    p = write(tmp_path, "a.csv", 'label,review\n1,"第一行\n第二行"\n2,坏\n')
    with pytest.raises(ImportFailed, match=r"line 4: label must be 0 or 1 \(or positive / negative\), got '2'"):
        datasets.read_labelled(p)


def test_malformed_jsonl_names_its_line(tmp_path):
    p = write(tmp_path, "a.jsonl", '{"text": "好", "label": 1}\n{"text": 差}\n')
    with pytest.raises(ImportFailed, match="a.jsonl line 2: malformed JSON"):
        datasets.read_labelled(p)
    q = write(tmp_path, "b.jsonl", '["not", "an", "object"]\n')
    with pytest.raises(ImportFailed, match="line 1: expected a JSON object"):
        datasets.read_labelled(q)


def test_missing_text_column_and_empty_file(tmp_path):
    with pytest.raises(ImportFailed, match="line 2: no text column"):
        datasets.read_labelled(write(tmp_path, "a.csv", "label,body\n1,好\n"))
    with pytest.raises(ImportFailed, match="the file is empty"):
        datasets.read_labelled(write(tmp_path, "e.csv", ""))
    with pytest.raises(ImportFailed, match="no data rows"):
        datasets.read_labelled(write(tmp_path, "h.csv", "label,text\n"))


def test_unknown_format_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(InvalidInput, match="unknown format '.txt'"):
        list(datasets.iter_records(write(tmp_path, "a.txt", "x")))
    with pytest.raises(InvalidInput, match="no such file"):
        list(datasets.iter_records(tmp_path / "none.csv"))
    bad = tmp_path / "gbk.csv"
    bad.write_bytes("label,text\n1,好评\n".encode("gbk"))
    with pytest.raises(ImportFailed, match="not UTF-8"):
        list(datasets.iter_records(bad))


def test_progress_bar_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    p = write(tmp_path, "big.jsonl", '{"text": "好", "label": 1}\n' * 50)
    assert len(list(datasets.iter_records(p))) == 50
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(datasets.sys.stderr, "isatty", lambda: True, raising=False)
    assert len(list(datasets.iter_records(p))) == 50
    assert "big.jsonl" in capsys.readouterr().err
