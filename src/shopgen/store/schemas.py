"""Validated shapes for catalog input and output (pydantic v2).

Every way into the catalog (API, studio form, CSV/JSONL import, demo load) goes through
:class:`ProductIn`, so one set of rules decides what a valid product is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Sku = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Price = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
Status = Literal["active", "draft", "archived"]

CATEGORIES = ("服装", "美妆", "数码", "食品", "家居")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VariantIn(Strict):
    sku: Sku
    color: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    size: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    price: Price | None = None
    stock: Annotated[int, Field(ge=0, le=10_000_000)] = 0


class ImageIn(Strict):
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    alt: Annotated[str, StringConstraints(max_length=200)] = ""


class SizeRowIn(Strict):
    size: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    height: tuple[int, int] | None = None  # cm, inclusive range
    weight: tuple[int, int] | None = None  # kg, inclusive range
    measurements: dict[str, float] = Field(default_factory=dict)

    @field_validator("height", "weight")
    @classmethod
    def _ordered(cls, v):
        if v is not None and not (0 < v[0] <= v[1] < 400):
            raise ValueError("range must be two positive numbers, low then high")
        return v


class SizeChartIn(Strict):
    unit: Literal["cm", "inch"] = "cm"
    rows: list[SizeRowIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_sizes(self):
        sizes = [r.size for r in self.rows]
        if len(set(sizes)) != len(sizes):
            raise ValueError("size chart lists a size twice")
        return self


class ProductIn(Strict):
    sku: Sku
    title: Text200
    category: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    brand: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    price: Price
    status: Status = "active"
    attributes: dict[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)],
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)],
    ] = Field(default_factory=dict)
    variants: list[VariantIn] = Field(default_factory=list)
    images: list[ImageIn] = Field(default_factory=list)
    size_chart: SizeChartIn | None = None

    @model_validator(mode="after")
    def _consistent(self):
        skus = [v.sku for v in self.variants]
        if len(set(skus)) != len(skus):
            raise ValueError("two variants share one SKU")
        combos = [(v.color, v.size) for v in self.variants]
        if len(set(combos)) != len(combos):
            raise ValueError("two variants have the same colour and size")
        if self.size_chart:
            chart_sizes = {r.size for r in self.size_chart.rows}
            missing = sorted({v.size for v in self.variants if v.size} - chart_sizes)
            if missing:
                raise ValueError(f"sizes {missing} are sold but missing from the size chart")
        return self


class ProductPatch(Strict):
    """A partial edit: only the fields given change. Lists, when given, replace the old ones."""

    title: Text200 | None = None
    category: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None = None
    brand: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    price: Price | None = None
    status: Status | None = None
    attributes: dict[str, str] | None = None
    variants: list[VariantIn] | None = None
    images: list[ImageIn] | None = None
    size_chart: SizeChartIn | None = None
