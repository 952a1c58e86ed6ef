"""Draw one product picture per demo SKU (src/shopgen/web/static/demo/products/<SKU>.png) and point
the demo catalog at it. Pictures are simple studio shots drawn with Pillow: the product's shape for
its type, in its first variant's colour, on a light backdrop with a floor shadow, so the visual
studio's cut-out, posters and videos have distinct products to work on.

    python scripts/make_demo_images.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/shopgen/web/static/demo/products"
DATA = ROOT / "src/shopgen/demo/data/products.jsonl"
S = 2  # supersampling
SIZE = 512

COLOURS = {
    "白": (244, 244, 240), "黑": (40, 40, 44), "灰": (150, 152, 156), "浅灰": (196, 198, 200), "花灰": (170, 170, 168),
    "藏青": (36, 52, 92), "米白": (238, 230, 214), "浅蓝": (150, 186, 222), "深蓝": (42, 70, 120), "雾灰蓝": (128, 148, 170),
    "蓝底碎花": (92, 128, 196), "黄底碎花": (236, 200, 96), "燕麦": (214, 196, 168), "酒红": (128, 30, 48), "雾蓝": (120, 150, 184),
    "军绿": (86, 98, 62), "枫叶棕": (150, 66, 44), "正红": (200, 24, 36), "珊瑚橘": (236, 110, 80), "豆沙玫瑰": (184, 108, 110),
    "大地棕": (140, 100, 70), "玫瑰粉": (222, 140, 160), "象牙白": (240, 226, 206), "透明": (210, 220, 228), "星光银": (200, 202, 208),
    "曜石黑": (32, 32, 36), "樱花粉": (240, 186, 196), "深空灰": (90, 92, 98), "白灰": (230, 230, 228), "黑灰": (60, 60, 64),
    "粉": (240, 170, 190), "橄榄绿": (110, 122, 70), "银": (196, 198, 204), "月光白": (236, 236, 232), "雾霾蓝": (130, 150, 170),
    "云白": (246, 246, 244), "深灰": (80, 82, 86), "磨砂灰": (170, 172, 176), "透明白": (224, 228, 232), "月白": (232, 238, 240),
    "青釉": (150, 190, 176), "焦糖": (176, 110, 60), "雾灰": (170, 172, 176), "黑白": (44, 44, 48),
}
DEFAULT = {"MZ-2001": (246, 240, 230), "MZ-2002": (250, 214, 90), "MZ-2004": (226, 240, 236), "MZ-2005": (170, 214, 236),
           "MZ-2006": (236, 220, 232), "MZ-2007": (236, 208, 150), "MZ-2009": (250, 232, 200), "SP-4001": (64, 120, 84),
           "SP-4002": (226, 170, 90), "SP-4003": (96, 64, 44), "SP-4004": (214, 64, 40), "SP-4005": (244, 140, 30),
           "SP-4006": (200, 40, 70), "SP-4007": (236, 226, 200), "SP-4008": (150, 96, 60), "SP-4009": (160, 50, 40),
           "SP-4010": (232, 170, 40), "JJ-5005": (240, 240, 236), "JJ-5007": (240, 236, 228), "JJ-5009": (238, 228, 210)}


def colour_of(p: dict) -> tuple[int, int, int]:
    for v in p.get("variants") or []:
        name = (v.get("color") or "").replace("色", "")
        for key in sorted(COLOURS, key=len, reverse=True):
            if key and key in name:
                return COLOURS[key]
    return DEFAULT.get(p["sku"], (200, 160, 120))


def shade(c, f):
    return tuple(int(max(0, min(255, v * f))) for v in c)


class Canvas:
    def __init__(self, bg):
        n = SIZE * S
        y = np.linspace(0, 1, n)[:, None, None]
        top, bottom = np.array(bg, float), np.array(shade(bg, 0.9), float)
        self.im = Image.fromarray(np.broadcast_to(top + (bottom - top) * y, (n, n, 3)).astype(np.uint8), "RGB")
        self.mask = Image.new("L", (n, n), 0)

    def p(self, pts):
        return [(x * S * SIZE / 100, y * S * SIZE / 100) for x, y in pts]

    def _fill(self, draw_fn, c, light=True):
        n = SIZE * S
        m = Image.new("L", (n, n), 0)
        draw_fn(ImageDraw.Draw(m))
        yy, xx = np.mgrid[0:n, 0:n] / n
        g = (1.08 - 0.22 * (xx * 0.5 + yy)) if light else np.ones((n, n))
        col = np.clip(np.array(c, float)[None, None, :] * g[..., None], 0, 255).astype(np.uint8)
        self.im.paste(Image.fromarray(col, "RGB"), (0, 0), m)
        self.mask.paste(255, (0, 0), m)
        return m

    def poly(self, pts, c, outline=True):
        self._fill(lambda d: d.polygon(self.p(pts), fill=255), c)
        if outline:
            ImageDraw.Draw(self.im).line(self.p(pts + pts[:1]), fill=shade(c, 0.72), width=2 * S)

    def rect(self, x0, y0, x1, y1, c, r=0, outline=True):
        box = self.p([(x0, y0), (x1, y1)])
        self._fill(lambda d: d.rounded_rectangle(box, radius=r * S * SIZE / 100, fill=255), c)
        if outline:
            ImageDraw.Draw(self.im).rounded_rectangle(box, radius=r * S * SIZE / 100, outline=shade(c, 0.72), width=2 * S)

    def ellipse(self, x0, y0, x1, y1, c, outline=True):
        box = self.p([(x0, y0), (x1, y1)])
        self._fill(lambda d: d.ellipse(box, fill=255), c)
        if outline:
            ImageDraw.Draw(self.im).ellipse(box, outline=shade(c, 0.72), width=2 * S)

    def line(self, pts, c, w=1.0):
        ImageDraw.Draw(self.im).line(self.p(pts), fill=c, width=int(w * S * SIZE / 100), joint="curve")

    def text(self, x, y, s, c, size=6):
        try:
            from shopgen.core.fonts import cjk_font

            f = cjk_font(bold=True)
            font = ImageFont.truetype(str(f.path), int(size * S * SIZE / 100), index=f.index)
        except Exception:  # noqa: BLE001 - no CJK font: labels are decoration only
            return
        ImageDraw.Draw(self.im).text(self.p([(x, y)])[0], s, font=font, fill=c, anchor="mm")

    def finish(self, path):
        n = SIZE * S
        shadow = self.mask.resize((n, n // 8)).filter(ImageFilter.GaussianBlur(10 * S))
        box = self.mask.getbbox() or (0, 0, n, n)
        floor = Image.new("L", (n, n), 0)
        floor.paste(shadow.point(lambda v: int(v * 0.35)), (0, box[3] - n // 16))
        base = Image.new("RGB", (n, n), (70, 66, 62))
        out = self.im.copy()
        bgonly = Image.composite(Image.new("RGB", (n, n)), self.im, self.mask)
        shadowed = Image.composite(base, bgonly, floor)
        out = Image.composite(self.im, shadowed, self.mask)
        out.resize((SIZE, SIZE), Image.LANCZOS).save(path, optimize=True)


def top(c, col, kind):
    body = {"tshirt": [(30, 26), (42, 20), (58, 20), (70, 26), (84, 38), (75, 46), (68, 40), (68, 82), (32, 82), (32, 40), (25, 46), (16, 38)],
            "long": [(30, 24), (42, 18), (58, 18), (70, 24), (82, 78), (73, 80), (67, 40), (67, 84), (33, 84), (33, 40), (27, 80), (18, 78)]}
    c.poly(body["tshirt" if kind == "tshirt" else "long"], col)
    if kind == "tshirt":
        c.ellipse(43, 17, 57, 25, shade(col, 0.8))
    elif kind == "shirt":
        c.poly([(42, 18), (50, 30), (44, 32), (39, 22)], shade(col, 1.05)); c.poly([(58, 18), (50, 30), (56, 32), (61, 22)], shade(col, 1.05))
        for y in range(34, 82, 9):
            c.ellipse(49, y, 51.5, y + 2.5, shade(col, 0.7), outline=False)
    elif kind == "cardigan":
        c.poly([(42, 18), (50, 48), (58, 18)], shade(col, 0.75))
        c.line([(50, 48), (50, 84)], shade(col, 0.7), 0.6)
        for y in range(52, 82, 8):
            c.ellipse(51, y, 54, y + 3, shade(col, 0.6), outline=False)
    elif kind == "hoodie":
        c.ellipse(38, 8, 62, 28, shade(col, 0.9)); c.ellipse(43, 13, 57, 26, shade(col, 0.6))
        c.rect(38, 58, 62, 72, shade(col, 0.92), 3); c.line([(46, 26), (45, 40)], (240, 240, 240), 0.6); c.line([(54, 26), (55, 40)], (240, 240, 240), 0.6)
    elif kind == "puffer":
        c.ellipse(38, 8, 62, 28, shade(col, 0.92))
        for y in range(30, 84, 9):
            c.line([(34, y), (66, y)], shade(col, 0.75), 0.5)
        c.line([(50, 22), (50, 84)], shade(col, 0.6), 0.8)
    elif kind == "shell":
        c.ellipse(38, 8, 62, 28, shade(col, 0.9)); c.line([(50, 24), (50, 84)], (30, 30, 30), 0.9)
        c.rect(36, 50, 46, 54, shade(col, 0.8)); c.rect(54, 50, 64, 54, shade(col, 0.8))


def pants(c, col, wide=False):
    d = 8 if wide else 0
    c.poly([(34, 14), (66, 14), (68 + d, 88), (53, 88), (50, 38), (47, 88), (32 - d, 88)], col)
    c.rect(34, 14, 66, 20, shade(col, 0.85))
    if not wide:
        c.line([(38, 22), (42, 34)], shade(col, 1.25), 0.5); c.line([(62, 22), (58, 34)], shade(col, 1.25), 0.5)


def dress(c, col):
    c.poly([(40, 14), (46, 18), (54, 18), (60, 14), (62, 36), (56, 40), (78, 86), (22, 86), (44, 40), (38, 36)], col)
    rng = np.random.default_rng(3)
    for _ in range(40):
        x, y = rng.uniform(32, 68), rng.uniform(44, 82)
        if abs(x - 50) < (y - 40) * 0.6:
            c.ellipse(x, y, x + 2.2, y + 2.2, (250, 250, 250) if sum(col) < 500 else (210, 80, 90), outline=False)
    c.rect(42, 38, 58, 41, shade(col, 0.7))


def shoe(c, col):
    c.poly([(14, 62), (20, 44), (36, 40), (50, 30), (62, 30), (66, 46), (86, 56), (90, 66), (88, 72), (14, 72)], col)
    c.rect(12, 70, 91, 78, (240, 240, 236), 3)
    for x in range(40, 62, 5):
        c.line([(x, 36), (x + 4, 46)], (250, 250, 250), 0.7)


def jar(c, col, label=""):
    c.rect(28, 36, 72, 76, col, 6); c.rect(26, 26, 74, 38, shade(col, 0.85), 3)
    if label:
        c.text(50, 56, label, shade(col, 0.45), 7)


def bottle(c, col, tall=60, label="", pump=False):
    y0 = 88 - tall
    c.rect(34, y0, 66, 88, col, 7); c.rect(43, y0 - 10, 57, y0 + 2, shade(col, 0.8), 2)
    if pump:
        c.rect(46, y0 - 18, 54, y0 - 10, (60, 60, 64)); c.rect(46, y0 - 18, 64, y0 - 14, (60, 60, 64))
    else:
        c.rect(41, y0 - 16, 59, y0 - 9, (250, 250, 250) if sum(col) < 500 else (80, 80, 84), 2)
    c.rect(36, y0 + 16, 64, y0 + 34, (252, 252, 250), 2, outline=False)
    if label:
        c.text(50, y0 + 25, label, (60, 60, 64), 6)


def tube(c, col, label="", x0=30, x1=70, cap=(240, 240, 240)):
    c.poly([(x0, 16), (x1, 16), (x1 - 6, 74), (x0 + 6, 74)], col); c.rect(x0 + 8, 74, x1 - 8, 88, cap, 2)
    if label:
        c.text((x0 + x1) / 2, 42, label, shade(col, 0.4), 6)


def lipstick(c, col):
    c.rect(36, 52, 64, 90, (30, 30, 34), 2); c.rect(38, 42, 62, 54, (212, 176, 90), 1)
    c.poly([(40, 42), (40, 20), (60, 12), (60, 42)], col)


def mask_pack(c, col):
    c.rect(22, 14, 78, 88, col, 3); c.rect(22, 14, 78, 20, shade(col, 0.8))
    c.ellipse(36, 36, 64, 68, (250, 250, 250)); c.text(50, 78, "补水面膜", shade(col, 0.4), 6)


def palette(c, col):
    c.rect(16, 22, 84, 78, (36, 34, 38), 4)
    tones = [shade(col, f) for f in (0.55, 0.7, 0.85, 1.0, 1.1, 1.2, 0.8, 0.95, 1.25)]
    for i, t in enumerate(tones):
        x, y = 22 + (i % 3) * 20, 27 + (i // 3) * 16.5
        c.rect(x, y, x + 16, y + 13, t, 1.5, outline=False)


def cushion(c, col):
    c.ellipse(18, 28, 82, 76, (230, 226, 222)); c.ellipse(26, 34, 74, 68, col); c.ellipse(30, 22, 70, 34, (200, 196, 192))


def earbuds(c, col):
    c.rect(30, 36, 70, 78, col, 14); c.line([(30, 50), (70, 50)], shade(col, 0.8), 0.6); c.ellipse(47, 60, 53, 64, (120, 200, 120), outline=False)
    c.ellipse(18, 20, 32, 34, col); c.rect(22, 30, 28, 50, col, 3)


def slab(c, col, w=34, h=64, r=6, screen=None, leds=False):
    x0, y0 = 50 - w / 2, 52 - h / 2
    c.rect(x0, y0, x0 + w, y0 + h, col, r)
    if screen:
        c.rect(x0 + 3, y0 + 3, x0 + w - 3, y0 + h - 3, screen, r * 0.6, outline=False)
    if leds:
        for i in range(4):
            c.ellipse(x0 + 6 + i * 4, y0 + h - 8, x0 + 8.5 + i * 4, y0 + h - 5.5, (80, 200, 250), outline=False)


def phone_case(c, col):
    slab(c, col, 36, 72, 7); c.rect(37, 20, 51, 36, shade(col, 0.7), 4)
    for x, y in ((40, 23), (45, 28), (40, 30)):
        c.ellipse(x, y, x + 5, y + 5, (30, 30, 34), outline=False)


def watch(c, col):
    c.rect(40, 8, 60, 92, shade(col, 0.8), 4); c.rect(32, 30, 68, 72, col, 9); c.rect(36, 34, 64, 68, (16, 16, 20), 7, outline=False)
    c.text(50, 48, "10:08", (240, 240, 240), 7); c.ellipse(44, 56, 56, 64, (220, 60, 80), outline=False)


def charger(c, col):
    c.rect(30, 30, 70, 82, col, 6); c.rect(38, 18, 42, 31, (190, 190, 196)); c.rect(58, 18, 62, 31, (190, 190, 196))
    for y in (50, 60):
        c.rect(44, y, 56, y + 4, (30, 30, 34), 1, outline=False)
    c.rect(45, 70, 55, 76, (30, 30, 34), 1, outline=False)


def cable(c, col):
    import math

    pts = [(50 + 26 * math.cos(t / 6) * (1 - t / 140), 50 + 22 * math.sin(t / 6) * (1 - t / 140)) for t in range(0, 90)]
    c.line(pts, col, 2.8); c.rect(18, 70, 30, 78, (150, 150, 156), 1.5); c.rect(70, 20, 82, 28, (150, 150, 156), 1.5)
    c.mask.paste(255, (0, 0), Image.new("L", c.mask.size, 0))


def keyboard(c, col):
    c.rect(8, 32, 92, 70, col, 4)
    for r in range(4):
        for k in range(12):
            c.rect(11 + k * 6.7, 35 + r * 8, 16.5 + k * 6.7, 41 + r * 8, shade(col, 0.85 if (r + k) % 5 else 0.6), 1, outline=False)
    c.rect(30, 60, 70, 66, shade(col, 0.85), 1, outline=False)


def mouse(c, col):
    c.ellipse(32, 18, 68, 86, col); c.line([(50, 18), (50, 44)], shade(col, 0.7), 0.6); c.rect(48, 26, 52, 34, (60, 60, 64), 1)


def speaker(c, col):
    c.rect(22, 34, 78, 76, col, 18)
    for x in range(28, 74, 4):
        for y in range(40, 72, 4):
            c.ellipse(x, y, x + 1.6, y + 1.6, shade(col, 0.6), outline=False)
    c.rect(36, 26, 64, 34, shade(col, 0.8), 3)


def ssd(c, col):
    slab(c, col, 40, 60, 5); c.rect(44, 24, 56, 27, (30, 30, 34), 1); c.text(50, 56, "1TB", (220, 220, 224), 7)


def tin(c, col, label):
    c.rect(30, 24, 70, 86, col, 3); c.ellipse(30, 18, 70, 30, shade(col, 1.15)); c.rect(33, 40, 67, 70, (236, 226, 200), 2)
    c.text(50, 55, label, shade(col, 0.6), 9)


def pouch(c, col, label, window=False):
    c.poly([(26, 16), (74, 16), (78, 86), (22, 86)], col); c.rect(26, 16, 74, 22, shade(col, 0.8))
    if window:
        c.rect(38, 52, 62, 76, (200, 170, 120), 3)
    c.text(50, 38, label, (250, 246, 236) if sum(col) < 450 else (60, 40, 30), 8)


def pillow_pack(c, col, label):
    c.rect(14, 26, 86, 76, col, 10); c.rect(20, 34, 80, 68, shade(col, 1.1), 6, outline=False)
    c.text(50, 51, label, (255, 250, 240), 8)


def oranges(c, col):
    for x, y in ((22, 44), (48, 40), (34, 58), (58, 60)):
        c.ellipse(x, y, x + 26, y + 26, col); c.ellipse(x + 11, y + 2, x + 15, y + 6, (80, 120, 50), outline=False)
    c.poly([(55, 40), (66, 30), (70, 34)], (90, 140, 60))


def sack(c, col, label):
    c.poly([(28, 20), (72, 20), (80, 88), (20, 88)], col); c.rect(30, 14, 70, 22, shade(col, 0.8), 2)
    c.rect(32, 40, 68, 70, (120, 150, 80), 3); c.text(50, 55, label, (250, 250, 240), 9)


def cake(c, col):
    c.ellipse(14, 34, 86, 82, (236, 228, 206)); c.ellipse(30, 46, 70, 70, col); c.text(50, 58, "普洱", (250, 240, 220), 8)


def honey(c, col):
    c.rect(30, 34, 70, 86, col, 8); c.rect(34, 24, 66, 36, (200, 150, 60), 2); c.rect(32, 50, 68, 70, (252, 248, 238), 2)
    c.text(50, 60, "蜂蜜", (150, 100, 30), 8)


def thermos(c, col):
    c.rect(36, 22, 64, 90, col, 8); c.rect(37, 12, 63, 24, (190, 190, 196), 4); c.line([(36, 30), (64, 30)], shade(col, 0.7), 0.5)


def bedding(c, col):
    for i, f in enumerate((0.85, 0.95, 1.05)):
        c.rect(18 + i * 2, 60 - i * 16, 82 - i * 2, 78 - i * 16, shade(col, f), 4)
    c.line([(24, 38), (76, 38)], shade(col, 0.8), 0.5)


def lamp(c, col):
    c.ellipse(22, 80, 58, 90, col); c.line([(40, 84), (34, 46), (62, 24)], shade(col, 0.85), 3)
    c.poly([(56, 18), (82, 28), (76, 40), (52, 30)], col)


def box(c, col):
    c.rect(18, 30, 82, 84, col, 4); c.rect(14, 22, 86, 32, shade(col, 0.85), 3)
    c.ellipse(22, 82, 30, 90, (50, 50, 54)); c.ellipse(70, 82, 78, 90, (50, 50, 54)); c.rect(42, 40, 58, 46, shade(col, 0.7), 2)


def pillow(c, col):
    c.poly([(14, 46), (24, 30), (50, 34), (76, 28), (86, 42), (86, 62), (76, 74), (50, 70), (24, 76), (14, 62)], col)
    c.line([(20, 50), (50, 46), (80, 50)], shade(col, 0.85), 0.6)


def dishes(c, col):
    c.ellipse(14, 60, 86, 84, (246, 246, 244)); c.ellipse(20, 64, 80, 80, col)
    c.poly([(30, 40), (70, 40), (64, 62), (36, 62)], (246, 246, 244)); c.line([(32, 46), (68, 46)], col, 1.2)


def towels(c, col):
    for i, t in enumerate(((150, 190, 210), col, (230, 200, 200))):
        c.rect(20, 64 - i * 17, 80, 80 - i * 17, t, 7)
        c.line([(22, 76 - i * 17), (78, 76 - i * 17)], shade(t, 0.8), 0.5)


def beanbag(c, col):
    c.poly([(16, 86), (20, 50), (34, 28), (58, 22), (76, 34), (86, 60), (84, 86)], col)
    c.line([(30, 56), (56, 44), (78, 56)], shade(col, 0.75), 0.7)


def candle(c, col):
    c.rect(32, 36, 68, 86, (220, 232, 236), 3); c.rect(34, 48, 66, 84, col, 2, outline=False)
    c.line([(50, 48), (50, 40)], (40, 40, 40), 0.8); c.ellipse(47, 28, 53, 40, (250, 190, 60), outline=False)
    c.text(50, 68, "SOY", shade(col, 0.5), 6)


def mat(c, col):
    c.poly([(10, 70), (26, 40), (90, 40), (74, 70)], col)
    for i in range(6):
        c.line([(22 + i * 10, 68), (34 + i * 10, 42)], shade(col, 0.88), 0.6)


DRAW = {
    "FZ-1001": lambda c, k: top(c, k, "tshirt"), "FZ-1002": lambda c, k: top(c, k, "puffer"), "FZ-1003": lambda c, k: pants(c, k),
    "FZ-1004": shoe, "FZ-1005": dress, "FZ-1006": lambda c, k: pants(c, k, True), "FZ-1007": lambda c, k: top(c, k, "cardigan"),
    "FZ-1008": lambda c, k: top(c, k, "hoodie"), "FZ-1009": lambda c, k: top(c, k, "shell"), "FZ-1010": lambda c, k: top(c, k, "shirt"),
    "MZ-2001": lambda c, k: jar(c, k, "面霜"), "MZ-2002": lambda c, k: bottle(c, k, 50, "SPF50+"), "MZ-2003": lipstick,
    "MZ-2004": lambda c, k: tube(c, k, "洁面乳"), "MZ-2005": mask_pack, "MZ-2006": lambda c, k: bottle(c, k, 66, "爽肤水"),
    "MZ-2007": lambda c, k: bottle(c, k, 58, "卸妆油", pump=True), "MZ-2008": palette,
    "MZ-2009": lambda c, k: [tube(c, k, "", x0, x0 + 20) for x0 in (18, 40, 62)], "MZ-2010": cushion,
    "SM-3001": earbuds, "SM-3002": lambda c, k: slab(c, k, 38, 62, 6, leds=True), "SM-3003": phone_case, "SM-3004": watch,
    "SM-3005": charger, "SM-3006": cable, "SM-3007": keyboard, "SM-3008": mouse, "SM-3009": speaker,
    "SM-3010": lambda c, k: slab(c, k, 76, 54, 4, screen=(30, 60, 110)), "SM-3011": ssd,
    "SP-4001": lambda c, k: tin(c, k, "龙井"), "SP-4002": lambda c, k: pouch(c, k, "每日坚果", True),
    "SP-4003": lambda c, k: pouch(c, k, "咖啡豆"), "SP-4004": lambda c, k: pillow_pack(c, k, "番茄牛腩面"), "SP-4005": oranges,
    "SP-4006": lambda c, k: pouch(c, k, "牛轧糖", True), "SP-4007": lambda c, k: sack(c, k, "新米"), "SP-4008": cake,
    "SP-4009": lambda c, k: pouch(c, k, "牛肉干", True), "SP-4010": honey,
    "JJ-5001": thermos, "JJ-5002": bedding, "JJ-5003": lamp, "JJ-5004": box, "JJ-5005": pillow, "JJ-5006": dishes,
    "JJ-5007": towels, "JJ-5008": beanbag, "JJ-5009": candle, "JJ-5010": mat,
}
BACKDROPS = [(238, 236, 232), (232, 236, 240), (240, 236, 230), (234, 238, 234)]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = DATA.read_text(encoding="utf-8").splitlines()
    out_lines = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        p = json.loads(line)
        draw = DRAW.get(p["sku"])
        if draw is not None:
            c = Canvas(BACKDROPS[i % len(BACKDROPS)])
            draw(c, colour_of(p))
            c.finish(OUT / f"{p['sku']}.png")
            alt = (p["title"].split(" ")[0])[:20]
            p["images"] = [{"url": f"/static/demo/products/{p['sku']}.png", "alt": alt}]
        out_lines.append(json.dumps(p, ensure_ascii=False, separators=(",", ":")))
    DATA.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    print(f"drew {len(DRAW)} products into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
