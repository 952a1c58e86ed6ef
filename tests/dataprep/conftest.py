"""Small files in the shapes data preparation meets: labelled JSONL, FAQ, CSV with and without header."""

import json

import pytest

from tests.cli.conftest import cli, shop_env  # noqa: F401  (the in-process CLI fixtures)


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path):
    rows = [
        {"text": "衣服质量很好，穿着舒服，会回购", "label": "positive"},  # 1
        {"text": "衣服质量很好,穿着舒服,会回购！", "label": "positive"},  # 2 exact duplicate of 1
        {"text": "鞋子尺码偏小，退货还要自己出运费，很失望", "label": "negative"},  # 3
        {"text": "鞋子尺码偏小，退货还要自己出运费，很失望啊", "label": "negative"},  # 4 near duplicate of 3
        {"text": "物流很快，包装完好，和描述的一样", "label": "positive"},  # 5
        {"text": "物流很快，包装完好，和描述的一样", "label": "negative"},  # 6 conflict with 5
        {"text": "好", "label": "positive"},  # 7 too short with --min-chars 2
        {"text": "Great product, fast shipping!", "label": "positive"},  # 8 not Chinese
        {"text": "<p>&nbsp;</p>", "label": "negative"},  # 9 empty after cleaning
        {"text": "收到了，联系我 13812345678，这件衣服質量很好", "label": "positive", "id": 10},  # 10 masked, t2s
    ]
    return write_jsonl(tmp_path / "reviews.jsonl", rows)
