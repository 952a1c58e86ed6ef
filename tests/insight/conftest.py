"""Fixtures for insight tests: the shared review data (skipped with a reason when absent)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from tests.shared_data import shared_path

DATA = Path(__file__).resolve().parent / "data"


def shared_split(split: str) -> Path:
    return shared_path(f"reviews/online_shopping_10_cats.{split}.csv")


def sample_rows(split: str, n: int, seed: int = 11) -> list[dict]:
    with open(shared_split(split), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return random.Random(seed).sample(rows, n)


POSITIVE = [
    "质量很好，非常满意，下次还会再来",
    "物流很快，包装完好，好评",
    "东西不错，性价比很高，推荐购买",
    "穿着很舒服，颜色也好看，很喜欢",
    "客服态度很好，耐心解答问题",
    "味道很好，家里人都爱吃",
]
NEGATIVE = [
    "质量太差了，我要退货",
    "收到就是坏的，非常失望，差评",
    "客服态度恶劣，再也不买了",
    "做工粗糙，线头很多，根本没法穿",
    "物流太慢了，等了半个月，垃圾",
    "用了两天就坏了，假货，退款",
]
