"""Fuzz the public API with hypothesis (issue 12, item 9).

Random shapes, dtypes, values and argument types go into the layers, the
losses, the metrics, the optimizers and the Model. Each answer must be a
correct result or a ValueError/TypeError whose message is a sentence; never
another exception. After every error the parameters are bit-identical.

The profile is deterministic (derandomize, no example database) and bounded
(a fixed number of examples per test), so the file runs in a few seconds.
"""

import io
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnbook as nb

FUZZ = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------ strategies

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
NICE = st.floats(-3, 3, allow_nan=False, width=64)
DTYPES = st.sampled_from(
    [np.float64, np.float32, np.float16, np.int64, np.int8, np.uint8, np.bool_, np.complex128, np.str_, object]
)


@st.composite
def arrays(draw, max_dims=3, max_side=4, values=FLOATS):
    """A numpy array of any small shape and dtype, values from ``values``."""
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side))
    data = draw(hnp.arrays(np.float64, shape, elements=values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dtype.kind in "iub":
            data = np.nan_to_num(data, nan=0.0, posinf=1e3, neginf=-1e3).clip(-100, 100)
        return data.astype(dtype)


@st.composite
def anything(draw, **kwargs):
    """An array, or something that is not quite one."""
    array = draw(arrays(**kwargs))
    kind = draw(st.sampled_from(["array", "array", "array", "list", "masked", "matrix", "scalar", "other"]))
    if kind == "list":
        return array.tolist()
    if kind == "masked":
        return np.ma.masked_invalid(array) if array.dtype.kind == "f" else np.ma.masked_array(array)
    if kind == "matrix" and array.ndim == 2 and array.dtype != object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            return np.matrix(array)
    if kind == "scalar":
        return draw(st.one_of(FLOATS, st.integers(-5, 5)))
    if kind == "other":
        return draw(st.sampled_from([None, "1.0", {"a": 1}, [[1.0, 2.0], [3.0]], (), b"x", object()]))
    return array


SETTINGS = st.one_of(
    st.integers(-3, 70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([None, True, False, "3", 2.5, np.int64(4), np.float32(0.1), [1], np.bool_(True)]),
)


def is_sentence(message: str) -> bool:
    return len(message) >= 20 and " " in message and message[0].isalpha()


def call(function, *args, **kwargs):
    """Run ``function``; return (result, None) or (None, error) for a well-worded ValueError/TypeError."""
    try:
        return function(*args, **kwargs), None
    except (ValueError, TypeError) as error:
        assert is_sentence(str(error)), f"{type(error).__name__} without a sentence: {error!r}"
        return None, error


def snapshot(*layers):
    return [
        getattr(layer, name).tobytes() for layer in layers for name in ("weights", "biases") if hasattr(layer, name)
    ]


# ---------------------------------------------------------------- layers


@FUZZ
@given(inputs=anything(), n=st.integers(1, 4), m=st.integers(1, 4), float32=st.booleans())
def test_dense_forward_and_backward(inputs, n, m, float32):
    layer = nb.Dense(n, m, rng=0, dtype=np.float32 if float32 else np.float64)
    before = snapshot(layer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a bare layer passes NaN and overflow through
        output, error = call(layer.forward, inputs)
    assert snapshot(layer) == before
    if error is None:
        assert type(output) is np.ndarray and output.shape == (np.shape(inputs)[0], m)
        assert output.dtype == layer.weights.dtype
        with warnings.catch_warnings():  # inf inputs give inf or NaN gradients
            warnings.simplefilter("ignore", RuntimeWarning)
            gradient, error = call(layer.backward, np.ones_like(output))
        if error is None:
            assert gradient.shape == (output.shape[0], n) and layer.dweights.shape == (n, m)


@FUZZ
@given(
    inputs=anything(),
    dvalues=anything(),
    kind=st.sampled_from(["ReLU", "Linear", "Sigmoid", "Softmax", "Dropout"]),
    training=st.booleans(),
)
def test_activations_forward_and_backward(inputs, dvalues, kind, training):
    layer = nb.Dropout(0.5, rng=0) if kind == "Dropout" else getattr(nb, kind)()
    layer.training = training
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        output, error = call(layer.forward, inputs)
        if error is None:
            # ReLU and Linear take any batch (k, ...), e.g. a convolution's (k, length, c)
            rank_ok = output.ndim >= 2 if kind in ("ReLU", "Linear") else output.ndim == 2
            assert output.shape == np.shape(inputs) and rank_ok
            if kind != "Linear":  # Linear hands dvalues on unchecked, by design
                result, error = call(layer.backward, dvalues)
                if error is None:
                    assert result.shape == output.shape


@FUZZ
@given(
    n_inputs=SETTINGS,
    n_neurons=SETTINGS,
    rng=SETTINGS,
    dtype=st.sampled_from([np.float32, np.float64, np.int32, "float", None, "x", float]),
    l2=SETTINGS,
    rate=SETTINGS,
    learning_rate=SETTINGS,
)
def test_constructors(n_inputs, n_neurons, rng, dtype, l2, rate, learning_rate):
    layer, _ = call(nb.Dense, n_inputs, n_neurons, rng=rng, dtype=dtype, weight_l2=l2)
    if layer is not None:
        assert layer.weights.shape == (n_inputs, n_neurons) and np.isfinite(layer.weights).all()
    dropout, _ = call(nb.Dropout, rate, rng=rng)
    if dropout is not None:
        assert 0 <= dropout.rate < 1
    for optimizer in (nb.SGD, nb.Adam, nb.SGDMomentum):
        result, _ = call(optimizer, learning_rate)
        if result is not None:
            assert result.learning_rate > 0
    call(nb.one_hot, n_inputs, n_neurons)
    call(nb.datasets.sine, n_inputs, rng=rng)


@FUZZ
@given(labels=st.lists(FLOATS, min_size=1, max_size=5), n_classes=st.integers(1, 6))
def test_one_hot_of_float_labels(labels, n_classes):
    """Whole floats (0.0, 1.0, as pandas gives them) are labels; 0.5, NaN, inf and huge floats are refused clearly."""
    floats = np.array(labels, dtype=np.float64)
    result, error = call(nb.one_hot, floats, n_classes)
    whole = all(np.isfinite(x) and x == round(x) and abs(x) < 2**53 for x in labels)
    if not whole:
        assert error is not None and "whole numbers" in str(error)
    elif result is not None:
        assert np.array_equal(result, nb.one_hot(floats.astype(np.int64), n_classes))
    else:  # whole, but outside [0, n_classes): the integers are refused alike
        assert call(nb.one_hot, floats.astype(np.int64), n_classes)[1] is not None


# ---------------------------------------------------------- losses, metrics

LOSSES = [
    nb.MeanSquaredError,
    nb.MeanAbsoluteError,
    nb.CategoricalCrossEntropy,
    nb.SoftmaxCrossEntropy,
    nb.BinaryCrossEntropy,
]
METRICS = [nb.mean_squared_error, nb.mean_absolute_error, nb.r2_score, nb.accuracy_within]
METRICS += [nb.categorical_accuracy, nb.binary_accuracy]


@FUZZ
@given(y_pred=anything(), y_true=anything(), loss=st.sampled_from(LOSSES), metric=st.sampled_from(METRICS))
def test_losses_and_metrics(y_pred, y_true, loss, metric):
    losses, error = call(loss().forward, y_pred, y_true)
    if error is None:
        assert losses.shape == (np.shape(y_pred)[0],) and np.isfinite(losses).all()
        gradient, error = call(loss().backward, y_pred, y_true)
        assert error is None and gradient.shape == np.shape(y_pred)
    value, error = call(metric, y_pred, y_true)
    if error is None:
        assert isinstance(value, float)


@FUZZ
@given(threshold=SETTINGS, tolerance=SETTINGS)
def test_metric_settings(threshold, tolerance):
    y = np.array([[1.0], [0.0], [1.0]])
    value, _ = call(nb.binary_accuracy, y, y, threshold=threshold)
    assert value is None or 0.0 <= value <= 1.0
    value, _ = call(nb.accuracy_within, y, y, tolerance=tolerance)
    assert value is None or 0.0 <= value <= 1.0


# ------------------------------------------------------------------- model


def small_model(kind, rng):
    if kind == "regression":
        layers = [nb.Dense(2, 3, rng=rng), nb.ReLU(), nb.Dropout(0.2, rng=rng), nb.Dense(3, 1, rng=rng + 1)]
        return nb.Model(layers, optimizer=nb.Adam(0.01))
    if kind == "softmax":
        return nb.Model([nb.Dense(2, 3, rng=rng)], loss=nb.SoftmaxCrossEntropy(), optimizer=nb.SGDMomentum(0.1))
    return nb.Model([nb.Dense(2, 1, rng=rng), nb.Sigmoid()], loss=nb.BinaryCrossEntropy())


def mostly(valid, other=SETTINGS):
    """Three times in four a valid value, else anything."""
    return st.one_of(valid, valid, valid, other)


GOOD_X = hnp.arrays(np.float64, (6, 2), elements=NICE)
ANY_TARGETS = st.tuples(st.sampled_from(["regression", "softmax", "binary"]), anything(max_dims=2, max_side=6))
# Targets that suit each model, (6, m)
TARGETS = st.one_of(
    st.tuples(st.just("regression"), hnp.arrays(np.float64, (6, 1), elements=NICE)),
    st.tuples(st.just("binary"), hnp.arrays(np.float64, (6, 1), elements=st.sampled_from([0.0, 1.0]))),
    st.tuples(
        st.just("softmax"),
        st.lists(st.integers(0, 2), min_size=6, max_size=6).map(lambda labels: nb.one_hot(labels, 3)),
    ),
)


@FUZZ
@given(
    kind_y=st.one_of(ANY_TARGETS, TARGETS, TARGETS),  # mostly fitting targets
    X=st.one_of(anything(max_dims=2, max_side=6), GOOD_X, GOOD_X),
    epochs=mostly(st.integers(1, 3)),
    batch_size=mostly(st.integers(1, 8)),
    shuffle=mostly(st.booleans()),
    verbose=mostly(st.just(0), st.sampled_from([False, "0", None, 1.0, -1])),
    rng=mostly(st.integers(0, 5)),
    validation=st.booleans(),
)
def test_model_fit_predict_evaluate(kind_y, X, epochs, batch_size, shuffle, verbose, rng, validation):
    kind, y = kind_y
    model = small_model(kind, 0)
    before, state = snapshot(*model.trainable), model._state()
    if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs > 3:
        epochs = 3  # bounded: the fuzz is about arguments, not training
    validation_data = (X, y) if validation else None
    try:
        history, error = call(
            model.fit,
            X,
            y,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=shuffle,
            verbose=verbose,
            rng=rng,
            validation_data=validation_data,
        )
    except FloatingPointError:  # documented divergence: the last finite parameters
        assert all(np.isfinite(layer.weights).all() for layer in model.trainable)
        return
    event("fit refused" if error is not None else "fit trained")
    if error is not None:
        assert snapshot(*model.trainable) == before
        (opt_a, streams_a), (opt_b, streams_b) = model._state(), state
        assert streams_a == streams_b and (opt_a is None) == (opt_b is None)
        if opt_a is not None:
            assert opt_a.keys() == opt_b.keys()
            assert all(np.array_equal(opt_a[key][name], opt_b[key][name]) for key in opt_a for name in opt_a[key])
    else:
        assert len(history.history["loss"]) == epochs
    before = snapshot(*model.trainable)
    prediction, error = call(model.predict, X, batch_size=batch_size if batch_size != 0 else None)
    if error is None:
        assert prediction.shape == (len(prediction), model.n_outputs) and np.isfinite(prediction).all()
    scores, error = call(model.evaluate, X, y)
    if error is None:
        assert set(scores) == {"loss", *model.metrics}
    assert snapshot(*model.trainable) == before


@FUZZ
@given(data=st.binary(max_size=600), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6))
def test_model_load_of_random_and_damaged_bytes(data, flips):
    good = io.BytesIO()
    small_model("regression", 0).save(good)
    damaged = bytearray(good.getvalue())
    for position, value in flips:
        damaged[position % len(damaged)] = value
    for content in (data, bytes(damaged)):
        _, error = call(nb.Model.load, io.BytesIO(content))
        if error is not None:
            assert isinstance(error, ValueError) and "Model.load cannot use" in str(error)


@FUZZ
@given(
    layers=st.lists(st.sampled_from(["Dense", "ReLU", "Softmax", "Dropout", "same", "class", "None"]), max_size=5),
    loss=st.sampled_from([*LOSSES, None, "mse"]),
    metrics=st.sampled_from([None, [], ["mae"], "mae", ["nope"], ["binary_accuracy", "r2"]]),
)
def test_model_construction(layers, loss, metrics):
    made, previous, width = [], None, 2
    for kind in layers:
        if kind == "Dense":
            previous = nb.Dense(width, 2, rng=0)
        elif kind == "same":
            pass  # the same object again (or None, if nothing came before)
        elif kind == "class":
            previous = nb.ReLU
        elif kind == "None":
            previous = None
        else:
            previous = nb.Dropout(0.1) if kind == "Dropout" else getattr(nb, kind)()
        made.append(previous)
    loss = loss() if isinstance(loss, type) else loss
    model, _ = call(nb.Model, made, loss=loss, metrics=metrics)
    if model is not None:
        assert len({id(layer) for layer in model.layers}) == len(model.layers)


@pytest.mark.parametrize("seed", range(3))
def test_the_fuzz_profile_is_deterministic(seed):
    """derandomize=True: hypothesis draws the same examples on every run."""
    seen = []

    @settings(FUZZ, max_examples=5)
    @given(arrays())
    def record(array):
        seen.append((array.dtype.str, array.shape))

    record()
    first = list(seen)
    seen.clear()
    record()
    assert seen == first


@FUZZ
@given(a=anything(), n=anything(), eps=SETTINGS)
def test_gradcheck_helpers(a, n, eps):
    value, _ = call(nb.relative_error, a, n)
    assert value is None or value >= 0.0 or np.isnan(value)
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        before = a.tobytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NaN and inf entries
            gradient, _ = call(nb.numerical_gradient, lambda: float(np.sum(a)), a, eps)
        assert a.tobytes() == before  # every nudge is put back
        assert gradient is None or gradient.shape == a.shape
