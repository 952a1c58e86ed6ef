"""Image and video generation metrics: FID, KID, Inception Score and FVD, on features from a pinned
extractor.

The maths are here and take features (numpy arrays); the networks that make features sit behind
:class:`FeatureExtractor` (``shopgen.models.vision.features``: the standard Inception-v3 through
torch-fidelity when its weights can be downloaded, and an offline u2netp-encoder extractor whose
figures are internal only). A figure is only comparable with another made by the same extractor
(``name`` and ``pinned`` say which), image size and sample count.

- FID (Heusel et al. 2017): ‖μ₁−μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁Σ₂)^½, with tr (Σ₁Σ₂)^½ computed
  as Σ √λ of Σ₁^½ Σ₂ Σ₁^½ (symmetric, so an eigen-decomposition, no complex square root);
  checked against ``scipy.linalg.sqrtm`` in the tests.
- KID (Bińkowski et al. 2018): unbiased MMD² with the kernel (x·y/d + 1)³, mean and std over
  random subsets (torch-fidelity's defaults: 100 subsets of 1000).
- IS (Salimans et al. 2016): exp E[KL(p(y|x) ‖ p(y))] over ``splits`` splits, mean and std.
- FVD (Unterthiner et al. 2018): the Fréchet distance on video features (I3D in the paper).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class FeatureExtractor(Protocol):
    name: str
    pinned: str  # weights and preprocessing, e.g. "inception-v3-compat (pt_inception-2015-12-05), 299 px bilinear"
    dim: int

    def features(self, images: np.ndarray) -> np.ndarray:
        """``images``: N×H×W×3 uint8 → N×dim float64."""
        ...


class ClassifierExtractor(FeatureExtractor, Protocol):
    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """N×C class probabilities (rows sum to 1), for the Inception Score."""
        ...


def gaussian(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    f = np.asarray(features, np.float64)
    if f.ndim != 2 or len(f) < 2:
        raise ValueError("features must be N×D with N ≥ 2")
    return f.mean(axis=0), np.cov(f, rowvar=False)


def _sqrt_psd(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def trace_sqrt_product(s1: np.ndarray, s2: np.ndarray) -> float:
    """tr (Σ₁Σ₂)^½ for covariance matrices (symmetric positive semi-definite)."""
    r = _sqrt_psd(s1)
    w = np.linalg.eigvalsh(r @ s2 @ r)
    return float(np.sqrt(np.clip(w, 0, None)).sum())


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    mu1, mu2 = np.atleast_1d(mu1).astype(np.float64), np.atleast_1d(mu2).astype(np.float64)
    s1, s2 = np.atleast_2d(sigma1).astype(np.float64), np.atleast_2d(sigma2).astype(np.float64)
    if mu1.shape != mu2.shape or s1.shape != s2.shape or s1.shape != (len(mu1), len(mu1)):
        raise ValueError("mismatched means/covariances")
    d = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt_product(s1, s2))
    return max(d, 0.0)


def fid(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between the Gaussians fitted to two feature sets."""
    return frechet_distance(*gaussian(features_a), *gaussian(features_b))


def fvd(video_features_a: np.ndarray, video_features_b: np.ndarray) -> float:
    """Fréchet Video Distance: the same distance on per-video features (one row per clip)."""
    return fid(video_features_a, video_features_b)


def _mmd2_unbiased(x: np.ndarray, y: np.ndarray, degree: int, gamma: float, coef0: float) -> float:
    kxx = (x @ x.T * gamma + coef0) ** degree
    kyy = (y @ y.T * gamma + coef0) ** degree
    kxy = (x @ y.T * gamma + coef0) ** degree
    m, n = len(x), len(y)
    return float(
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean()
    )


def kid(
    features_a,
    features_b,
    *,
    subsets: int = 100,
    subset_size: int = 1000,
    degree: int = 3,
    gamma: float | None = None,
    coef0: float = 1.0,
    seed: int = 0,
) -> tuple[float, float]:
    """Kernel Inception Distance: (mean, std) of the unbiased MMD² over random subsets."""
    a, b = np.asarray(features_a, np.float64), np.asarray(features_b, np.float64)
    size = min(subset_size, len(a), len(b))
    if size < 2:
        raise ValueError("KID needs at least 2 samples on each side")
    gamma = 1.0 / a.shape[1] if gamma is None else gamma
    rng = np.random.default_rng(seed)
    vals = [
        _mmd2_unbiased(
            a[rng.choice(len(a), size, replace=False)], b[rng.choice(len(b), size, replace=False)], degree, gamma, coef0
        )
        for _ in range(subsets)
    ]
    return float(np.mean(vals)), float(np.std(vals))


def inception_score(probabilities: np.ndarray, splits: int = 10) -> tuple[float, float]:
    """(mean, std) of exp E_x KL(p(y|x) ‖ p(y)) over ``splits`` equal splits."""
    p = np.asarray(probabilities, np.float64)
    if p.ndim != 2 or not np.allclose(p.sum(axis=1), 1, atol=1e-4):
        raise ValueError("probabilities must be N×C with rows summing to 1")
    scores = []
    for part in np.array_split(p, splits):
        py = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(np.clip(part, 1e-12, None)) - np.log(np.clip(py, 1e-12, None)))).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))
