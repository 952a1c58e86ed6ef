"""Reading the texts of a labelling task: every bad line named, nothing half-read."""

from __future__ import annotations

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.labelling import kinds, texts


def test_jsonl_csv_and_txt_uploads():
    got = texts.read_upload(
        '{"text": " 尺码偏小 ", "id": 7}\n\n{"text": "发货快"}\n{"text": "尺码偏小"}\n'.encode(), "a.jsonl"
    )
    assert got == [
        texts.Text("尺码偏小", "a.jsonl:7"),
        texts.Text("发货快", "a.jsonl:3"),
    ]  # line numbers count blank lines; the repeat kept once
    got = texts.read_upload('\ufeffid,Text\n1,质量不错\n2,"有逗号，的评论"\n'.encode(), "r.csv")
    assert [t.text for t in got] == ["质量不错", "有逗号，的评论"] and got[0].source == "r.csv:2"
    assert [t.text for t in texts.read_upload("一\n\n二\n".encode(), "x.txt")] == ["一", "二"]


def test_every_bad_line_is_named_with_its_file():
    body = '{"text": "好"}\n{oops\n[1]\n{"text": ""}\n{"txt": "x"}\n'.encode()
    with pytest.raises(InvalidInput) as exc:
        texts.read_upload(body, "/tmp/whatever/c.jsonl")
    assert exc.value.message.startswith("c.jsonl 第 2 行：不是有效的 JSON（第 2 列）；第 3 行：每行应是一个 JSON 对象")
    assert "第 4 行：缺少 text" in exc.value.message and "第 5 行：缺少 text" in exc.value.message
    assert [x["line"] for x in exc.value.detail["lines"]] == [2, 3, 4, 5] and exc.value.detail["field"] == "file"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "e.jsonl", "e.jsonl：没有任何文本"),
        (b"\n\n", "e.txt", "e.txt：没有任何文本"),
        (b"a,b\n1,2\n", "n.csv", "n.csv 第 1 行：表头里没有 text 列"),
        (b"x", "x.xlsx", "文件：x.xlsx 的格式不支持"),
        ("好".encode("gbk"), "g.txt", "文件：g.txt 不是 UTF-8 编码的文本"),
        (("长" * 2001).encode(), "l.txt", "l.txt 第 1 行：文本太长（2001 个字，最多 2000 个）"),
    ],
)
def test_bad_files_say_what_is_wrong(data, name, message):
    with pytest.raises(InvalidInput) as exc:
        texts.read_upload(data, name)
    assert exc.value.message.startswith(message)


def test_too_many_texts(monkeypatch):
    monkeypatch.setattr(texts, "MAX_ITEMS", 2)
    with pytest.raises(InvalidInput, match="有 3 条文本，一个任务最多 2 条"):
        texts.read_upload(b"a\nb\nc\n", "m.txt")


def test_label_sets():
    assert kinds.parse_labels("", ["x", "y"]) == ["x", "y"]
    assert kinds.parse_labels("好评，差评、 中评\n", []) == ["好评", "差评", "中评"]
    for typed, message in [
        ("一", "标签集：至少要有 2 个标签"),
        (",".join(str(i) for i in range(11)), "标签集：最多 10 个标签"),
        ("a,b,a", "标签集：标签“a”重复了"),
    ]:
        with pytest.raises(InvalidInput, match=f"^{message}"):
            kinds.parse_labels(typed, [])
    with pytest.raises(InvalidInput, match="^标注类型：没有“emotion”这种类型，可选 意图（intent）"):
        kinds.check_kind("emotion")
