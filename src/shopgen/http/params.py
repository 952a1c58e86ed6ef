"""Bounded integer parameters for paths and queries.

An integer a database column cannot hold must be refused as a 422 naming the parameter, not
reach SQLite (``OverflowError``) or PostgreSQL (``integer out of range``) and come back as a 500.
Ids are ``INTEGER`` columns (32-bit in PostgreSQL), so ids, message cursors and offsets stop at
``MAX_INT``; pages where their offset would pass it. Every ``int`` path or query parameter of
the app uses one of these (``tests/api/test_big_numbers.py`` walks the routes to check)::

    @router.get("/products/{product_id}")
    def get_product(product_id: IdPath, ...): ...
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_INT = 2**31 - 1  # PostgreSQL INTEGER; SQLite holds more
MAX_PAGE = 1_000_000

IdPath = Annotated[int, Path(ge=1, le=MAX_INT)]
Cursor = Annotated[int, Query(ge=0, le=MAX_INT, description="the last id seen")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
