"""FID, KID, IS and FVD maths against reference implementations and known answers."""

from __future__ import annotations

import numpy as np
import pytest

from shopgen.metrics import image as im


def _cov(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T + 0.1 * np.eye(d)


def test_trace_sqrt_product_matches_scipy_sqrtm():
    linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(1)
    for d in (1, 3, 16, 64):
        s1, s2 = _cov(rng, d), _cov(rng, d)
        ref = np.trace(linalg.sqrtm(s1 @ s2)).real
        assert im.trace_sqrt_product(s1, s2) == pytest.approx(ref, rel=1e-7)


def test_frechet_distance_known_answers():
    # 1-D: N(0, 1) vs N(1, 4): (0-1)^2 + 1 + 4 - 2*sqrt(1*4) = 2
    assert im.frechet_distance([0.0], [[1.0]], [1.0], [[4.0]]) == pytest.approx(2.0)
    # commuting covariances: diag(1, 9) vs diag(4, 1): 0 + 10 + 5 - 2*(2 + 3) = 5
    assert im.frechet_distance([0, 0], np.diag([1.0, 9.0]), [0, 0], np.diag([4.0, 1.0])) == pytest.approx(5.0)
    rng = np.random.default_rng(2)
    s = _cov(rng, 8)
    assert im.frechet_distance(np.zeros(8), s, np.zeros(8), s) == pytest.approx(0.0, abs=1e-7)


def test_fid_on_samples_from_known_gaussians():
    linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(3)
    a = rng.normal(0, 1, size=(20000, 4))
    b = rng.normal(0.5, 2, size=(20000, 4))
    # exact: 4*0.25 + 4 + 16 - 2*4*2 = 5
    assert im.fid(a, b) == pytest.approx(5.0, rel=0.03)
    mu1, s1 = im.gaussian(a)
    mu2, s2 = im.gaussian(b)
    ref = ((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * linalg.sqrtm(s1 @ s2).real)
    assert im.fid(a, b) == pytest.approx(ref, rel=1e-8)
    assert im.fvd(a, b) == im.fid(a, b)


def test_kid_is_near_zero_for_one_distribution_and_positive_for_two():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(400, 16)), rng.normal(size=(400, 16))
    same, _ = im.kid(a, b, subsets=20, subset_size=200)
    diff, std = im.kid(a, b + 0.5, subsets=20, subset_size=200)
    assert abs(same) < 0.01 and diff > 0.05 and std >= 0


def test_kid_matches_a_direct_unbiased_mmd():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(30, 5)), rng.normal(1, 1, size=(30, 5))
    k = lambda a, b: (a @ b.T / 5 + 1) ** 3  # noqa: E731
    m = 30
    ref = (
        (k(x, x).sum() - np.trace(k(x, x))) / (m * (m - 1))
        + (k(y, y).sum() - np.trace(k(y, y))) / (m * (m - 1))
        - 2 * k(x, y).mean()
    )
    mean, std = im.kid(x, y, subsets=3, subset_size=30)
    assert mean == pytest.approx(ref) and std == pytest.approx(0.0, abs=1e-12)


def test_inception_score_bounds():
    uniform = np.full((100, 10), 0.1)
    assert im.inception_score(uniform, splits=5)[0] == pytest.approx(1.0)
    onehot = np.eye(10)[np.arange(100) % 10]
    assert im.inception_score(onehot, splits=5)[0] == pytest.approx(10.0, rel=1e-6)
    with pytest.raises(ValueError):
        im.inception_score(np.ones((4, 3)))
