"""货·场 visual studio: cut-outs, main images, scene images, posters and banners, showcase videos.

Modules: ``images`` (safe decoding), ``cutout`` + ``alpha`` (background removal), ``evaluate``
(cut-out quality), ``mainimage`` and ``scene`` (main and scene images), ``typography``,
``layout``, ``render``, ``score`` and ``poster`` (designs), ``video`` (showcase videos),
``batch`` (catalog jobs), ``service`` (what the API and studio call). Pillow, onnxruntime and
scipy come with ``pip install 'shopgen[visual]'``.
"""
