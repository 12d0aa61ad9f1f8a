"""Pooling (Part IV): MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D.

Against loops (ties included) and finite differences, against PyTorch when it is installed, their settings
and errors at the boundary, and how Model, summary-free shape checks and saving treat them.
"""

import itertools
import re

import numpy as np
import pytest

import nnbook as nb
from conftest import raises

POOLS = {"MaxPool1D": 1, "AvgPool1D": 1, "MaxPool2D": 2, "AvgPool2D": 2}


def pool_loops(X, pool, stride, kind, G):
    """Y and dX by the definition, one window at a time; the max scans in row-major order, keeps strictly larger."""
    size_out = [(n - p) // s + 1 for n, p, s in zip(X.shape[1:-1], pool, stride, strict=True)]
    Y, dX = np.zeros((len(X), *size_out, X.shape[-1])), np.zeros(X.shape)
    for i, *out, c in np.ndindex(Y.shape):
        start = [t * s for t, s in zip(out, stride, strict=True)]
        cells = [tuple(a + j for a, j in zip(start, tap, strict=True)) for tap in np.ndindex(*pool)]
        values = [X[(i, *cell, c)] for cell in cells]
        if kind == "max":
            best = 0
            for n, value in enumerate(values):
                if value > values[best]:
                    best = n
            Y[(i, *out, c)] = values[best]
            dX[(i, *cells[best], c)] += G[(i, *out, c)]
        else:
            Y[(i, *out, c)] = np.mean(values)
            for cell in cells:
                dX[(i, *cell, c)] += G[(i, *out, c)] / len(cells)
    return Y, dX


def make(name, pool, stride=None):
    return getattr(nb, name)(pool, stride=stride)


CASES_1D = [(2, None), (3, None), (3, 1), (2, 1), (2, 3), (1, 1), (4, 2)]
CASES_2D = [(2, None), ((2, 3), None), (3, 1), ((3, 2), (1, 2)), (2, (3, 1)), (1, 1)]


@pytest.mark.parametrize(("pool", "stride"), CASES_1D)
@pytest.mark.parametrize("name", ["MaxPool1D", "AvgPool1D"])
def test_1d_forward_and_backward_match_the_loops_with_ties(name, pool, stride):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, (3, 11, 2)).astype(float)  # ties in most windows
    layer = make(name, pool, stride)
    out = layer.forward(X)
    G = rng.standard_normal(out.shape)
    Y, dX = pool_loops(X, layer.pool_size, layer.stride, "max" if name.startswith("Max") else "avg", G)
    np.testing.assert_allclose(out, Y)
    np.testing.assert_allclose(layer.backward(G), dX)


@pytest.mark.parametrize(("pool", "stride"), CASES_2D)
@pytest.mark.parametrize("name", ["MaxPool2D", "AvgPool2D"])
def test_2d_forward_and_backward_match_the_loops_with_ties(name, pool, stride):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 3, (2, 7, 8, 3)).astype(float)
    layer = make(name, pool, stride)
    out = layer.forward(X)
    G = rng.standard_normal(out.shape)
    Y, dX = pool_loops(X, layer.pool_size, layer.stride, "max" if name.startswith("Max") else "avg", G)
    np.testing.assert_allclose(out, Y)
    np.testing.assert_allclose(layer.backward(G), dX)


@pytest.mark.parametrize("name", list(POOLS))
@pytest.mark.parametrize(("pool", "stride"), [(2, None), (3, 1), (2, 3), (3, 2)])
def test_gradients_against_finite_differences(name, pool, stride):
    X = np.random.default_rng(2).standard_normal((2, 7, 6, 2) if POOLS[name] == 2 else (2, 9, 3))
    report = nb.check_layer(make(name, pool, stride), X)
    assert report["dinputs"] < 1e-7, report


def test_ties_go_to_the_first_maximum_in_row_major_order_without_torch():
    # 1-D: the window (2, 2) gives its gradient to its first 2
    layer = nb.MaxPool1D(2)
    x = np.array([1.0, 3.0, 2.0, 2.0, 0.0, 5.0, 4.0]).reshape(1, 7, 1)
    layer.forward(x)
    assert layer.backward(np.array([10.0, 20.0, 30.0]).reshape(1, 3, 1))[0, :, 0].tolist() == [0, 10, 20, 0, 0, 30, 0]
    # 2-D: a window of equal values -> its top-left cell; a tie on the second row -> the first of that row
    image = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 4.0, 4.0]]).reshape(1, 2, 4, 1)
    pool2 = nb.MaxPool2D(2)
    assert pool2.forward(image)[0, :, :, 0].tolist() == [[1.0, 4.0]]
    d = pool2.backward(np.ones((1, 1, 2, 1)))[0, :, :, 0]
    assert d.tolist() == [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    # a tie between rows: the first row wins, though its column comes later
    image = np.array([[0.0, 5.0], [5.0, 0.0]]).reshape(1, 2, 2, 1)
    pool2.forward(image)
    assert pool2.backward(np.ones((1, 1, 1, 1)))[0, :, :, 0].tolist() == [[0.0, 1.0], [0.0, 0.0]]


def test_overlapping_windows_add_their_gradients():
    peak = np.array([0.0, 1.0, 9.0, 1.0, 0.0, 2.0]).reshape(1, 6, 1)
    layer = nb.MaxPool1D(3, stride=1)
    layer.forward(peak)
    d = layer.backward(np.array([1.0, 2.0, 4.0, 8.0]).reshape(1, 4, 1))[0, :, 0]
    assert d.tolist() == [0.0, 0.0, 7.0, 0.0, 0.0, 8.0]  # 9 is the max of windows 0, 1, 2
    avg = nb.AvgPool2D(2, stride=1)
    avg.forward(np.zeros((1, 3, 3, 1)))
    counts = avg.backward(np.full((1, 2, 2, 1), 4.0))[0, :, :, 0]
    assert counts.tolist() == [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]


def test_inputs_in_no_window_get_no_gradient_and_sizes_follow_the_formula():
    for length, pool, stride in itertools.product(range(1, 12), range(1, 5), (None, 1, 2, 3)):
        if pool > length:
            continue
        layer = nb.MaxPool1D(pool, stride=stride)
        s = pool if stride is None else stride
        out = layer.forward(np.random.default_rng(length).standard_normal((2, length, 3)))
        assert out.shape == (2, (length - pool) // s + 1, 3)
        d = layer.backward(np.ones(out.shape))
        covered = np.zeros(length, bool)
        for t in range(out.shape[1]):
            covered[t * s : t * s + pool] = True
        assert not d[:, ~covered].any()
        assert d.sum() == out.size  # each window hands on exactly its gradient


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(POOLS))
def test_the_dtype_is_kept_both_ways(name, dtype):
    shape = (2, 6, 6, 3) if POOLS[name] == 2 else (2, 6, 3)
    layer = make(name, 2)
    out = layer.forward(np.ones(shape, dtype=dtype))
    assert out.dtype == dtype
    assert layer.backward(np.ones(out.shape, dtype=dtype)).dtype == dtype


def test_the_backward_pass_loops_over_the_window_offsets_only():
    # the scatter asks for one share per tap of the window, whatever the batch size: no loop over samples
    for k in (1, 50):
        layer = nb.MaxPool2D((2, 3), stride=1)
        out = layer.forward(np.random.default_rng(k).standard_normal((k, 6, 7, 2)))
        asked = []

        def share(index, out=out, asked=asked):
            asked.append(index)
            return np.ones(out.shape)

        dinputs = layer._scatter(share, out.shape[1:-1])
        assert asked == list(range(6)) and dinputs.shape == (k, 6, 7, 2)
        assert dinputs.sum() == 6 * out.size


# --------------------------------------------------------------------------- against PyTorch


@pytest.mark.parametrize(("pool", "stride"), [(2, None), (3, 1), ((2, 3), (1, 2)), (2, 3)])
def test_max_and_average_pooling_match_torch_ties_included(pool, stride):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    X = rng.integers(0, 3, (2, 7, 8, 3)).astype(np.float64)  # many ties
    for name, function in (
        ("MaxPool2D", torch.nn.functional.max_pool2d),
        ("AvgPool2D", torch.nn.functional.avg_pool2d),
    ):
        layer = make(name, pool, stride)
        out = layer.forward(X)
        G = rng.standard_normal(out.shape)
        x = torch.tensor(X.transpose(0, 3, 1, 2), requires_grad=True)  # channels first
        y = function(x, layer.pool_size, layer.stride)
        y.backward(torch.tensor(G.transpose(0, 3, 1, 2)))
        np.testing.assert_allclose(out, y.detach().numpy().transpose(0, 2, 3, 1), atol=1e-12)
        np.testing.assert_allclose(layer.backward(G), x.grad.numpy().transpose(0, 2, 3, 1), atol=1e-12)
    X1 = X[:, 0]  # (k, length, c)
    for name, function in (
        ("MaxPool1D", torch.nn.functional.max_pool1d),
        ("AvgPool1D", torch.nn.functional.avg_pool1d),
    ):
        layer = make(name, 3, 2)
        out = layer.forward(X1)
        G = rng.standard_normal(out.shape)
        x = torch.tensor(X1.transpose(0, 2, 1), requires_grad=True)
        y = function(x, 3, 2)
        y.backward(torch.tensor(G.transpose(0, 2, 1)))
        np.testing.assert_allclose(out, y.detach().numpy().transpose(0, 2, 1), atol=1e-12)
        np.testing.assert_allclose(layer.backward(G), x.grad.numpy().transpose(0, 2, 1), atol=1e-12)


# --------------------------------------------------------------------------- settings and errors


def test_settings_and_config():
    layer = nb.MaxPool2D((2, 3))
    assert layer.pool_size == (2, 3) and layer.stride == (2, 3)
    assert layer.config() == {"pool_size": [2, 3], "stride": [2, 3]}
    assert nb.AvgPool1D(3, stride=1).config() == {"pool_size": 3, "stride": 1}
    assert nb.MaxPool2D(2, stride=(1, 2)).stride == (1, 2)
    assert nb.MaxPool1D(np.int64(2)).pool_size == (2,)
    for name in POOLS:
        layer = make(name, 2)
        assert layer.parameter_names == ()
        assert isinstance(layer, nb.Layer) and isinstance(layer, nb.Configurable)
        assert not isinstance(layer, nb.Trainable)


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: nb.MaxPool2D(0), ValueError, "MaxPool2D expects pool_size >= 1; got 0"),
        (lambda: nb.AvgPool1D(2.0), TypeError, "AvgPool1D expects pool_size to be an int; got 2.0"),
        (lambda: nb.MaxPool2D((2, 2, 2)), TypeError, "MaxPool2D expects pool_size to be an int or a pair of ints"),
        (lambda: nb.MaxPool2D(True), TypeError, "MaxPool2D expects pool_size to be an int or a pair of ints; got True"),
        (lambda: nb.AvgPool2D(2, stride=0), ValueError, "AvgPool2D expects stride >= 1; got 0"),
        (lambda: nb.MaxPool1D(2, stride="2"), TypeError, "MaxPool1D expects stride to be an int; got '2'"),
        (lambda: nb.MaxPool1D(), TypeError, "MaxPool1D: missing a required argument: 'pool_size'"),
        (lambda: nb.MaxPool2D(2, strides=2), TypeError, "did you mean 'stride'?"),
        (
            lambda: nb.MaxPool1D(2).forward(np.ones((4, 12))),
            ValueError,
            "MaxPool1D expects inputs of shape (k, length, channels); got (4, 12)",
        ),
        (
            lambda: nb.MaxPool2D(2).forward(np.ones((4, 8, 8))),
            ValueError,
            "MaxPool2D expects inputs of shape (k, height, width, channels)",
        ),
        (
            lambda: nb.MaxPool2D(3).forward(np.ones((4, 2, 8, 1))),
            ValueError,
            "MaxPool2D with pool_size (3, 3) expects inputs of at least [3, 3]",
        ),
        (lambda: nb.AvgPool1D(2).forward(np.array([[["a"], ["b"]]])), TypeError, "AvgPool1D expects inputs"),
        (
            lambda: nb.AvgPool1D(2).backward(np.ones((1, 1, 1))),
            RuntimeError,
            "AvgPool1D.backward needs a forward pass first",
        ),
    ],
)
def test_bad_settings_and_inputs_are_refused_with_a_clear_message(call, error, text):
    raises(error, call, text)


@pytest.mark.parametrize("name", list(POOLS))
def test_backward_wants_the_shape_of_the_last_output_and_leaves_the_layer_as_it_was(name):
    shape = (2, 6, 6, 3) if POOLS[name] == 2 else (2, 6, 3)
    layer = make(name, 2)
    X = np.random.default_rng(0).standard_normal(shape)
    out = layer.forward(X)
    saved = layer.inputs
    wrong = np.ones((2, *out.shape[1:-1], 4))
    raises(ValueError, lambda: layer.backward(wrong), f"{name}.backward expects dvalues of shape {out.shape}")
    raises(
        ValueError,
        lambda: layer.forward(np.ones((2, 1, 3) if POOLS[name] == 1 else (2, 1, 1, 3))),
        "expects inputs of at least",
    )
    assert layer.inputs is saved
    np.testing.assert_array_equal(layer.forward(X), out)


def test_integer_inputs_are_converted_to_float():
    out = nb.MaxPool1D(2).forward(np.arange(6).reshape(1, 6, 1))
    assert out.dtype == np.float64 and out[0, :, 0].tolist() == [1.0, 3.0, 5.0]


# --------------------------------------------------------------------------- in a model


def pooled_cnn(**kwargs):
    return nb.Model(
        [
            nb.Conv2D(1, 4, 3, padding="same", rng=0),
            nb.ReLU(),
            nb.MaxPool2D(2),
            nb.Conv2D(4, 6, 3, padding="same", rng=1),
            nb.ReLU(),
            nb.AvgPool2D(2, stride=1),
            nb.Flatten(),
            nb.Dense(6 * 3 * 3, 3, rng=2),
        ],
        loss=nb.SoftmaxCrossEntropy(),
        optimizer=nb.Adam(learning_rate=0.01),
        **kwargs,
    )


def image_data(k=48, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((k, 8, 8, 1))
    labels = (X[:, :4, :4, 0].mean(axis=(1, 2)) > 0).astype(int) + (X[:, 4:, 4:, 0].mean(axis=(1, 2)) > 0)
    return X, labels


def test_a_pooled_cnn_trains_and_its_gradients_check_out():
    model = pooled_cnn()
    X, labels = image_data()
    report = nb.check_model(model, X[:6], np.eye(3)[labels[:6]])
    assert max(report.values()) < 1e-6, report
    history = model.fit(X, labels, epochs=15, batch_size=16, verbose=0, rng=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]


def test_model_checks_the_shapes_through_the_pooling_layers():
    X, labels = image_data(k=8)
    wrong_width = nb.Model([nb.Conv2D(1, 2, 3, padding="same", rng=0), nb.MaxPool2D(2), nb.Flatten(), nb.Dense(128, 3)])
    raises(
        ValueError,
        lambda: wrong_width.fit(X, np.eye(3)[labels], verbose=0),
        "layer 3, Dense(128, 3) expects 128 inputs",
        "outputs 32",
    )
    too_small = nb.Model([nb.MaxPool2D(4), nb.MaxPool2D(4), nb.Flatten(), nb.Dense(2, 3)])
    raises(
        ValueError,
        lambda: too_small.fit(X, np.eye(3)[labels], verbose=0),
        "layer 1, MaxPool2D has windows of (4, 4)",
        "no window fits",
    )
    no_channels = nb.Model([nb.MaxPool2D(2), nb.Flatten(), nb.Dense(16, 3)])
    raises(
        ValueError,
        lambda: no_channels.fit(X[..., 0], np.eye(3)[labels], verbose=0),
        "MaxPool2D expects 2 axes and the channels per sample",
    )
    # channels are kept: Conv -> Pool -> Conv with the wrong c_in is refused when the model is built
    raises(ValueError, lambda: nb.Model([nb.Conv2D(1, 4, 3), nb.MaxPool2D(2), nb.Conv2D(5, 2, 3)]), "expects 5 inputs")


def test_a_pooling_layer_first_reads_the_data_itself():
    model = nb.Model([nb.MaxPool1D(2), nb.Flatten(), nb.Dense(6, 2, rng=0)])
    X = np.random.default_rng(0).standard_normal((10, 6, 2))
    model.fit(X, X[:, :2, 0], epochs=2, verbose=0, rng=0)
    assert model.predict(X).shape == (10, 2)


def test_save_and_load_keep_the_pooling_layers_and_same_padding(tmp_path):
    model = pooled_cnn()
    X, labels = image_data()
    model.fit(X, labels, epochs=2, batch_size=16, verbose=0, rng=0)
    path = tmp_path / "pooled.npz"
    model.save(path)
    loaded = nb.Model.load(path)
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]
    assert loaded.config() == model.config()
    assert loaded.layers[0].padding == "same" and loaded.layers[5].stride == (1, 1)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_file_with_bad_pooling_or_padding_settings_is_refused(tmp_path):
    import json

    model = nb.Model([nb.Conv1D(1, 2, 3, padding="same", rng=0), nb.MaxPool1D(2), nb.Flatten(), nb.Dense(4, 1, rng=1)])
    path = tmp_path / "m.npz"
    model.save(path)
    with np.load(path) as file:
        arrays = dict(file)
    for change, text in [
        (lambda c: c["layers"][1].update(pool_size=0), "MaxPool1D expects pool_size >= 1"),
        (lambda c: c["layers"][1].update(pool_size=[2, 2]), "MaxPool1D expects pool_size to be an int; got [2, 2]"),
        (lambda c: c["layers"][1].update(size=2), "MaxPool1D got an unexpected keyword argument 'size'"),
        (lambda c: c["layers"][0].update(padding="full"), 'Conv1D expects padding to be "same" or an int'),
    ]:
        config = json.loads(str(arrays["architecture"]))
        change(config)
        bad = tmp_path / "bad.npz"
        np.savez(bad, **{**arrays, "architecture": np.array(json.dumps(config))})
        with pytest.raises(ValueError, match=re.escape(text)):
            nb.Model.load(bad)
