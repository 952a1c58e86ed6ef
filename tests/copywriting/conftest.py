import json
from pathlib import Path

from tests.cli.conftest import cli, shop_env  # noqa: F401  (fixtures shared with tests/cli)
from tests.shared_data import shared_path

PRODUCTS = Path(__file__).parents[2] / "src/shopgen/demo/data/products.jsonl"

TEE = [
    ("类型", "T恤"),
    ("颜色", "白色"),
    ("颜色", "黑色"),
    ("材质", "100%棉"),
    ("尺码", "M"),
    ("尺码", "L"),
    ("价格", "69元"),
]
# a faithful 100-character description of TEE
GOOD = (
    "这款T恤采用纯棉面料，柔软透气，贴身穿也很舒服。白色和黑色两种颜色都很百搭，日常通勤和周末出游都合适。"
    "领口做了加固处理，多次洗涤后不易变形。M码和L码可选，到手价69元，是夏天衣橱里的实用单品。"
)


def dev_rows(n: int | None = None) -> list[dict]:
    with shared_path("advertisegen/dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return rows[:n] if n else rows


def demo_product(sku: str) -> dict:
    for line in PRODUCTS.read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        if p["sku"] == sku:
            return p
    raise KeyError(sku)


def write_pairs(path: Path, pairs: list[tuple[str, str]]) -> Path:
    path.write_text(
        "".join(json.dumps({"content": c, "summary": s}, ensure_ascii=False) + "\n" for c, s in pairs), encoding="utf-8"
    )
    return path
