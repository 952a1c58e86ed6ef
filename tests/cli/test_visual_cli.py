"""``shopgen visual``: cut-out, main image, poster and bad input exit codes (fake segmenter)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PIL", reason="pip install 'shopgen[visual]'")
from PIL import Image  # noqa: E402


@pytest.fixture
def photo_dir(shop_env, monkeypatch):
    monkeypatch.setenv("SHOPGEN_VISION_SEGMENTER", "fake")
    im = Image.new("RGB", (300, 200), (240, 240, 240))
    im.paste((200, 60, 30), (100, 40, 200, 180))
    im.save(shop_env / "p.jpg", quality=95)
    return shop_env


def test_cutout_and_main_image(cli, photo_dir):
    code, out, _ = cli("visual", "cutout", str(photo_dir / "p.jpg"), "--out", str(photo_dir / "c.png"), "--json")
    assert code == 0
    info = json.loads(out)
    assert info["bbox"] == [100, 40, 200, 180] and info["model"] == "fake"
    with Image.open(photo_dir / "c.png") as im:
        assert im.mode == "RGBA"
    code, out, _ = cli("visual", "main-image", str(photo_dir / "p.jpg"), "--out", str(photo_dir / "m.png"), "--json")
    assert code == 0 and json.loads(out)["fill"] == pytest.approx(0.8, abs=0.002)


def test_bad_input_exits_2_with_one_line(cli, photo_dir):
    (photo_dir / "bad.jpg").write_bytes(b"garbage")
    code, _, err = cli("visual", "cutout", str(photo_dir / "bad.jpg"), "--out", str(photo_dir / "x.png"))
    assert code == 2 and "not an image" in err and len(err.strip().splitlines()) == 1
    Image.new("RGB", (50, 50), (9, 9, 9)).save(photo_dir / "blank.png")
    code, _, err = cli("visual", "cutout", str(photo_dir / "blank.png"), "--out", str(photo_dir / "x.png"))
    assert code == 2 and "no product detected" in err


def test_poster_writes_png_svg_json(cli, photo_dir):
    from shopgen.core import fonts

    try:
        fonts.cjk_font()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no CJK font: {exc}")
    args = [
        "visual",
        "poster",
        str(photo_dir / "p.jpg"),
        "--format",
        "banner",
        "--title",
        "秋冬新款",
        "--point",
        "保暖",
        "--point",
        "百搭",
        "--out",
        str(photo_dir / "posters"),
        "--keep",
        "2",
    ]
    code, out, _ = cli(*args, "--price", "199", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 2 and all((photo_dir / "posters" / f"banner-{i}.svg").is_file() for i in range(2))
    code, _, err = cli(*args, "--price", "abc")
    assert code == 2 and err.strip().endswith("price: a number such as 69 or 69.90")
