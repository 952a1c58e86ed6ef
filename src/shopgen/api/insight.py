"""Review insight under /api/insight (role ``operator``): sentiment and aspects of posted texts,
and the dashboard's alerts and overview over the configured reviews file
(``SHOPGEN_INSIGHT_REVIEWS``; default: the demo shop's reviews).

Scoring is CPU work, so the handlers are plain ``def`` (run in the thread pool); the overview's
slow parts are cached per file content in :mod:`shopgen.insight.overview`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shopgen.http.auth import require
from shopgen.http.deps import RuntimeDep, SessionDep, SettingsDep
from shopgen.insight import aspects, overview, sentiment
from shopgen.insight.sources import alert_log
from shopgen.store.catalog import names_by_sku

router = APIRouter(prefix="/api/insight", tags=["insight"], dependencies=[Depends(require("operator"))])

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Filter = Annotated[str | None, Query(max_length=64)]


class SentimentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[Text] = Field(min_length=1, max_length=1000)


class AspectsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


@router.post("/sentiment")
def score_sentiment(body: SentimentIn, runtime: RuntimeDep) -> list[dict]:
    """``[{label, score, language}]``, one per text, in order (``SHOPGEN_SENTIMENT_MODEL``)."""
    return sentiment.analyze(body.texts, runtime.sentiment())


@router.post("/aspects")
def score_aspects(body: AspectsIn, runtime: RuntimeDep) -> dict:
    return {"aspects": aspects.analyze(body.text, runtime.sentiment("linear"))}


@router.get("/alerts")
def list_alerts(
    settings: SettingsDep, runtime: RuntimeDep, s: SessionDep, product_sku: Filter = None, brand: Filter = None
) -> dict:
    """Alerts from the studio's alert log and from a weekly monitor run over the reviews."""
    analysed = overview.configured(settings, runtime)
    return overview.alerts(analysed, alert_log(settings.data_dir), names_by_sku(s), _clean(product_sku), _clean(brand))


@router.get("/overview")
def get_overview(
    settings: SettingsDep, runtime: RuntimeDep, s: SessionDep, product_sku: Filter = None, brand: Filter = None
) -> dict:
    """Counts, sentiment by week, aspect breakdown and top negative themes."""
    analysed = overview.configured(settings, runtime)
    return overview.overview(analysed, names_by_sku(s), _clean(product_sku), _clean(brand))
