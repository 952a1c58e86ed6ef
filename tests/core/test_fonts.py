import shutil

import pytest

from shopgen.core import fonts
from shopgen.core.errors import BackendError
from tests.conftest import need


def _need_cjk():
    need("fonts", shutil.which("fc-list") is not None and bool(fonts._fc_list()), "no CJK font installed")


def test_fontconfig_finds_an_installed_cjk_face():
    _need_cjk()
    font = fonts.cjk_font()
    assert font.path.is_file() and ("CJK" in font.family or "Hei" in font.family)


def test_no_cjk_font_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.setattr(fonts, "FOLDERS", (tmp_path,))
    fonts.installed.cache_clear()
    try:
        with pytest.raises(BackendError, match="fonts-noto-cjk"):
            fonts.cjk_font()
    finally:
        fonts.installed.cache_clear()


def test_a_stale_matplotlib_cache_still_gets_the_font(monkeypatch):
    """matplotlib's cache built before the font was installed: the font is registered from its file."""
    _need_cjk()
    fm = pytest.importorskip("matplotlib.font_manager")
    from shopgen.insight import charts

    stale = [f for f in fm.fontManager.ttflist if "CJK" not in f.name and "Hei" not in f.name]
    monkeypatch.setattr(fm.fontManager, "ttflist", stale)
    charts.cjk_font.cache_clear()
    try:
        family = charts.cjk_font()
        assert family in {f.name for f in fm.fontManager.ttflist}
        path = fm.findfont(fm.FontProperties(family=family), fallback_to_default=False)
        assert path == str(fonts.cjk_font().path)
    finally:
        charts.cjk_font.cache_clear()
