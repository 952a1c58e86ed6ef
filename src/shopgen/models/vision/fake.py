"""A deterministic segmenter for unit tests (selected by name, never a fallback): foreground is
every pixel whose colour differs from the image's border colour by more than a threshold."""

from __future__ import annotations

import numpy as np

from shopgen.models.vision.base import segmenters


class FakeSegmenter:
    name = "fake"
    size_bytes = 0
    licence = "n/a (test double)"

    def __init__(self, threshold: float = 40.0) -> None:
        self.threshold = threshold

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        img = rgb.astype(np.float32)
        border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
        bg = np.median(border, axis=0)
        dist = np.sqrt(((img - bg) ** 2).sum(axis=2))
        return (dist > self.threshold).astype(np.float32)


@segmenters.register("fake")
def _fake(settings) -> FakeSegmenter:
    return FakeSegmenter()
