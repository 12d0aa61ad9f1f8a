"""Metrics against scikit-learn, the MAE loss gradient against finite differences, and the data sets."""

import numpy as np
import pytest

import nnbook as nb


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    y_true = rng.standard_normal((40, 3)) * np.array([1.0, 5.0, 0.1])
    y_pred = y_true + rng.standard_normal((40, 3)) * 0.3
    return y_pred, y_true


def test_metrics_agree_with_scikit_learn(pair):
    from sklearn import metrics as skm  # imported here: 1.5 s of every collection otherwise

    y_pred, y_true = pair
    # scikit-learn takes (y_true, y_pred); nnbook takes (y_pred, y_true) like C(ŷ, y).
    assert np.isclose(nb.mean_squared_error(y_pred, y_true), skm.mean_squared_error(y_true, y_pred), rtol=1e-12)
    assert np.isclose(nb.mean_absolute_error(y_pred, y_true), skm.mean_absolute_error(y_true, y_pred), rtol=1e-12)
    assert np.isclose(nb.r2_score(y_pred, y_true), skm.r2_score(y_true, y_pred), rtol=1e-12)
    single = (y_pred[:, :1], y_true[:, :1])
    assert np.isclose(nb.r2_score(*single), skm.r2_score(single[1], single[0]), rtol=1e-12)


def test_argument_order_matters_for_r2(pair):
    y_pred, y_true = pair
    assert nb.r2_score(y_pred, y_true) != nb.r2_score(y_true, y_pred)


def test_r2_of_a_constant_column_has_no_division_by_zero():
    y_true = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    assert nb.r2_score(y_true, y_true) == 1.0
    off = y_true + np.array([0.5, 0.0])  # constant column missed, other column exact
    assert nb.r2_score(off, y_true) == 0.5


def test_accuracy_within_tolerance():
    y_true = np.zeros((4, 1))
    y_pred = np.array([[0.0], [0.1], [-0.2], [1.0]])
    assert nb.accuracy_within(y_pred, y_true, tolerance=0.15) == 0.5
    assert nb.accuracy_within(y_pred, y_true, tolerance=0.2) == 0.75
    wide = np.linspace(-1, 1, 101).reshape(-1, 1)  # std ~ 0.58: default tolerance ~ 0.058
    assert nb.accuracy_within(wide + 0.05, wide) == 1.0 and nb.accuracy_within(wide + 0.07, wide) == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_metrics_return_python_floats(pair, dtype):
    y_pred, y_true = (a.astype(dtype) for a in pair)
    for name in ("mse", "mae", "r2", "accuracy"):  # the classification metrics: tests/test_classification.py
        assert type(nb.METRICS[name](y_pred, y_true)) is float


def test_mae_loss_gradient_matches_finite_differences_and_points_downhill():
    rng = np.random.default_rng(1)
    y_pred, y_true = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    loss = nb.MeanAbsoluteError()
    analytic = loss.backward(y_pred, y_true)
    h = 1e-6
    numeric = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        step = np.zeros_like(y_pred)
        step[index] = h
        numeric[index] = (loss.calculate(y_pred + step, y_true) - loss.calculate(y_pred - step, y_true)) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-10)
    np.testing.assert_array_equal(analytic, -np.sign(y_true - y_pred) / (4 * 6))
    assert loss.calculate(y_pred - 0.01 * analytic, y_true) < loss.calculate(y_pred, y_true)
    assert loss.forward(y_pred, y_true).shape == (6,)
    assert loss.backward(y_pred.astype(np.float32), y_true.astype(np.float32)).dtype == np.float32


def test_datasets_are_seeded_shaped_and_typed():
    for make, m in ((nb.datasets.sine, 1), (nb.datasets.sine_cosine, 2)):
        X, y = make(50, noise=0.1, rng=3)
        assert X.shape == (50, 1) and y.shape == (50, m) and X.dtype == y.dtype == np.float64
        X2, y2 = make(50, noise=0.1, rng=3)
        assert np.array_equal(X, X2) and np.array_equal(y, y2)
        X3, _ = make(50, noise=0.1, rng=4)
        assert not np.array_equal(X, X3)
        X32, y32 = make(50, rng=3, dtype=np.float32)
        assert X32.dtype == y32.dtype == np.float32
    X, y = nb.datasets.sine(50, rng=3)
    np.testing.assert_array_equal(y, np.sin(2 * np.pi * X))


def test_split_is_disjoint_complete_paired_and_seeded():
    X = np.arange(100.0).reshape(50, 2)
    y = X.sum(axis=1, keepdims=True)
    parts = nb.datasets.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.1, rng=0)
    assert [len(part[0]) for part in parts] == [35, 10, 5]
    rows = np.concatenate([part[0][:, 0] for part in parts])
    assert np.array_equal(np.sort(rows), X[:, 0])
    for Xp, yp in parts:
        np.testing.assert_array_equal(yp, Xp.sum(axis=1, keepdims=True))
    again = nb.datasets.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.1, rng=0)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(parts, again, strict=True))
    with pytest.raises(ValueError, match="leave no training samples"):
        nb.datasets.train_val_test_split(X, y, val_fraction=0.5, test_fraction=0.5)
