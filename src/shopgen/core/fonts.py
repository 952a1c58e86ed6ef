"""Where the installed CJK fonts are, asked of fontconfig (``fc-list``) and the usual folders.

Charts (matplotlib) and rendered images (Pillow) both need a font that has Chinese glyphs.
matplotlib only knows the fonts in its own cache, which may predate the font's installation,
so callers register the files found here instead of trusting that cache.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shopgen.core.errors import BackendError

# preferred families first; Simplified Chinese variants before the others
PREFERRED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
INSTALL_HINT = "install one, e.g. apt-get install fonts-noto-cjk (or pip install noto-cjk-sans-otc)"


@dataclass(frozen=True)
class Font:
    family: str
    path: Path
    index: int = 0  # the face inside a .ttc/.otc collection
    style: str = "Regular"


def _fc_list() -> list[Font]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family", "file", "index", "style"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        # "/path/file.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular:style=Regular:index=2"
        path, _, rest = line.partition(": ")
        fields = rest.split(":")
        families = fields[0].split(",") if fields else []
        attrs = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
        for family in families:
            style = attrs.get("style", "Regular").split(",")[0]
            fonts.append(Font(family.strip(), Path(path), int(attrs.get("index", 0) or 0), style))
    return fonts


def _scan_folders() -> list[Font]:
    """Without fontconfig: Noto/Source Han/WenQuanYi files by name (family guessed from the name)."""
    fonts = []
    for folder in FOLDERS:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            name = path.name.lower()
            if path.suffix.lower() not in {".ttc", ".otc", ".ttf", ".otf"}:
                continue
            if "notosanscjk" in name and "regular" in name:
                fonts.append(Font("Noto Sans CJK SC", path, 2 if path.suffix.lower() in {".ttc", ".otc"} else 0))
            elif "notoserifcjk" in name and "regular" in name:
                fonts.append(Font("Noto Serif CJK SC", path, 2 if path.suffix.lower() in {".ttc", ".otc"} else 0))
            elif "wqy-zenhei" in name:
                fonts.append(Font("WenQuanYi Zen Hei", path))
    return fonts


@lru_cache(maxsize=1)
def installed() -> tuple[Font, ...]:
    """Every installed font face that covers Chinese, in no particular order."""
    return tuple(_fc_list() or _scan_folders())


def cjk_font(serif: bool = False, bold: bool = False) -> Font:
    """The preferred installed CJK face. Raises BackendError naming the package to install."""
    fonts = installed()
    want_style = "Bold" if bold else "Regular"
    order = sorted(PREFERRED, key=lambda f: ("Serif" in f) != serif)
    for family in order:
        faces = [f for f in fonts if f.family == family]
        if faces:
            exact = [f for f in faces if f.style == want_style]
            return (exact or faces)[0]
    if fonts:
        return fonts[0]
    raise BackendError(f"no CJK font found; {INSTALL_HINT}")
