"""nnbook.gradcheck: it passes correct backward passes and finds wrong ones; relative_error's edge cases."""

import numpy as np
import pytest

import nnbook as nb
from nnbook.gradcheck import check_layer, check_loss, check_model, numerical_gradient, relative_error


class SignFlippedDense(nb.Dense):
    """dinputs with the wrong sign."""

    def backward(self, dvalues, **kwargs):
        dinputs = super().backward(dvalues, **kwargs)
        return None if dinputs is None else -dinputs


class MeanBiasDense(nb.Dense):
    """dbiases averaged over the samples instead of summed."""

    def backward(self, dvalues, **kwargs):
        dinputs = super().backward(dvalues, **kwargs)
        self.dbiases = self.dbiases / len(dvalues)
        return dinputs


class NoPenaltyGradientDense(nb.Dense):
    """Forgets the L2 penalty's gradient on the weights."""

    def backward(self, dvalues, **kwargs):
        dinputs = super().backward(dvalues, **kwargs)
        self.dweights -= 2 * self.weight_l2 * self.weights
        return dinputs


class FlippedMAE(nb.MeanAbsoluteError):
    """The sign bug of a well-known from-scratch book."""

    def backward(self, y_pred, y_true):
        return -super().backward(y_pred, y_true)


def inputs(shape, seed=0):
    values = np.random.default_rng(seed).standard_normal(shape)
    return np.where(values >= 0, values + 0.1, values - 0.1)


@pytest.mark.parametrize(("k", "n", "m"), [(1, 1, 1), (5, 4, 3), (3, 2, 6)])
def test_correct_dense_passes(k, n, m):
    report = check_layer(nb.Dense(n, m, rng=k, weight_l2=0.1, bias_l2=0.2), inputs((k, n)))
    assert set(report) == {"dinputs", "dweights", "dbiases"}
    assert max(report.values()) < 1e-7


@pytest.mark.parametrize(
    ("layer_class", "wrong", "kwargs"),
    [
        (SignFlippedDense, "dinputs", {}),
        (MeanBiasDense, "dbiases", {}),
        (NoPenaltyGradientDense, "dweights", {"weight_l2": 0.5}),
    ],
)
def test_wrong_dense_is_caught_where_it_is_wrong(layer_class, wrong, kwargs):
    report = check_layer(layer_class(4, 3, rng=0, **kwargs), inputs((5, 4)))
    assert report[wrong] > 1e-2
    assert all(error < 1e-7 for key, error in report.items() if key != wrong)


def test_wrong_loss_and_wrong_layer_in_a_model_are_caught():
    y_pred, y_true = inputs((4, 2), 1), inputs((4, 2), 2) + 5.0
    assert check_loss(nb.MeanAbsoluteError(), y_pred, y_true)["dy_pred"] < 1e-7
    assert check_loss(FlippedMAE(), y_pred, y_true)["dy_pred"] > 1e-2

    X, y = inputs((6, 3), 3), inputs((6, 1), 4)
    good = nb.Model([nb.Dense(3, 4, rng=0, weight_l1=0.01), nb.ReLU(), nb.Dense(4, 1, rng=1, bias_l2=0.1), nb.Linear()])
    assert max(check_model(good, X, y).values()) < 1e-7
    bad = nb.Model([nb.Dense(3, 4, rng=0), nb.ReLU(), MeanBiasDense(4, 1, rng=1), nb.Linear()])
    report = check_model(bad, X, y)
    assert report["layers[2].dbiases"] > 1e-2
    assert report["layers[2].dweights"] < 1e-7


def test_numerical_gradient_restores_the_array_and_the_caller_inputs():
    w = np.array([[0.5, -1.5], [2.0, 3.0]])
    before = w.copy()
    grad = numerical_gradient(lambda: float(np.sum(w**3)), w)
    np.testing.assert_array_equal(w, before)
    np.testing.assert_allclose(grad, 3 * before**2, rtol=1e-8)
    X = inputs((3, 2))
    X_before = X.copy()
    check_layer(nb.Dense(2, 2, rng=0), X)
    np.testing.assert_array_equal(X, X_before)


def test_relative_error_edge_cases():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # 0/0 is agreement, not NaN
    assert relative_error(0.0, 1e-300) == 1.0  # one zero: the error is total, whatever the scale
    assert relative_error(np.array([1.0, -2.0]), -np.array([1.0, -2.0])) == 2.0  # opposite signs: the maximum
    assert relative_error(3.0, 3.0) == 0.0
    assert relative_error(1e-20, 2e-20) == pytest.approx(0.5)  # scale-free
    assert relative_error(2.0, 1.0) == relative_error(1.0, 2.0) == pytest.approx(0.5)  # symmetric
    assert isinstance(relative_error(np.float32(1.0), np.float32(1.5)), float)
