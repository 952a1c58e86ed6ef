"""Main images (the scale rule), scene images (colour and light matching, backends) and videos."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shopgen.core.errors import BackendError, InvalidInput, MissingExtra
from shopgen.core.settings import Settings
from shopgen.visual import video as vid
from shopgen.visual.mainimage import main_image
from shopgen.visual.scene import CompositeScene, SceneSpec, backdrop, create_scene_backend, light_side, match_colour


def test_main_image_scale_rule(product):
    img, p = main_image(product, "1:1")
    assert img.size == (800, 800) and p["fill"] == pytest.approx(0.8, abs=0.002)
    x, y, w, h = p["box"]
    assert h == 640 and x + w / 2 == pytest.approx(400, abs=1)  # tall product: its height is 80% of the canvas
    a = np.asarray(img)
    assert tuple(a[5, 5]) == (255, 255, 255)
    img, p = main_image(product, "3:4", "#f3e9dc", fill=0.75)
    assert img.size == (750, 1000) and p["background"] == "#f3e9dc"
    with pytest.raises(InvalidInput, match="^fill"):
        main_image(product, fill=0.95)
    with pytest.raises(InvalidInput, match="^size"):
        main_image(product, "square")


def test_scene_backdrops_and_matching(product):
    for tex in ("linen", "wood", "marble", "concrete"):
        assert backdrop(SceneSpec("texture", texture=tex), (200, 160)).size == (200, 160)
    with pytest.raises(InvalidInput, match="^texture"):
        backdrop(SceneSpec("texture", texture="velvet"), (100, 100))
    lit_right = np.zeros((10, 20, 3), np.uint8)
    lit_right[:, 10:] = 200
    assert light_side(lit_right) == 1.0 and light_side(lit_right[:, ::-1]) == -1.0
    dark_scene = np.full((8, 8, 3), 30, np.uint8)
    before = np.asarray(product)[..., :3][np.asarray(product)[..., 3] > 128].mean()
    after = np.asarray(match_colour(product, dark_scene))
    assert after[..., :3][after[..., 3] > 128].mean() < before
    out = CompositeScene().render(product, SceneSpec("gradient"), (400, 300))
    assert out.size == (400, 300) and out.mode == "RGB"


def test_scene_backends_by_name():
    assert create_scene_backend(Settings(), "composite").name == "composite"
    with pytest.raises(Exception, match="valid: composite, diffusion"):
        create_scene_backend(Settings(), "magic")


def test_diffusion_backend_fails_clearly_offline(product, tmp_path):
    backend = create_scene_backend(Settings(diffusion_model=str(tmp_path / "missing")), "diffusion")
    assert "Open RAIL" in backend.licence
    with pytest.raises((MissingExtra, BackendError), match="diffusion|inpainting model"):
        backend.render(product, SceneSpec("gradient"), (256, 256))


def test_srt_and_plan():
    assert vid.srt_time(3723.5) == "01:02:03,500"
    shots = vid.plan("标题", ["卖点一"], "99", "立即抢购")
    assert sum(s.seconds for s in shots) == pytest.approx(10.0)
    with pytest.raises(InvalidInput, match="^captions: the video would run"):
        vid.plan("标题", ["卖点"] * 12, "99", None)
    with pytest.raises(InvalidInput, match="^captions"):
        vid.plan("标题", [" "], "99", None)


class ToneSpeaker:
    """A stand-in voice: 1.5 s of a tone per sentence at 16 kHz (the video resamples it)."""

    name = voice = "tone"

    def __init__(self, folder: Path) -> None:
        self.folder, self.n = folder, 0

    def say(self, text: str):
        from shopgen.models.speech.base import Speech

        self.n += 1
        path = self.folder / f"{self.n}.wav"
        t = np.arange(int(1.5 * 16000)) / 16000
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes((np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).tobytes())
        return Speech(path, 1.5, 0.0, "tone", False)


@pytest.mark.usefixtures("cjk")
@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_video_text_never_covers_the_product(aspect):
    """A tall product (raised arms) under a two-line title: the product stays between the text boxes."""
    tall = np.zeros((900, 400, 4), np.uint8)
    tall[..., 0], tall[..., 3] = 230, 255  # a solid red cut-out, three times as tall as wide
    view = Image.fromarray(tall, "RGBA")
    grey = {"bg": "#f4f4f4", "bg2": "#dddddd", "ink": "#222222", "accent": "#2255cc", "on_accent": "#ffffff"}
    painter = vid._Painter([view], vid.ASPECTS[aspect], grey)
    shots = vid.plan(
        "夏日纯棉印花T恤，清爽透气，男女同款基础百搭打底衫", ["100%新疆长绒棉，柔软亲肤"], "79", "立即抢购"
    )
    painter.reserve(shots)
    for i, shot in enumerate(shots):
        cap = painter.caption(shot.text, big=shot.kind != "caption")
        y0 = painter.caption_y(shot, cap.height)
        for t in (0.0, shot.seconds / 2, shot.seconds - 0.04):
            im = np.asarray(painter.frame(shot, t, i).convert("RGB")).astype(int)
            red = (im[..., 0] - im[..., 1]) > 40
            assert red.any()  # the product is in the frame
            assert not red[y0 : y0 + cap.height].any(), (shot.kind, t)


@pytest.mark.usefixtures("cjk")
def test_video_with_narration_subtitles_and_frames(product, tmp_path):
    pytest.importorskip("imageio_ffmpeg", reason="pip install 'shopgen[visual]'")
    r = vid.make_video(
        [product, product.transpose(Image.FLIP_LEFT_RIGHT)],
        title="保湿面霜",
        captions=["神经酰胺修护", "质地轻薄"],
        price="129",
        cta="立即抢购",
        out=tmp_path / "v",
        aspect="16:9",
        fps=10,
        speaker=ToneSpeaker(tmp_path),
    )
    assert r.mp4.is_file() and r.size == (1280, 720) and r.narrated
    assert 10.0 <= r.seconds <= 30.0 and r.frames == sum(round(s["seconds"] * 10) for s in r.shots)
    srt = r.srt.read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,000 --> ") and "神经酰胺修护" in srt and srt.count("-->") == 4
    frame = vid.extract_frames(r.mp4, [3.0], tmp_path)[0]
    with Image.open(frame) as f:
        im = np.asarray(f.convert("RGB"))
    assert im.shape == (720, 1280, 3) and im.std() > 5  # a picture, not a blank frame
    with pytest.raises(InvalidInput, match="^aspect"):
        vid.make_video([product], title="t", captions=["c"], price=None, cta=None, out=tmp_path / "w", aspect="4:3")
