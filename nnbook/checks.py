# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/errors.md:81
"""Input validation shared by layers, losses, optimizers and the model.

Each function raises ``ValueError`` (bad value or shape) or ``TypeError``
(not a number at all) with a message that names what was expected and what
came.  Structural checks are O(1); only ``check_finite`` reads the data.
"""

import math
import numbers

import numpy as np

# Layers accept these dtypes for their parameters.
FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


# The helpers below run only when something is already wrong (or x is not an
# ndarray), so they may take their time to build a good message.


def _as_array(x, name: str, expected: str, where: str) -> np.ndarray:
    """``np.asarray(x)`` that fails with our message instead of numpy's.

    An ``np.matrix`` becomes a plain 2-D array; a masked array is refused.
    """
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{where} expects {name} as a plain array of shape {expected};"
            f" got a masked array, whose hidden values would be used as"
            f" data: pass {name}.filled(value) or drop the masked rows"
            f" ({name}.compressed() flattens)"
        )
    try:
        return np.asarray(x)
    except (ValueError, TypeError):
        message = f"{where} expects {name} as an array of shape {expected};"
        message += f" got a {type(x).__name__} that numpy cannot turn into"
        message += " one array (rows of different lengths?)"
        raise ValueError(message) from None


def _refuse_dtype(x: np.ndarray, name: str, expected: str, where: str) -> None:
    """Raise for an array that does not hold real numbers.

    Real numbers: the dtype kinds float, int and uint.
    """
    kind = x.dtype.kind
    message = f"{where} expects {name} of shape {expected} holding real"
    message += f" numbers; got dtype {x.dtype}"
    if kind == "b":
        message += ": convert booleans on purpose, e.g."
        message += f" {name}.astype(np.float64)"
    elif kind in "US":
        message += " (strings): convert with"
        message += f" np.asarray({name}, dtype=np.float64)"
    elif kind == "O":
        message += " (Python objects, such as None or a mix of types)"
    elif kind == "c":
        message += " (complex numbers are not supported)"
    raise TypeError(message)


# docs/implementation/errors.md:149
def as_2d_array(
    x,
    name: str = "inputs",
    *,
    n_features: int | None = None,
    dtype: np.dtype | None = None,
    where: str = "Dense",
    symbol: str = "n",
) -> np.ndarray:
    """Return ``x`` as a float array of shape (k, n_features), k >= 1.

    Otherwise raise.

    ``n_features=None`` accepts any number of columns (at least one), named
    ``symbol`` in messages.  Integers are converted to ``dtype`` (float64 if
    None); floats are converted only when ``dtype`` is given and differs.
    O(1) unless a conversion is needed.

    >>> as_2d_array([[1, 2, 3]], n_features=3)
    array([[1., 2., 3.]])
    """
    if (
        type(x) is np.ndarray  # not a subclass: np.matrix, masked arrays
        and x.dtype == dtype
        and x.ndim == 2
        and x.shape[0]
        and x.shape[1] == n_features
    ):
        return x  # the fast path of every batch: valid, in the layer's dtype
    # No string is built below unless something is wrong.
    expected = f"(k, {n_features or symbol})"
    if type(x) is not np.ndarray:  # a list, or a subclass such as np.matrix
        x = _as_array(x, name, expected, where)
    if x.dtype.kind not in "fiu":
        _refuse_dtype(x, name, expected, where)
    shape = x.shape
    if n_features is None:
        wrong_width = len(shape) == 2 and not shape[1]
    else:
        wrong_width = len(shape) == 2 and shape[1] != n_features
    if len(shape) != 2 or not shape[0] or wrong_width:
        message = _shape_message(shape, name, expected, n_features, where)
        labels = x.dtype.kind in "iu"
        if len(shape) == 1 and (n_features or 0) > 1 and labels:
            # (k,) integers where m > 1 columns are expected: class labels
            message = f"{where} expects {name} of shape {expected}; got"
            message += f" {shape}: for integer class labels use a"
            message += " classification loss, nb.SoftmaxCrossEntropy()"
        raise ValueError(message)
    if dtype is None:
        return x if x.dtype.kind == "f" else x.astype(np.float64)
    return x if x.dtype == dtype else x.astype(dtype)


# docs/implementation/errors.md:215
def _shape_message(
    shape: tuple,
    name: str,
    expected: str,
    n_features: int | None,
    where: str,
) -> str:
    message = f"{where} expects {name} of shape {expected}; got {shape}"
    width = n_features or (shape[1] if len(shape) == 2 else None)
    if len(shape) == 2 and shape[0] == 0 and shape[1] == width:
        message = f"{where} expects {name} of shape {expected} with at least"
        return message + f" one sample; got {shape}"
    if len(shape) == 0:
        return message + ": a single number, not a batch of samples"
    if len(shape) == 1:
        message += f": {name} is 1-D; "
        if n_features == 1 or n_features is None:
            message += f"use {name}.reshape(-1, 1)"
            return message + f" for {shape[0]} samples of one feature"
        if shape[0] == n_features:
            return message + f"use {name}.reshape(1, -1) for one sample"
        return message + f"reshape it to (k, {n_features})"
    if len(shape) == 2 and shape[1] == 0:
        return message + ": no columns"
    # The transpose, only when it would fit: n rows, and not n columns.
    transposed = len(shape) == 2 and n_features is not None
    transposed = transposed and shape[0] == n_features != shape[1]
    if transposed:
        message += f": did you pass the transpose? {name}.T has shape"
        return message + f" {shape[::-1]}"
    return message


# docs/implementation/errors.md:282
def as_batch_array(
    x,
    name: str = "inputs",
    *,
    shape=...,
    dtype=None,
    where: str = "ReLU",
) -> np.ndarray:
    """Return ``x`` as a float array of shape (k, *shape), k >= 1, or raise.

    ``shape`` is one sample's shape: ints are sizes, strings name a size
    that may be anything; ``...`` accepts any shape of at least one axis.
    Conversions as in ``as_2d_array``; O(1) unless one is needed.

    >>> as_batch_array(np.ones((4, 40, 1)), shape=("length", 1)).shape
    (4, 40, 1)
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.ndim >= 2:
        if x.size and _fits(x.shape, shape) and dtype in (None, x.dtype):
            return x  # the fast path of every batch
    if shape is ...:
        wanted = "(k, m) or (k, ...)"
    else:
        wanted = str(("k", *shape)).replace("'", "")
    if not isinstance(x, np.ndarray):
        x = _as_array(x, name, wanted, where)
    if shape is ... and x.ndim <= 2:  # a matrix, or as_2d_array's mistakes
        return as_2d_array(x, name, dtype=dtype, where=where, symbol="m")
    if x.dtype.kind not in "fiu":
        _refuse_dtype(x, name, wanted, where)
    if x.ndim < 2 or not x.size or not _fits(x.shape, shape):
        message = f"{where} expects {name} of shape {wanted}; got {x.shape}"
        if shape is not ... and x.ndim == len(shape) and shape[-1] == 1:
            message += f": add the channel axis, {name}[..., np.newaxis]"
        raise ValueError(message)
    if dtype is None:
        return x if x.dtype.kind == "f" else x.astype(np.float64)
    return x if x.dtype == dtype else x.astype(dtype)


def _fits(got: tuple, shape) -> bool:
    """Whether a batch shape (k, ...) matches one sample's ``shape``."""
    if shape is ...:
        return True
    if len(got) != len(shape) + 1:
        return False
    sizes = zip(shape, got[1:], strict=True)
    return all(isinstance(size, str) or size == n for size, n in sizes)


# docs/implementation/errors.md:333
def check_same_shape(
    y_pred,
    y_true,
    *,
    where: str = "MeanSquaredError",
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(y_pred, y_true)`` as float arrays of one shape (k, m).

    k >= 1, or raise. Both take the dtype of ``y_pred`` if it is a float
    array, else float64. O(1) unless converted.

    >>> check_same_shape([[1.0]], [[2]])
    (array([[1.]]), array([[2.]]))
    """
    if (
        type(y_pred) is np.ndarray
        and type(y_true) is np.ndarray
        and y_pred.ndim == 2
        and y_pred.shape == y_true.shape
        and y_pred.dtype == y_true.dtype
        and y_pred.dtype.kind == "f"
        and y_pred.size
    ):
        return y_pred, y_true  # the fast path of every batch
    if type(y_pred) is not np.ndarray:
        y_pred = _as_array(y_pred, "y_pred", "(k, m)", where)
    if type(y_true) is not np.ndarray:
        y_true = _as_array(y_true, "y_true", "(k, m)", where)
    if y_pred.dtype.kind not in "fiu":
        _refuse_dtype(y_pred, "y_pred", "(k, m)", where)
    if y_true.dtype.kind not in "fiu":
        _refuse_dtype(y_true, "y_true", "(k, m)", where)
    a, b = y_pred.shape, y_true.shape
    if a != b or len(a) != 2:
        message = f"{where} expects y_pred and y_true of the same shape"
        message += f" (k, m); got {a} and {b}"
        if len(a) == 2 and len(b) == 2:
            if a[0] != b[0]:
                message += f": {a[0]} predictions for {b[0]} targets"
            else:
                message += f": {a[1]} outputs per sample predicted,"
                message += f" {b[1]} expected"
        for name, shape in (("y_pred", a), ("y_true", b)):
            if len(shape) == 1:
                message += f"; {name} is 1-D: use {name}.reshape(-1, 1)"
        raise ValueError(message)
    if a[0] == 0 or a[1] == 0:
        message = f"{where} expects y_pred and y_true of shape (k, m) with"
        raise ValueError(message + f" k >= 1 and m >= 1; got {a}")
    dtype = y_pred.dtype if y_pred.dtype.kind == "f" else np.dtype(np.float64)
    if y_pred.dtype != dtype:
        y_pred = y_pred.astype(dtype)
    if y_true.dtype != dtype:
        y_true = y_true.astype(dtype)
    return y_pred, y_true


def check_same_samples(
    X: np.ndarray,
    y: np.ndarray,
    *,
    names: str = "X and y",
    where: str = "Model.fit",
) -> None:
    """Raise unless ``X`` (k, n) and ``y`` (k, m) have the same k.

    >>> check_same_samples(np.ones((4, 2)), np.ones((4, 1)))
    """
    if len(X) != len(y):
        message = f"{where} expects {names} with the same number of samples"
        raise ValueError(message + f" k; got {len(X)} and {len(y)}")


# docs/implementation/errors.md:416
def check_finite(x: np.ndarray, name: str, *, where: str) -> np.ndarray:
    """Return ``x`` if it holds no NaN or inf; otherwise raise.

    The message counts and locates them. O(x.size).

    >>> check_finite(np.ones((2, 2)), "X", where="Model.fit").shape
    (2, 2)
    """
    finite = np.isfinite(x)
    if finite.all():
        return x
    n_nan = int(np.isnan(x).sum())
    n_inf = int(x.size - finite.sum()) - n_nan
    first = tuple(int(i) for i in np.argwhere(~finite)[0])
    message = f"{where} expects finite numbers in {name}; found {n_nan} NaN"
    message += f" and {n_inf} inf (the first at index {first})"
    raise ValueError(message)


class LossOverflowError(ValueError):
    """The loss of finite predictions and targets overflowed to inf."""


def check_finite_loss(
    losses: np.ndarray,
    y_pred: np.ndarray,
    y_true: np.ndarray,
    *,
    where: str,
) -> np.ndarray:
    """Return the per-sample ``losses`` (k,) if their sum is finite.

    Otherwise say why it is not. One reduction over k numbers guards all
    k * m inputs, because NaN and inf are contagious.

    >>> zeros = np.zeros((2, 1))
    >>> check_finite_loss(np.zeros(2), zeros, zeros, where="MeanSquaredError")
    array([0., 0.])
    """
    # losses.sum() without its Python wrapper
    if math.isfinite(np.add.reduce(losses)):
        return losses
    check_finite(y_pred, "y_pred", where=where)
    check_finite(y_true, "y_true", where=where)
    largest = float(np.abs(y_pred).max())
    message = f"{where} got finite y_pred and y_true, but the loss overflowed"
    message += f" (largest |y_pred| is {largest:.3g}): the inputs are too"
    message += " large for the network, or it diverged; scale the inputs, or"
    raise LossOverflowError(message + " retrain with a smaller learning rate")


# docs/implementation/errors.md:499
def check_positive_int(value, name: str, *, where: str) -> int:
    """Return ``value`` as an int if it is an integer >= 1, else raise.

    >>> check_positive_int(3, "n_inputs", where="Dense")
    3
    """
    message = f"{where} expects {name} to be a positive integer"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        kind = type(value).__name__
        raise TypeError(message + f"; got {value!r} ({kind})")
    if value < 1:
        raise ValueError(message + f"; got {value}")
    return int(value)


def _as_real(value, name: str, condition: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        message = f"{where} expects {name} to be a real number {condition}"
        kind = type(value).__name__
        raise TypeError(message + f"; got {value!r} ({kind})")
    return float(value)


def check_positive_number(value, name: str, *, where: str) -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise.

    >>> check_positive_number(0.05, "learning_rate", where="SGD")
    0.05
    """
    number = _as_real(value, name, "> 0", where)
    if not (math.isfinite(number) and number > 0):
        message = f"{where} expects {name} to be a finite number > 0"
        raise ValueError(message + f"; got {value!r}")
    return number


def check_non_negative_number(value, name: str, *, where: str) -> float:
    """Return ``value`` as a float if it is finite and >= 0, else raise.

    For regularization strengths.

    >>> check_non_negative_number(0, "weight_l2", where="Dense")
    0.0
    """
    number = _as_real(value, name, ">= 0", where)
    if not (math.isfinite(number) and number >= 0):
        message = f"{where} expects {name} to be a finite number >= 0"
        raise ValueError(message + f"; got {value!r}")
    return number


def check_learning_rate(value, *, where: str = "SGD") -> float:
    """A learning rate is a finite number > 0.

    >>> check_learning_rate(1e-3)
    0.001
    """
    return check_positive_number(value, "learning_rate", where=where)


# docs/implementation/errors.md:560
def check_fraction(value, name: str, *, where: str) -> float:
    """Return ``value`` as a float if it lies in [0, 1), else raise.

    For momentum, Adam's betas and the dropout rate.

    >>> check_fraction(0.9, "momentum", where="SGDMomentum")
    0.9
    """
    number = check_non_negative_number(value, name, where=where)
    if number >= 1.0:
        message = f"{where} expects {name} to be a number in [0, 1)"
        raise ValueError(message + f"; got {value!r}")
    return number


# docs/implementation/errors.md:576
def check_finite_number(value, name: str, *, where: str) -> float:
    """Return ``value`` as a float if it is a finite real number, else raise.

    >>> check_finite_number(0.5, "threshold", where="binary_accuracy")
    0.5
    """
    number = _as_real(value, name, "(finite)", where)
    if not math.isfinite(number):
        message = f"{where} expects {name} to be a finite number"
        raise ValueError(message + f"; got {value!r}")
    return number


def check_flag(value, name: str, *, where: str, levels: int = 1) -> int:
    """Return ``value`` as an int if it is a bool or an int 0..levels.

    >>> check_flag(False, "shuffle", where="Model.fit")
    0
    """
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, numbers.Integral) and 0 <= int(value) <= levels:
        return int(value)
    allowed = "True or False" if levels == 1 else f"an int 0 to {levels}"
    hint = ""
    if isinstance(value, str):
        hint = ": a string is not a switch (any non-empty one is true)"
    error = ValueError if isinstance(value, numbers.Integral) else TypeError
    message = f"{where} expects {name} to be {allowed}; got {value!r}"
    raise error(message + f" ({type(value).__name__}){hint}")


# docs/implementation/errors.md:609
def as_generator(rng, *, where: str) -> np.random.Generator:
    """Turn ``rng`` into a Generator, or raise.

    ``rng`` is an int seed >= 0, a numpy Generator or None.

    >>> first = as_generator(0, where="Dense").integers(10)
    >>> first == np.random.default_rng(0).integers(10)
    np.True_
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            message = f"{where} expects rng to be a seed >= 0"
            raise ValueError(message + f"; got {rng}")
        return np.random.default_rng(int(rng))
    hint = ""
    if isinstance(rng, np.random.RandomState):
        hint = ": use np.random.default_rng(seed) instead"
    message = f"{where} expects rng to be an int seed, a numpy Generator or"
    message += f" None; got {rng!r} ({type(rng).__name__})"
    raise TypeError(message + hint)


def as_float_dtype(dtype, *, where: str) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise.

    >>> as_float_dtype(np.float32, where="Dense")
    dtype('float32')
    """
    try:
        result = np.dtype(dtype)
    except TypeError:
        # careful: np.dtype(None) is float64, so test for None first
        result = None
    if result is None or result not in FLOAT_DTYPES:
        if isinstance(dtype, type):
            shown = f"np.{dtype.__name__}"
        else:
            shown = repr(dtype)
        message = f"{where} expects dtype to be np.float32 or np.float64"
        raise TypeError(message + f"; got {shown}")
    return result


# docs/implementation/errors.md:655
def check_gradient(
    dvalues,
    inputs: np.ndarray | None,
    *,
    n_outputs: int | None = None,
    dtype=None,
    where: str,
) -> np.ndarray:
    """Return ``dvalues`` if its shape is (k, m) of the last forward pass.

    Otherwise raise. O(1). ``inputs`` is the (k, n) array the layer kept
    from ``forward`` (None if it never ran); m is ``n_outputs``; when None,
    dvalues has the inputs' shape (element-wise layers, any batch shape).
    ``dvalues`` is converted to ``dtype`` if given.

    >>> G, inputs = np.ones((4, 2)), np.ones((4, 3))
    >>> check_gradient(G, inputs, n_outputs=2, where="Dense").shape
    (4, 2)
    """
    if inputs is None:
        message = f"{where}.backward needs a forward pass first: call"
        message += " forward(inputs), then backward(dvalues)"
        raise RuntimeError(message)
    k = inputs.shape[0]
    expected = inputs.shape if n_outputs is None else (k, n_outputs)
    method = f"{where}.backward"
    if type(dvalues) is not np.ndarray:
        dvalues = _as_array(dvalues, "dvalues", str(expected), method)
    if dvalues.dtype.kind not in "fiu":
        _refuse_dtype(dvalues, "dvalues", str(expected), method)
    if dvalues.shape != expected:
        message = f"{method} expects dvalues of shape {expected}, like its"
        message += f" last forward output; got {dvalues.shape}"
        raise ValueError(message)
    if dtype is not None and dvalues.dtype != dtype:
        dvalues = dvalues.astype(dtype)
    return dvalues


def as_layer_list(layers, *, where: str = "regularization_loss") -> list:
    """Return ``list(layers)``.

    A single layer or a non-iterable gets a clear TypeError.

    >>> as_layer_list(())
    []
    """
    message = f"{where} expects a list of layers"
    kind = type(layers).__name__
    if hasattr(layers, "forward"):
        raise TypeError(message + f"; got one {kind}: wrap it, [layer]")
    try:
        return list(layers)
    except TypeError:
        raise TypeError(message + f"; got {kind}") from None


def check_trainable(layer, *, where: str = "SGD.update") -> None:
    """Raise unless ``layer`` has weights and the gradients of a backward.

    O(1).

    >>> fields = {"weights": 1, "biases": 1, "dweights": 0, "dbiases": 0}
    >>> check_trainable(type("Layer", (), fields)())
    """
    # backward has run: the common case costs one lookup
    if hasattr(layer, "dbiases"):
        return
    if not (hasattr(layer, "weights") and hasattr(layer, "biases")):
        message = f"{where} expects a layer with weights and biases, such as"
        raise TypeError(message + f" Dense; got {type(layer).__name__}")
    message = f"{where} needs the layer's gradients: call backward(dvalues)"
    raise RuntimeError(message + " before update(layer)")


def check_step_arrays(parameters, gradients, *, where: str) -> None:
    """Raise unless both are numpy float arrays of one shape, e.g. (p,).

    O(1). ``parameters -= r * gradients`` would broadcast a (1,) or a (p, 1)
    gradient over the parameters without a word; this refuses it first.

    >>> check_step_arrays(np.zeros(3), np.ones(3), where="SGD.step")
    """
    arrays = (isinstance(a, np.ndarray) for a in (parameters, gradients))
    both = all(arrays)
    if both and parameters.shape == gradients.shape:
        floats = parameters.dtype.kind == "f"
        if floats and parameters.flags.writeable:
            if gradients.dtype.kind in "fiu":  # not bool, complex, text
                return
            expected = "real numbers as gradients (float or int)"
            message = f"{where} expects {expected}; got {gradients.dtype}"
            raise TypeError(message)
        kind = f"read-only {parameters.dtype}" if floats else parameters.dtype
        message = f"{where} expects parameters as a writable float array"
        raise TypeError(f"{message} (it updates them in place); got {kind}")
    if not both:
        kinds = f"{type(parameters).__name__} and {type(gradients).__name__}"
        raise TypeError(f"{where} expects two numpy arrays; got {kinds}")
    expected = f"gradients of the parameters' shape {parameters.shape}"
    message = f"{where} expects {expected}; got {gradients.shape}"
    raise ValueError(message + " (nothing is broadcast)")


# docs/implementation/errors.md:1997
def check_data(
    X,
    y=None,
    *,
    n_features: int | tuple | None,
    n_outputs: int | None = None,
    dtype=np.float64,
    where: str = "Model.fit",
) -> tuple[np.ndarray, np.ndarray | None]:
    """Validate a whole data set once: X (k, n) and, if given, y (k, m).

    A tuple ``n_features`` is one sample's shape (see ``as_batch_array``):
    X is then (k, *shape). Returns both as ``dtype``. O(k * (n + m)): call
    it once per fit, predict or evaluate, not per batch.

    >>> X, y = [[0.0], [1.0]], [[1], [2]]
    >>> X, y = check_data(X, y, n_features=1, n_outputs=1)
    >>> X.shape, y.dtype
    ((2, 1), dtype('float64'))
    """
    given, shape = X, n_features  # columns, None, or one sample's shape
    if isinstance(shape, int) or shape is None:
        X = as_2d_array(X, "X", n_features=shape, dtype=dtype, where=where)
    else:  # a sample shape such as ("length", 1): see as_batch_array
        X = as_batch_array(X, "X", shape=shape, dtype=dtype, where=where)
    _check_converted(given, X, "X", where)
    if y is None:
        return X, None
    given = y
    y = as_2d_array(
        y,
        "y",
        n_features=n_outputs,
        dtype=dtype,
        where=where,
        symbol="m",
    )
    check_same_samples(X, y, where=where)
    _check_converted(given, y, "y", where)
    return X, y


def _check_converted(given, x: np.ndarray, name: str, where: str) -> None:
    """``check_finite(x)``, telling an overflow in the conversion from inf.

    ``x`` is ``given`` converted to the model's dtype: float64 numbers
    beyond 3.4e38 become inf in float32, and that is not the user's inf.
    """
    if np.isfinite(x).all():
        return
    original = np.asarray(given)  # runs only when something is wrong
    if original.dtype.kind == "f" and original.dtype != x.dtype:
        check_finite(original, name, where=where)  # a NaN or inf of theirs
        largest = float(np.abs(original).max())
        limit = float(np.finfo(x.dtype).max)
        raise ValueError(
            f"{where} expects {name} that fits in {x.dtype} (the model's"
            f" dtype, up to {limit:.3g}); its largest |value| is"
            f" {largest:.3g}: scale the data, or build a float64 model"
        )
    check_finite(x, name, where=where)


# docs/implementation/errors.md:2076
def check_metrics(metrics, known, *, where: str = "Model") -> tuple:
    """``metrics`` as a tuple of names, each a key of ``known``."""
    if isinstance(metrics, str):
        got = f"got the string {metrics!r}: use [{metrics!r}]"
        raise TypeError(f"{where} expects metrics as a list of names; {got}")
    if not isinstance(metrics, (list, tuple)):  # a generator is read once
        kind = type(metrics).__name__
        number = isinstance(metrics, (int, float))
        got = f"got {metrics!r} ({kind})" if number else f"got a {kind}"
        raise TypeError(f"{where} expects metrics as a list of names; {got}")
    unknown = [name for name in metrics if name not in known]
    if unknown:
        names = f"known: {sorted(known)}"
        raise ValueError(f"{where} got unknown metrics {unknown}; {names}")
    return tuple(metrics)


def check_validation_data(data, *, where: str = "Model.fit") -> None:
    """Raise unless ``data`` is a pair (X_val, y_val) with a y_val."""
    is_sequence = isinstance(data, (tuple, list))
    if not is_sequence or len(data) != 2:
        shown = f"a {type(data).__name__}"
        if is_sequence:
            shown += f" of {len(data)} items"
        expected = "validation_data as a pair (X_val, y_val)"
        raise TypeError(f"{where} expects {expected}; got {shown}")
    if data[1] is None:
        message = f"{where} expects validation_data as a pair"
        raise TypeError(message + " (X_val, y_val); got y_val None")


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "FLOAT_DTYPES",
    "LossOverflowError",
    "as_2d_array",
    "as_batch_array",
    "as_float_dtype",
    "as_generator",
    "as_layer_list",
    "check_data",
    "check_finite",
    "check_finite_loss",
    "check_finite_number",
    "check_flag",
    "check_fraction",
    "check_gradient",
    "check_learning_rate",
    "check_metrics",
    "check_non_negative_number",
    "check_positive_int",
    "check_positive_number",
    "check_same_samples",
    "check_same_shape",
    "check_step_arrays",
    "check_trainable",
    "check_validation_data",
]
