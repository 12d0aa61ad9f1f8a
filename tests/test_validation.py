"""Bad input gets a clear ValueError/TypeError/RuntimeError, and leaves the layer untouched.

One test per kind of mistake (docs/implementation/errors.md), then a property
test: random shapes and dtypes either work or fail with our message, never
with an exception from inside numpy.
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb
from nnbook import checks


def snapshot(layer):
    """Copies of everything a call could change on a Dense layer."""
    state = {"weights": layer.weights.copy(), "biases": layer.biases.copy()}
    for name in ("inputs", "dweights", "dbiases"):
        if hasattr(layer, name):
            state[name] = getattr(layer, name).copy()
    return state


def assert_untouched(layer, state):
    for name, value in state.items():
        assert np.array_equal(getattr(layer, name), value), f"{name} changed"
    for name in ("inputs", "dweights", "dbiases"):
        assert hasattr(layer, name) == (name in state), f"{name} appeared or vanished"


@pytest.fixture
def layer():
    return nb.Dense(3, 2, rng=0)


# --- Dense.forward: shapes -------------------------------------------------------------------------------


def test_wrong_number_of_features(layer):
    state = snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer.forward(np.ones((10, 4)))
    assert str(info.value) == "Dense expects inputs of shape (k, 3); got (10, 4)"
    assert_untouched(layer, state)


def test_wrong_number_of_features_after_a_good_forward_keeps_the_saved_inputs(layer):
    layer.forward(np.ones((5, 3)))
    state = snapshot(layer)
    with pytest.raises(ValueError, match=re.escape("(k, 3); got (5, 2)")):
        layer.forward(np.ones((5, 2)))
    assert_untouched(layer, state)


def test_transposed_inputs_get_a_hint(layer):
    with pytest.raises(ValueError) as info:
        layer.forward(np.ones((3, 10)))
    assert str(info.value).startswith("Dense expects inputs of shape (k, 3); got (3, 10)")
    assert "inputs.T has shape (10, 3)" in str(info.value)


@pytest.mark.parametrize(
    ("n_inputs", "length", "hint"),
    [(1, 10, "inputs.reshape(-1, 1)"), (3, 3, "inputs.reshape(1, -1)"), (3, 7, "reshape it to (k, 3)")],
)
def test_1d_inputs_where_2d_needed(n_inputs, length, hint):
    layer = nb.Dense(n_inputs, 2, rng=0)
    state = snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer.forward(np.ones(length))
    message = str(info.value)
    assert message.startswith(f"Dense expects inputs of shape (k, {n_inputs}); got ({length},)")
    assert hint in message
    assert_untouched(layer, state)


@pytest.mark.parametrize("bad", [np.float64(1.0), 1.0, np.ones((2, 3, 3))])
def test_scalars_and_3d_arrays_are_refused(layer, bad):
    with pytest.raises(ValueError, match=re.escape("Dense expects inputs of shape (k, 3); got (")):
        layer.forward(bad)


def test_empty_data(layer):
    state = snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer.forward(np.empty((0, 3)))
    assert str(info.value) == "Dense expects inputs of shape (k, 3) with at least one sample; got (0, 3)"
    assert_untouched(layer, state)


def test_ragged_rows(layer):
    with pytest.raises(ValueError, match="cannot turn into one array"):
        layer.forward([[1.0, 2.0, 3.0], [4.0]])


# --- Dense.forward: dtypes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "shown", "hint"),
    [
        (np.array([["a", "b", "c"]]), "<U1", "(strings)"),
        (np.array([[1, None, 3]], dtype=object), "object", "Python objects"),
        (np.ones((2, 3), dtype=np.complex128), "complex128", "complex"),
        (np.ones((2, 3), dtype=bool), "bool", "astype(np.float64)"),
        (np.zeros((2, 3), dtype="datetime64[s]"), "datetime64[s]", ""),
    ],
)
def test_non_numeric_dtypes(layer, values, shown, hint):
    state = snapshot(layer)
    with pytest.raises(TypeError) as info:
        layer.forward(values)
    message = str(info.value)
    assert message.startswith(f"Dense expects inputs of shape (k, 3) holding real numbers; got dtype {shown}")
    assert hint in message
    assert_untouched(layer, state)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_integers_are_converted_to_the_layer_dtype(dtype):
    layer = nb.Dense(3, 2, rng=0, dtype=dtype)
    X = np.arange(12).reshape(4, 3)
    out = layer.forward(X)
    assert out.dtype == dtype and layer.inputs.dtype == dtype
    np.testing.assert_allclose(out, X.astype(dtype) @ layer.weights + layer.biases, rtol=1e-6)


def test_other_float_inputs_are_converted_to_the_layer_dtype_never_the_layer():
    layer = nb.Dense(3, 2, rng=0, dtype=np.float32)
    out = layer.forward(np.ones((4, 3), dtype=np.float64))
    assert out.dtype == np.float32
    assert layer.weights.dtype == np.float32 and layer.biases.dtype == np.float32
    dX = layer.backward(np.ones((4, 2), dtype=np.float64))
    assert dX.dtype == layer.dweights.dtype == layer.dbiases.dtype == np.float32


def test_nested_lists_are_accepted(layer):
    out = layer.forward([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(out, np.array([[1.0, 2, 3], [4, 5, 6]]) @ layer.weights + layer.biases)


def test_valid_float_input_is_not_copied(layer):
    X = np.ones((4, 3))
    layer.forward(X)
    assert layer.inputs is X


# --- backward passes -------------------------------------------------------------------------------------


def test_dense_backward_before_forward(layer):
    state = snapshot(layer)
    with pytest.raises(RuntimeError, match=re.escape("Dense.backward needs a forward pass first")):
        layer.backward(np.ones((4, 2)))
    assert_untouched(layer, state)


def test_dense_backward_wrong_shape(layer):
    layer.forward(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    state = snapshot(layer)
    with pytest.raises(ValueError) as info:
        layer.backward(np.ones((4, 3)))
    assert str(info.value) == "Dense.backward expects dvalues of shape (4, 2), like its last forward output; got (4, 3)"
    assert_untouched(layer, state)


def test_relu_backward_before_forward_and_wrong_shape():
    relu = nb.ReLU()
    with pytest.raises(RuntimeError, match=r"ReLU.backward needs a forward pass first"):
        relu.backward(np.ones((2, 2)))
    relu.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match=re.escape("ReLU.backward expects dvalues of shape (2, 5)")):
        relu.backward(np.ones((5, 2)))


def test_a_bad_gradient_through_linear_is_caught_by_the_dense_layer_before_it(layer):
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=re.escape("Dense.backward expects dvalues of shape (4, 2)")):
        layer.backward(nb.Linear().backward(np.ones(4)))


# --- activations -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [nb.ReLU, nb.Linear])
def test_activation_1d_input(activation):
    name = activation.__name__
    with pytest.raises(ValueError) as info:
        activation().forward(np.ones(5))
    assert str(info.value).startswith(f"{name} expects inputs of shape (k, m); got (5,)")
    assert "inputs.reshape(-1, 1)" in str(info.value)


@pytest.mark.parametrize("activation", [nb.ReLU, nb.Linear])
def test_activation_non_numeric_and_empty(activation):
    with pytest.raises(TypeError, match="holding real numbers; got dtype <U1"):
        activation().forward(np.array([["x"]]))
    with pytest.raises(ValueError, match=re.escape("with at least one sample; got (0, 4)")):
        activation().forward(np.empty((0, 4)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_keep_float_dtypes(dtype):
    x = np.array([[-1.0, 2.0]], dtype=dtype)
    assert nb.ReLU().forward(x).dtype == dtype
    assert nb.Linear().forward(x).dtype == dtype


# --- losses ----------------------------------------------------------------------------------------------


def test_mse_1d_target_gets_a_reshape_hint():
    with pytest.raises(ValueError) as info:
        nb.MeanSquaredError().forward(np.zeros((10, 1)), np.zeros(10))
    message = str(info.value)
    assert message.startswith(
        "MeanSquaredError expects y_pred and y_true of the same shape (k, m); got (10, 1) and (10,)"
    )
    assert "y_true is 1-D: use y_true.reshape(-1, 1)" in message


def test_mse_both_1d_is_refused_not_broadcast():
    with pytest.raises(ValueError) as info:
        nb.MeanSquaredError().calculate(np.zeros(10), np.zeros(10))
    assert "got (10,) and (10,)" in str(info.value)
    assert "y_pred.reshape(-1, 1)" in str(info.value) and "y_true.reshape(-1, 1)" in str(info.value)


def test_mse_mismatched_sample_counts():
    with pytest.raises(ValueError, match=re.escape("got (10, 1) and (8, 1): 10 predictions for 8 targets")):
        nb.MeanSquaredError().forward(np.zeros((10, 1)), np.zeros((8, 1)))


def test_mse_mismatched_output_widths():
    with pytest.raises(ValueError, match=re.escape("got (10, 2) and (10, 1): 2 outputs per sample predicted, 1")):
        nb.MeanSquaredError().forward(np.zeros((10, 2)), np.zeros((10, 1)))


def test_mse_backward_checks_shapes_too():
    with pytest.raises(ValueError, match=re.escape("MeanSquaredError.backward expects y_pred and y_true")):
        nb.MeanSquaredError().backward(np.zeros((10, 1)), np.zeros(10))


@pytest.mark.parametrize(
    ("where", "value", "counts"),
    [
        ("y_pred", np.nan, "1 NaN and 0 inf"),
        ("y_true", np.inf, "0 NaN and 1 inf"),
        ("y_pred", -np.inf, "0 NaN and 1 inf"),
    ],
)
@pytest.mark.parametrize("method", ["forward", "calculate"])
def test_mse_nan_and_inf(where, value, counts, method):
    arrays = {"y_pred": np.zeros((5, 2)), "y_true": np.ones((5, 2))}
    arrays[where][3, 1] = value
    with pytest.raises(ValueError) as info:
        getattr(nb.MeanSquaredError(), method)(arrays["y_pred"], arrays["y_true"])
    assert str(info.value) == (
        f"MeanSquaredError expects finite numbers in {where}; found {counts} (the first at index (3, 1))"
    )


def test_mse_non_numeric_and_empty():
    with pytest.raises(TypeError, match="y_true of shape \\(k, m\\) holding real numbers; got dtype object"):
        nb.MeanSquaredError().forward(np.zeros((2, 1)), np.array([[None], [1]], dtype=object))
    with pytest.raises(ValueError, match=re.escape("with k >= 1 and m >= 1; got (0, 1)")):
        nb.MeanSquaredError().forward(np.zeros((0, 1)), np.zeros((0, 1)))


def test_mse_keeps_float32_predictions_and_converts_integer_targets():
    y_pred = np.array([[0.5], [1.5]], dtype=np.float32)
    loss = nb.MeanSquaredError()
    assert loss.forward(y_pred, np.array([[1], [1]])).dtype == np.float32
    assert loss.backward(y_pred, np.array([[1.0], [1.0]])).dtype == np.float32
    assert loss.calculate(y_pred, [[1], [1]]) == pytest.approx(0.25)


def test_regularization_loss_wants_a_list_of_layers():
    with pytest.raises(TypeError, match=re.escape("regularization_loss expects a list of layers; got one Dense")):
        nb.regularization_loss(nb.Dense(2, 2, rng=0, weight_l2=0.1))
    with pytest.raises(TypeError, match="regularization_loss expects a list of layers; got int"):
        nb.regularization_loss(5)
    layer = nb.Dense(2, 2, rng=0, weight_l2=0.1)
    assert nb.regularization_loss(layer for layer in [layer, nb.ReLU()]) == layer.regularization_loss() > 0


# --- construction ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -3])
@pytest.mark.parametrize("argument", ["n_inputs", "n_neurons"])
def test_non_positive_layer_sizes(size, argument):
    sizes = {"n_inputs": 3, "n_neurons": 2, argument: size}
    with pytest.raises(ValueError) as info:
        nb.Dense(sizes["n_inputs"], sizes["n_neurons"])
    assert str(info.value) == f"Dense expects {argument} to be a positive integer; got {size}"


@pytest.mark.parametrize(("size", "shown"), [(3.0, "3.0 (float)"), ("3", "'3' (str)"), (True, "True (bool)")])
def test_non_integer_layer_sizes(size, shown):
    with pytest.raises(TypeError) as info:
        nb.Dense(size, 2)
    assert str(info.value) == f"Dense expects n_inputs to be a positive integer; got {shown}"


def test_numpy_integer_sizes_and_seeds_work():
    a = nb.Dense(np.int64(3), np.int32(2), rng=np.int64(7))
    b = nb.Dense(3, 2, rng=7)
    assert np.array_equal(a.weights, b.weights)


@pytest.mark.parametrize(
    ("rng", "error", "text"),
    [
        ("seed", TypeError, "Dense expects rng to be an int seed, a numpy Generator or None; got 'seed' (str)"),
        (1.5, TypeError, "got 1.5 (float)"),
        (True, TypeError, "got True (bool)"),
        (np.random.RandomState(0), TypeError, "use np.random.default_rng(seed) instead"),
        (-1, ValueError, "Dense expects rng to be a seed >= 0; got -1"),
    ],
)
def test_bad_rng(rng, error, text):
    with pytest.raises(error, match=re.escape(text)):
        nb.Dense(3, 2, rng=rng)


def test_a_generator_is_used_as_given():
    generator = np.random.default_rng(3)
    first = nb.Dense(3, 2, rng=generator).weights
    second = nb.Dense(3, 2, rng=generator).weights
    assert not np.array_equal(first, second)  # the generator advanced, as it should
    assert np.array_equal(first, nb.Dense(3, 2, rng=3).weights)


@pytest.mark.parametrize(("dtype", "shown"), [(np.int32, "np.int32"), (np.float16, "np.float16"), ("fp32", "'fp32'")])
def test_bad_layer_dtype(dtype, shown):
    with pytest.raises(TypeError) as info:
        nb.Dense(3, 2, dtype=dtype)
    assert str(info.value) == f"Dense expects dtype to be np.float32 or np.float64; got {shown}"


@pytest.mark.parametrize("argument", ["weight_l1", "weight_l2", "bias_l1", "bias_l2"])
@pytest.mark.parametrize("strength", [-0.1, float("nan"), float("inf")])
def test_bad_regularization_strengths(argument, strength):
    with pytest.raises(ValueError) as info:
        nb.Dense(3, 2, **{argument: strength})
    assert str(info.value) == f"Dense expects {argument} to be a finite number >= 0; got {strength!r}"


def test_non_numeric_regularization_strength():
    with pytest.raises(TypeError, match=re.escape("Dense expects weight_l2 to be a real number >= 0; got '0.1' (str)")):
        nb.Dense(3, 2, weight_l2="0.1")


# --- optimizer -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -0.01, float("nan"), float("inf"), -float("inf")])
def test_non_positive_or_non_finite_learning_rate(rate):
    with pytest.raises(ValueError) as info:
        nb.SGD(learning_rate=rate)
    assert str(info.value) == f"SGD expects learning_rate to be a finite number > 0; got {rate!r}"


@pytest.mark.parametrize("rate", ["0.1", None, True, 1j])
def test_non_numeric_learning_rate(rate):
    with pytest.raises(TypeError, match="SGD expects learning_rate to be a real number > 0; got"):
        nb.SGD(learning_rate=rate)


def test_sgd_update_before_backward_leaves_the_layer_untouched(layer):
    state = snapshot(layer)
    with pytest.raises(RuntimeError, match=re.escape("call backward(dvalues) before update(layer)")):
        nb.SGD(0.1).update(layer)
    assert_untouched(layer, state)


def test_sgd_update_of_a_layer_without_weights():
    with pytest.raises(TypeError, match=r"SGD.update expects a layer with weights and biases, such as Dense; got ReLU"):
        nb.SGD(0.1).update(nb.ReLU())


def test_sgd_still_updates_with_a_numpy_learning_rate(layer):
    layer.forward(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    before = layer.weights.copy()
    nb.SGD(np.float32(0.5)).update(layer)
    np.testing.assert_allclose(layer.weights, before - 0.5 * layer.dweights)


# --- helpers the model reuses ----------------------------------------------------------------------------


def test_check_same_samples():
    with pytest.raises(ValueError) as info:
        checks.check_same_samples(np.ones((100, 2)), np.ones((99, 1)))
    assert str(info.value) == "Model.fit expects X and y with the same number of samples k; got 100 and 99"


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (-5, ValueError), (2.5, TypeError), (None, TypeError)])
def test_check_positive_int_for_epochs_and_batch_size(value, error):
    with pytest.raises(error, match=r"Model.fit expects epochs to be a positive integer"):
        checks.check_positive_int(value, "epochs", where="Model.fit")


def test_check_finite_on_the_whole_data():
    X = np.zeros((4, 3))
    X[1, 2], X[2, 0] = np.inf, np.nan
    with pytest.raises(ValueError) as info:
        checks.check_finite(X, "X", where="Model.fit")
    assert str(info.value) == "Model.fit expects finite numbers in X; found 1 NaN and 1 inf (the first at index (1, 2))"


# --- property: random shapes and dtypes never reach numpy's own errors ------------------------------------

DTYPES = ["float16", "float32", "float64", "int8", "int64", "uint8", "bool", "complex64", "str", "object"]
any_shape = st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple)
# About half of the examples are close to valid, so that the "works" branch is exercised as well.
shapes = st.one_of(st.tuples(st.integers(1, 4), st.integers(1, 3)), any_shape)
dtypes = st.one_of(st.sampled_from(["float32", "float64", "int64"]), st.sampled_from(DTYPES))


def make_array(shape, dtype, seed):
    """Small, finite values of any dtype (strings and objects included)."""
    values = np.random.default_rng(seed).integers(-3, 4, size=shape) / 2
    if dtype == "uint8":
        return np.abs(values).astype(dtype)
    if dtype == "str":
        return values.astype(str)
    return values.astype(dtype)


def call_or_explain(call, expected_shape):
    """Run call(); an error must be ours: ValueError/TypeError naming the expected shape."""
    try:
        return call()
    except (ValueError, TypeError) as error:
        assert expected_shape in str(error), str(error)
        assert " expects " in str(error) and "; got " in str(error), str(error)
        return None


@settings(derandomize=True, max_examples=50, deadline=None)
@given(
    shape=st.one_of(st.tuples(st.integers(1, 4), st.just(3)), any_shape),
    dtype=dtypes,
    layer_dtype=st.sampled_from(["float32", "float64"]),
    seed=st.integers(0, 9),
)
def test_dense_and_activations_work_or_explain(shape, dtype, layer_dtype, seed):
    x = make_array(shape, dtype, seed)
    layer = nb.Dense(3, 2, rng=0, dtype=layer_dtype)
    state = snapshot(layer)
    out = call_or_explain(lambda: layer.forward(x), "(k, 3)")
    if out is None:
        assert_untouched(layer, state)
    else:
        assert shape[1:] == (3,) and shape[0] >= 1 and dtype not in ("bool", "complex64", "str", "object")
        assert out.shape == (shape[0], 2) and out.dtype == layer_dtype
        dX = layer.backward(np.ones_like(out))
        assert dX.shape == shape and dX.dtype == layer_dtype
    for activation in (nb.ReLU(), nb.Linear()):
        out = call_or_explain(lambda activation=activation: activation.forward(x), "(k, m)")
        if out is not None:
            # any batch (k, ...) of at least one axis per sample: (k, m), (k, length, c), ...
            assert len(shape) >= 2 and min(shape) >= 1 and out.shape == shape and out.dtype.kind == "f"


@settings(derandomize=True, max_examples=50, deadline=None)
@given(
    pred_shape=shapes,
    other_shape=st.one_of(st.none(), shapes),  # None: the same shape as y_pred
    pred_dtype=dtypes,
    true_dtype=dtypes,
    seed=st.integers(0, 9),
)
def test_mse_works_or_explains(pred_shape, other_shape, pred_dtype, true_dtype, seed):
    true_shape = pred_shape if other_shape is None else other_shape
    y_pred, y_true = make_array(pred_shape, pred_dtype, seed), make_array(true_shape, true_dtype, seed + 1)
    loss = nb.MeanSquaredError()
    per_sample = call_or_explain(lambda: loss.forward(y_pred, y_true), "(k, m)")
    gradient = call_or_explain(lambda: loss.backward(y_pred, y_true), "(k, m)")
    assert (per_sample is None) == (gradient is None)
    if per_sample is not None:
        assert pred_shape == true_shape and len(pred_shape) == 2
        assert per_sample.shape == pred_shape[:1] and gradient.shape == pred_shape
        reference = ((y_pred.astype(np.float64) - y_true.astype(np.float64)) ** 2).mean(axis=1)
        np.testing.assert_allclose(per_sample, reference, rtol=1e-2)


def test_check_data_converts_once_and_refuses_bad_data():
    X, y = checks.check_data(np.arange(6).reshape(3, 2), [[1], [2], [3]], n_features=2, n_outputs=1, dtype=np.float32)
    assert X.dtype == y.dtype == np.float32 and X.shape == (3, 2) and y.shape == (3, 1)
    X_only, nothing = checks.check_data(X, n_features=2, dtype=np.float32, where="Model.predict")
    assert X_only is X and nothing is None
    with pytest.raises(ValueError, match=re.escape("Model.predict expects X of shape (k, 2); got (3, 3)")):
        checks.check_data(np.ones((3, 3)), n_features=2, where="Model.predict")
    with pytest.raises(
        ValueError, match=re.escape("Model.evaluate expects finite numbers in y; found 0 NaN and 1 inf")
    ):
        checks.check_data(np.ones((3, 2)), [[1.0], [np.inf], [0.0]], n_features=2, n_outputs=1, where="Model.evaluate")
    with pytest.raises(ValueError, match=re.escape("Model.fit expects y of shape (k, 1); got (3, 2)")):
        checks.check_data(np.ones((3, 2)), np.ones((3, 2)), n_features=2, n_outputs=1)
