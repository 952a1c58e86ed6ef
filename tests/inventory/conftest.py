import math
import random
from datetime import date, timedelta

import pytest

from shopgen.inventory.history import SaleRow


def weekly_rows(skus=("A", "B", "C"), weeks=60, start=date(2025, 1, 6), seed=3, zero_share=0.0):
    rng = random.Random(seed)
    rows = []
    for j, sku in enumerate(skus):
        level = 20 + 15 * j
        for w in range(weeks):
            y = level * (1 + 0.3 * math.sin(2 * math.pi * w / 13)) + rng.gauss(0, 2)
            if rng.random() < zero_share:
                y = 0
            rows.append(SaleRow(sku, start + timedelta(weeks=w), max(0.0, round(y)), price=10.0))
    return rows


@pytest.fixture
def weekly():
    return weekly_rows()
