"""Showcase videos (商品展示视频): 9:16 or 16:9 MP4 of 10–30 s from product cut-outs.

Shot list: an intro (title, the product zooming in), one shot per caption (selling points or
the live script's sentences) with a slow pan and zoom (Ken Burns) and, when there are several
views, a turntable that cross-fades between them as the product turns; an outro with the price
and the call to action. Captions are burnt in (wrapped with the kinsoku rules) and written as an
``.srt``; narration comes from the shop's voice (a :class:`shopgen.models.speech.Speaker`), each
shot lasting as long as its sentence. Frames are drawn with Pillow and piped to the ffmpeg that
ships in ``imageio-ffmpeg`` (libx264, yuv420p, AAC audio).
"""

from __future__ import annotations

import math
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.core.lazy import require
from shopgen.visual import colour as col
from shopgen.visual import typography as typo

ASPECTS = {"9:16": (720, 1280), "16:9": (1280, 720)}
MIN_S, MAX_S = 10.0, 30.0
RATE = 22050


@dataclass
class Shot:
    kind: str  # intro | caption | outro
    text: str
    seconds: float
    audio: Path | None = None
    start: float = 0.0


@dataclass
class VideoResult:
    mp4: Path
    srt: Path
    seconds: float
    frames: int
    size: tuple[int, int]
    narrated: bool
    shots: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "mp4": str(self.mp4),
            "srt": str(self.srt),
            "seconds": round(self.seconds, 2),
            "frames": self.frames,
            "size": list(self.size),
            "narrated": self.narrated,
            "shots": self.shots,
        }


def srt_time(t: float) -> str:
    ms = int(round(t * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def write_srt(shots: list[Shot], path: Path) -> None:
    """SubRip subtitles, one cue per shot with text."""
    cues = [s for s in shots if s.text]
    path.write_text(
        "".join(
            f"{i}\n{srt_time(s.start)} --> {srt_time(s.start + s.seconds)}\n{s.text}\n\n" for i, s in enumerate(cues, 1)
        ),
        encoding="utf-8",
    )


def plan(title: str, captions: list[str], price: str | None, cta: str | None, speaker=None) -> list[Shot]:
    """Shots with durations: the narration's length + 0.6 s, at least 2.5 s; the whole stretched to
    10 s when shorter. Raises InvalidInput when it runs over 30 s."""
    captions = [" ".join(c.split()) for c in captions if c and c.strip()]
    if not captions:
        raise InvalidInput("captions: give at least one selling point or script sentence", {"field": "captions"})
    outro = "  ".join(x for x in (f"到手价 ¥{price}" if price else "", cta or "") if x)
    shots = [Shot("intro", title, 2.5)] + [Shot("caption", c, 3.0) for c in captions] + [Shot("outro", outro, 2.5)]
    for s in shots:
        if speaker is not None and s.text:
            speech = speaker.say(s.text)
            s.audio, s.seconds = Path(speech.path), max(2.5, speech.seconds + 0.6)
    total = sum(s.seconds for s in shots)
    if total > MAX_S:
        raise InvalidInput(
            f"captions: the video would run {total:.1f} s, over {MAX_S:.0f} s; use fewer or shorter captions",
            {"field": "captions", "seconds": round(total, 1)},
        )
    if total < MIN_S:
        for s in shots:
            s.seconds *= MIN_S / total
    t = 0.0
    for s in shots:
        s.start, t = t, t + s.seconds
    return shots


def _audio_track(shots: list[Shot], path: Path) -> bool:
    """One mono 16-bit WAV: each shot's narration (resampled to 22.05 kHz) padded with silence."""
    pieces, any_audio = [], False
    for s in shots:
        n = int(round(s.seconds * RATE))
        buf = np.zeros(n, np.int16)
        if s.audio:
            with wave.open(str(s.audio)) as w:
                data = np.frombuffer(w.readframes(w.getnframes()), np.int16)
                if w.getnchannels() > 1:
                    data = data.reshape(-1, w.getnchannels())[:, 0]
                if w.getframerate() != RATE:
                    x = np.linspace(0, len(data) - 1, int(len(data) * RATE / w.getframerate()))
                    data = np.interp(x, np.arange(len(data)), data).astype(np.int16)
            start = int(0.25 * RATE)
            data = data[: max(0, n - start)]
            buf[start : start + len(data)] = data
            any_audio = True
        pieces.append(buf)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.concatenate(pieces).tobytes())
    return any_audio


class _Painter:
    """Draws frames: background, the product with pan/zoom/turn, the caption band."""

    def __init__(self, views, size, pal: dict) -> None:
        from PIL import Image

        self.w, self.h = size
        self.views = [v.convert("RGBA") for v in views]
        top, bottom = col.parse_colour(pal["bg"]), col.parse_colour(pal["bg2"])
        t = np.linspace(0, 1, self.h)[:, None, None]
        g = np.array(top, np.float32) + (np.array(bottom, np.float32) - np.array(top, np.float32)) * t
        self.bg = Image.fromarray(np.broadcast_to(g, (self.h, self.w, 3)).astype(np.uint8), "RGB")
        self.ink, self.accent = col.parse_colour(pal["ink"]), col.parse_colour(pal["accent"])
        self.on_accent = col.parse_colour(pal["on_accent"])
        self._caps: dict[str, object] = {}
        self.band = (0.04 * self.h, 0.96 * self.h)  # where the product may be drawn; see reserve()

    def caption_y(self, shot: Shot, height: int) -> int:
        """Top of a shot's text box: the title at the top, captions and the call to action at the bottom."""
        return int(self.h * 0.06) if shot.kind == "intro" else self.h - height - int(self.h * 0.07)

    def reserve(self, shots: list[Shot]) -> None:
        """Keep the product between the lowest title box and the highest caption box of the whole
        video, so no text ever covers it (a tall product under a two-line title did) and its size
        does not jump between shots."""
        top, bottom = 0.04 * self.h, 0.96 * self.h
        gap = 0.02 * self.h
        for shot in shots:
            if not shot.text:
                continue
            cap = self.caption(shot.text, big=shot.kind != "caption")
            y = self.caption_y(shot, cap.height)
            if shot.kind == "intro":
                top = max(top, y + cap.height + gap)
            else:
                bottom = min(bottom, y - gap)
        self.band = (top, bottom)

    def caption(self, text: str, big: bool = False):
        from PIL import Image, ImageDraw

        key = f"{big}|{text}"
        if key not in self._caps:
            size = int(min(self.w, self.h) * (0.075 if big else 0.05))
            fnt = typo.font(size, True)
            lines = typo.wrap(text, fnt, self.w * 0.82)[:3]
            lh = int(size * 1.35)
            box_h = lh * len(lines) + size
            img = Image.new("RGBA", (self.w, box_h), (0, 0, 0, 0))
            d = ImageDraw.Draw(img)
            d.rounded_rectangle(
                [int(self.w * 0.05), 0, int(self.w * 0.95), box_h], radius=size // 2, fill=(16, 16, 20, 175)
            )
            for i, ln in enumerate(lines):
                d.text((self.w // 2, size // 2 + i * lh), ln, font=fnt, fill=(255, 255, 255), anchor="ma")
            self._caps[key] = img
        return self._caps[key]

    def frame(self, shot: Shot, t: float, index: int):
        from PIL import Image

        im = self.bg.copy()
        p = t / max(shot.seconds, 1e-6)
        view_pos = (index + p) % len(self.views) if len(self.views) > 1 else 0.0
        a = self.views[int(view_pos)]
        turn = (
            abs(math.cos(math.pi * (view_pos % 1))) if len(self.views) > 1 else 1.0 - 0.06 * math.sin(2 * math.pi * p)
        )
        zoom = {"intro": 0.75 + 0.2 * min(1, p * 1.5), "outro": 0.8}.get(shot.kind, 0.9 + 0.1 * p)
        top, bottom = self.band
        tall = min((0.5 if self.h > self.w else 0.62) * self.h, bottom - top)
        s = min(0.86 * self.w / a.width, tall / a.height) * zoom
        nw, nh = max(2, int(a.width * s * max(0.15, turn))), max(2, int(a.height * s))
        prod = a.resize((nw, nh), Image.BILINEAR)
        pan = int((p - 0.5) * 0.06 * self.w) if shot.kind == "caption" else 0
        x = (self.w - nw) // 2 + (pan if index % 2 else -pan)
        y = int((top + bottom) / 2) - nh // 2
        im.paste(prod, (x, y), prod)
        if shot.text:
            cap = self.caption(shot.text, big=shot.kind != "caption")
            cy = self.caption_y(shot, cap.height)
            fade = min(1.0, t / 0.3, (shot.seconds - t) / 0.3 + 0.0001)
            if fade < 1:
                cap = cap.copy()
                cap.putalpha(cap.getchannel("A").point(lambda v, f=fade: int(v * max(0.0, f))))
            im.paste(cap, (0, cy), cap)
        return im


def make_video(
    views,
    *,
    title: str,
    captions: list[str],
    price: str | None,
    cta: str | None,
    out: str | Path,
    aspect: str = "9:16",
    fps: int = 25,
    speaker=None,
    palette: dict | None = None,
) -> VideoResult:
    """Write ``out`` (.mp4) and the ``.srt`` beside it. ``views``: one or more RGBA cut-outs (several
    views make the turntable). Raises InvalidInput for bad arguments, BackendError when ffmpeg fails."""
    if aspect not in ASPECTS:
        raise InvalidInput(f"aspect: {aspect!r}; valid: {', '.join(ASPECTS)}", {"field": "aspect"})
    if not views:
        raise InvalidInput("images: at least one product image is needed", {"field": "images"})
    ffmpeg = require("imageio_ffmpeg", "visual").get_ffmpeg_exe()
    size = ASPECTS[aspect]
    out = Path(out).with_suffix(".mp4")
    out.parent.mkdir(parents=True, exist_ok=True)
    shots = plan(title, captions, price, cta, speaker)
    srt = out.with_suffix(".srt")
    write_srt(shots, srt)
    wav = out.with_suffix(".wav")
    narrated = _audio_track(shots, wav)
    if palette is None:
        from shopgen.visual.poster import design_palette

        palette = design_palette(np.asarray(views[0].convert("RGBA")), "light")
    painter = _Painter(views, size, palette)
    painter.reserve(shots)
    tmp = out.with_name(out.stem + ".part.mp4")
    cmd = [
        ffmpeg,
        "-y",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{size[0]}x{size[1]}",
        "-r",
        str(fps),
        "-i",
        "-",
        "-i",
        str(wav),
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "23",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-shortest",
        "-movflags",
        "+faststart",
        str(tmp),
    ]
    frames = 0
    try:
        with subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            for i, shot in enumerate(shots):
                for k in range(int(round(shot.seconds * fps))):
                    proc.stdin.write(painter.frame(shot, k / fps, i).tobytes())
                    frames += 1
            proc.stdin.close()
            err = proc.stderr.read().decode("utf-8", "replace")
            if proc.wait(timeout=300) != 0:
                raise BackendError(f"ffmpeg failed: {err.strip()[-300:]}")
    except (OSError, subprocess.SubprocessError) as exc:
        tmp.unlink(missing_ok=True)
        raise BackendError(f"ffmpeg failed: {exc}") from exc
    finally:
        wav.unlink(missing_ok=True)
    tmp.replace(out)
    return VideoResult(
        out,
        srt,
        frames / fps,
        frames,
        size,
        narrated,
        [{"kind": s.kind, "text": s.text, "start": round(s.start, 2), "seconds": round(s.seconds, 2)} for s in shots],
    )


def extract_frames(mp4: str | Path, times: list[float], out_dir: str | Path) -> list[Path]:
    """PNG stills at ``times`` (seconds), for checking a video by eye or in tests."""
    ffmpeg = require("imageio_ffmpeg", "visual").get_ffmpeg_exe()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in times:
        p = out_dir / f"{Path(mp4).stem}-{t:05.1f}s.png"
        subprocess.run(
            [ffmpeg, "-y", "-loglevel", "error", "-ss", f"{t}", "-i", str(mp4), "-frames:v", "1", str(p)],
            check=True,
            timeout=60,
        )
        paths.append(p)
    return paths
