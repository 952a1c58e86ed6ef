"""What a segmentation/matting model is: a :class:`Segmenter` that maps an RGB image to a soft
foreground mask of the same size, values in [0, 1]."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from shopgen.core.registry import Registry


class Segmenter(Protocol):
    name: str
    size_bytes: int  # of the weights on disk (0 for models without weights)
    licence: str

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        """``rgb``: H×W×3 uint8. Returns an H×W float32 mask in [0, 1] (1 = foreground)."""
        ...


segmenters: Registry[Segmenter] = Registry("segmenter")
