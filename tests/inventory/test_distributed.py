"""Many series on a local Ray instance give the same forecasts as the local engine."""

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.inventory import distributed
from shopgen.inventory import panel as P
from tests.inventory.conftest import weekly_rows

pytest.importorskip("statsforecast", reason="needs shopgen[forecast]")


def test_unknown_engine():
    pn = P.build(weekly_rows(), "W")
    with pytest.raises(InvalidInput, match="valid engines: local, ray"):
        distributed.forecast(pn, 4, ["naive"], engine_name="spark")


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::FutureWarning")
def test_ray_matches_local():
    pytest.importorskip("ray", reason="pip install 'shopgen[ray]'")
    pn = P.build(weekly_rows(skus=("A", "B", "C", "D")), "W", h=4)
    local = distributed.forecast(pn, 4, ["ets"], engine_name="local", chunks=2)
    ray = distributed.forecast(pn, 4, ["ets"], engine_name="ray", chunks=2)
    assert (local["series"], ray["series"], ray["engine"], ray["chunks"]) == (4, 4, "ray", 2)
    a = local["forecasts"]["ets"].sort_values(["unique_id", "ds"]).reset_index(drop=True)
    b = ray["forecasts"]["ets"].sort_values(["unique_id", "ds"]).reset_index(drop=True)
    assert a[["unique_id", "ds"]].equals(b[["unique_id", "ds"]])
    assert (a["yhat"] - b["yhat"]).abs().max() < 1e-9 and (a["hi"] - b["hi"]).abs().max() < 1e-9
