# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/classification/accuracy.md
#   docs/regularization/dropout.md
#   docs/convolution/conv2d.md
#   docs/convolution/pooling.md
#   docs/implementation/errors.md
#   docs/implementation/saving.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/saving.md:52
"""The model file: its format version, the tables of known classes, save
and load.

With the readers that check a file before anything is built.
"""

import contextlib
import io
import json
import math
import os
import re
import tempfile
import zipfile

import numpy as np

from nnbook.activations import Linear, ReLU
from nnbook.layers import Dense
from nnbook.losses import MeanAbsoluteError, MeanSquaredError
from nnbook.optimizers import SGD, AdaGrad, Adam, RMSprop, SGDMomentum
from nnbook.protocol import Configurable, Stateful, Trainable, describe

# docs/classification/accuracy.md:364
from nnbook.activations import Sigmoid, Softmax
from nnbook.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
)

# docs/regularization/dropout.md:434
from nnbook.dropout import Dropout

# docs/convolution/conv2d.md:246
from nnbook.conv import Conv1D, Conv2D, Flatten

# docs/convolution/pooling.md:477
from nnbook.conv import AvgPool1D, AvgPool2D, MaxPool1D, MaxPool2D

# docs/implementation/errors.md:2370
from nnbook.checks import as_float_dtype, check_positive_int


# docs/implementation/saving.md:77
FORMAT_VERSION = 3  # 2: training state; 3: fit's shuffle stream; all load

# The only classes a model file can name; load() instantiates nothing else.
LAYERS = {
    "Dense": Dense,
    "ReLU": ReLU,
    "Linear": Linear,
    # docs/classification/accuracy.md:375
    "Softmax": Softmax,
    "Sigmoid": Sigmoid,
    # docs/regularization/dropout.md:439
    "Dropout": Dropout,
    # docs/convolution/conv2d.md:251
    "Conv1D": Conv1D,
    "Conv2D": Conv2D,
    "Flatten": Flatten,
    # docs/convolution/pooling.md:470
    "MaxPool1D": MaxPool1D,
    "AvgPool1D": AvgPool1D,
    "MaxPool2D": MaxPool2D,
    "AvgPool2D": AvgPool2D,
    # docs/implementation/saving.md:85
    # (the layers of later chapters join above)
}
LOSSES = {
    "MeanSquaredError": MeanSquaredError,
    "MeanAbsoluteError": MeanAbsoluteError,
    # docs/classification/accuracy.md:380
    "CategoricalCrossEntropy": CategoricalCrossEntropy,
    "SoftmaxCrossEntropy": SoftmaxCrossEntropy,
    "BinaryCrossEntropy": BinaryCrossEntropy,
    "SigmoidBinaryCrossEntropy": SigmoidBinaryCrossEntropy,
    # docs/implementation/saving.md:91
    # (the losses of later chapters join above)
}
OPTIMIZERS = {
    "SGD": SGD,
    "SGDMomentum": SGDMomentum,
    "Adam": Adam,
    "AdaGrad": AdaGrad,
    "RMSprop": RMSprop,
}


def optimizer_config(optimizer) -> dict:
    """JSON-ready description of the optimizer.

    Its class name and hyper-parameters, not its state.
    """
    if isinstance(optimizer, Configurable):
        config = optimizer.config()
    else:
        config = {"learning_rate": optimizer.learning_rate}
    return {"type": type(optimizer).__name__, **config}


def layer_config(layer) -> dict:
    """JSON-ready description of a layer: its class, its arguments."""
    config = {"type": type(layer).__name__}
    if isinstance(layer, Dense):
        n_inputs, n_neurons = layer.weights.shape
        config.update(
            n_inputs=n_inputs,
            n_neurons=n_neurons,
            dtype=layer.weights.dtype.name,
            weight_l1=layer.weight_l1,
            weight_l2=layer.weight_l2,
            bias_l1=layer.bias_l1,
            bias_l2=layer.bias_l2,
        )
    elif isinstance(layer, Configurable):
        # a layer with settings of its own (Dropout's rate) describes itself
        config.update(layer.config())
    return config


# docs/implementation/saving.md:144
def _file_name(file, *, where: str) -> str:
    """How messages name ``file``; refuses what is neither a path nor a
    binary file object (a file descriptor would be closed)."""
    if isinstance(file, (str, bytes, os.PathLike)):
        return repr(os.fsdecode(file))
    if isinstance(file, io.TextIOBase):
        message = f"{where} expects a binary file object; got a text file"
        raise TypeError(message + ": open it with mode 'rb' or 'wb'")
    if hasattr(file, "read") or hasattr(file, "write"):
        return repr(getattr(file, "name", type(file).__name__))
    message = f"{where} expects a path or a binary file object"
    if isinstance(file, int):  # not shown: descriptors differ from run to run
        message += "; got an int, a file descriptor, which is refused (Python"
        raise TypeError(message + " would close it): pass a path instead")
    raise TypeError(message + f"; got {file!r} ({type(file).__name__})")


def _recordable(part, table: dict, what: str) -> None:
    """Raise unless ``part`` is of a class that ``table`` names."""
    name = type(part).__name__
    if table.get(name) is not type(part):
        raise ValueError(
            f"Model.save cannot record {what}, {name}: a model file"
            f" names only {sorted(table)}, and Model.load would refuse"
            f" it; for a class of your own, keep its parameters with"
            f" np.savez and rebuild the model in code"
        )


def _model_arrays(model) -> dict[str, np.ndarray]:
    """The arrays ``save`` writes: version, architecture, parameters.

    Raises, naming the layer, for what ``load`` would refuse.
    """
    _recordable(model.loss, LOSSES, "the loss")
    _recordable(model.optimizer, OPTIMIZERS, "the optimizer")
    config = model_config(model)
    arrays = {"format_version": np.array(FORMAT_VERSION)}
    for i, layer in enumerate(model.layers):
        _recordable(layer, LAYERS, f"layer {i}")
        if isinstance(layer, Stateful):  # the random stream, to resume exactly
            config["layers"][i]["state"] = layer.state()
        if not isinstance(layer, Trainable):
            continue
        for name in ("weights", "biases"):
            value = getattr(layer, name)
            if not np.isfinite(value).all():
                raise ValueError(
                    f"Model.save refuses layer {i}'s {name}: they hold NaN"
                    f" or inf, and Model.load would refuse the file; the"
                    f" model is unusable (did training diverge?): retrain"
                    f" it, or keep the file you have"
                )
            arrays[f"layer{i}.{name}"] = value
    try:
        text = json.dumps(config)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Model.save cannot write the architecture as JSON ({error})"
            f"; a layer's generator must be np.random.default_rng's"
        ) from None
    arrays["architecture"] = np.array(text)  # a unicode array, no pickle
    return arrays


# docs/implementation/saving.md:210
def model_config(model) -> dict:
    """The architecture as JSON-ready data: layers, loss, optimizer."""
    return {
        "layers": [layer_config(layer) for layer in model.layers],
        "loss": type(model.loss).__name__,
        "optimizer": optimizer_config(model.optimizer),
        "metrics": list(model.metrics),
    }


# docs/implementation/saving.md:259
def save_model(model, path: str | os.PathLike) -> None:
    """``Model.save``: write ``model`` to ``path``.

    A path is written atomically, a binary file object as it is, and only
    after checking that ``load_model`` would take the arrays.
    """
    name = _file_name(path, where="Model.save")
    arrays = _model_arrays(model)  # raises, naming the layer, before any write
    arrays.update(_training_state_arrays(model))  # see "resuming" below
    arrays["architecture"] = _listing_members(arrays)  # the file's own list
    try:
        _model_from_arrays(arrays, type(model))  # what load will check
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        message = f"Model.save refuses to write {name}: Model.load"
        raise ValueError(message + f" would refuse it ({error})") from None
    if not isinstance(path, (str, bytes, os.PathLike)):
        writable = getattr(path, "writable", None)
        if callable(writable) and not writable():
            message = f"Model.save cannot write to {name}: the file object"
            message += " is open for reading; open it with 'wb'"
            raise ValueError(message)
        np.savez(path, **arrays)  # a file object: the caller owns it
        return
    path = os.fsdecode(path)
    # The temporary file must be in the same directory: os.replace is
    # atomic only within one file system.
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=folder)
    except OSError as error:  # name the caller's path, not the temporary one
        given = os.path.dirname(path) or "."  # as the caller wrote it
        why = "does not exist" if not os.path.isdir(folder) else error.strerror
        message = f"Model.save cannot write {path}: the folder {given} {why}"
        raise type(error)(error.errno, message) from None
    try:
        with os.fdopen(fd, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private (0o600); give it what open()
        # would (0o666 less the umask), or keep those of the old file.
        old = os.stat(path).st_mode & 0o777 if os.path.exists(path) else None
        os.chmod(tmp, 0o666 & ~_umask() if old is None else old)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it, and back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# docs/implementation/saving.md:409
MAX_MEMBERS = 1000  # arrays in one file: two per layer, and two more
MAX_ARCHITECTURE = 1_000_000  # characters of JSON
MAX_DEPTH = 8  # nesting of the JSON: model, layers, layer, state, state
MAX_STREAM = 2**30  # bytes read into memory from a stream that cannot seek
# What a damaged or crafted file can make the reading code raise
REFUSALS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


def _read_arrays(file) -> dict[str, np.ndarray]:
    """Every array of the .npz ``file`` (a path or a binary file object),
    read without pickle, each checked from its headers before it is read;
    a damaged or crafted file raises ValueError."""
    if isinstance(file, (str, bytes, os.PathLike)):
        if os.path.exists(file) and not os.path.isfile(file):
            # open() would wait for a writer on a FIFO, forever
            message = "not a regular file (a folder, a pipe or a device):"
            raise ValueError(f"{message} Model.load reads Model.save's files")
        with open(file, "rb") as handle:  # a missing file: FileNotFoundError
            return _read_members(handle)
    seekable = getattr(file, "seekable", None)
    if callable(seekable) and not seekable():  # a pipe: read it, then seek
        return _read_members(io.BytesIO(_read_stream(file)))
    return _read_members(file)  # the caller's file object stays open


def _read_stream(file) -> bytes:
    """All of a stream that cannot seek, up to MAX_STREAM bytes."""
    chunks, size = [], 0
    while chunk := file.read(min(2**20, MAX_STREAM + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_STREAM:
            message = "a stream that cannot seek is read into memory, at"
            message += f" most {MAX_STREAM} bytes; this one is longer: save"
            raise ValueError(message + " the model to a file and load that")
    return b"".join(chunks)


def _read_members(handle) -> dict[str, np.ndarray]:
    if not zipfile.is_zipfile(handle):
        message = "not an .npz (zip) archive: truncated, corrupted,"
        raise ValueError(message + " or not written by Model.save")
    size = handle.seek(0, os.SEEK_END)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            _check_members(members, size)
            arrays = {}
            for info in members:
                with archive.open(info) as member:
                    key = info.filename.removesuffix(".npy")
                    arrays[key] = _read_npy(member, info)
            return arrays
    except (
        OSError,
        EOFError,
        KeyError,
        zipfile.BadZipFile,
        NotImplementedError,  # a compression zipfile lacks
        RuntimeError,  # a member flagged "encrypted"
    ) as error:
        message = f"corrupted: cannot read its arrays ({error})"
        raise ValueError(message) from None


def _check_members(members: list, size: int) -> None:
    """Raise unless the zip's table of contents could be Model.save's."""
    if len(members) > MAX_MEMBERS:
        message = f"it has {len(members)} members; a model file"
        raise ValueError(message + f" has at most {MAX_MEMBERS}")
    names = [info.filename.removesuffix(".npy") for info in members]
    if len(set(names)) != len(names):
        raise ValueError("it holds two members of the same name")
    _check_names(names)  # before anything is read
    for info in members:
        name = info.filename
        if not name.endswith(".npy"):
            raise ValueError(f"member {name!r} is not an .npy array")
        stored = info.compress_type == zipfile.ZIP_STORED
        if not stored or info.compress_size != info.file_size:
            message = f"member {name!r} is compressed"
            message += f" ({info.compress_size} bytes that inflate to"
            message += f" {info.file_size}); Model.save stores arrays as"
            raise ValueError(message + " they are")
    declared = sum(info.file_size for info in members)
    if declared > size:
        message = f"its members declare {declared} bytes"
        raise ValueError(message + f", more than its {size}: truncated")


def _read_npy(member, info) -> np.ndarray:
    """One .npy member, its header checked against its size before reading."""
    name = info.filename
    version = np.lib.format.read_magic(member)  # ValueError if not .npy
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        message = f"{name} is in .npy format {version}"
        raise ValueError(message + ", which nnbook does not read")
    if dtype.hasobject:
        message = "it holds pickled Python objects"
        raise ValueError(message + "; nnbook never loads them")
    if dtype.kind not in "iufU" or dtype.shape:
        message = f"{name} holds {dtype}"
        raise ValueError(message + "; a model file holds numbers and text")
    if dtype.kind == "U" and dtype.itemsize > 4 * MAX_ARCHITECTURE:
        message = f"{name} declares a text of {dtype.itemsize // 4} characters"
        raise ValueError(message + f"; at most {MAX_ARCHITECTURE} are read")
    if any(n < 0 for n in shape):
        raise ValueError(f"{name} declares the shape {shape}")
    needed = math.prod(shape) * dtype.itemsize
    available = info.file_size - member.tell()  # after the header
    if needed != available:
        message = f"{name} declares {dtype} of shape {shape}"
        message += f" ({needed} bytes), but holds {available} bytes"
        raise ValueError(message)
    data = np.frombuffer(member.read(needed), dtype=dtype)
    array = data.reshape(shape, order="F" if fortran else "C")
    return array.astype(dtype.newbyteorder("="))  # a writable, native copy


# docs/implementation/saving.md:562
def _check_names(names) -> None:
    """Raise unless ``names`` holds the two that every model file has."""
    required = ("format_version", "architecture")
    missing = [key for key in required if key not in names]
    if missing:
        found = ", ".join(sorted(names)) or "nothing"
        message = f"not an nnbook model file: no {' or '.join(missing)}"
        raise ValueError(message + f" (it holds: {found})")


def _check_version(arrays: dict) -> None:
    """Raise unless it is a model file in a format this nnbook reads."""
    _check_names(arrays)
    version = arrays["format_version"]
    one = isinstance(version, np.ndarray) and version.shape == ()
    if not (one and version.dtype.kind in "iu"):
        message = "format_version must be one integer"
        raise ValueError(message + f"; got {version!r}")
    reads = f"reads formats 1 to {FORMAT_VERSION}"
    if int(version) > FORMAT_VERSION:
        message = f"written in format {int(version)} by a newer nnbook"
        raise ValueError(message + f"; this one {reads}")
    if int(version) < 1:
        message = f"unknown format version {int(version)}"
        raise ValueError(message + f"; this nnbook {reads}")


def _parameter(arrays: dict, key: str, shape: tuple, dtype: str) -> np.ndarray:
    """The array ``key`` of the file, if it has the ``shape`` and ``dtype``
    that the architecture gives it."""
    if key not in arrays:
        raise ValueError(f"{key} is missing")
    array = arrays[key]
    if not isinstance(array, np.ndarray):
        message = f"{key} should be {dtype} of shape {shape}"
        raise ValueError(message + f"; got {type(array).__name__}")
    if array.dtype.name != dtype or array.shape != shape:
        message = f"{key} should be {dtype} of shape {shape}"
        raise ValueError(message + f"; got {array.dtype} {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{key} holds NaN or inf")
    return array


def _architecture(arrays: dict) -> dict:
    """The architecture's JSON, bounded in length and depth, parsed."""
    architecture = arrays["architecture"]
    if not (architecture.shape == () and architecture.dtype.kind == "U"):
        message = "the architecture is not one JSON string:"
        message += f" {architecture.dtype} {architecture.shape}"
        raise ValueError(message)
    text = str(architecture)
    if len(text) > MAX_ARCHITECTURE:
        message = f"the architecture has {len(text)} characters"
        raise ValueError(message + f"; at most {MAX_ARCHITECTURE} are read")
    # Its depth, counted before parsing, with every string blanked out
    blanked = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).encode()
    codes = np.frombuffer(blanked, np.uint8)
    steps = np.isin(codes, (91, 123)).astype(np.int64)  # [ and {
    steps -= np.isin(codes, (93, 125))  # ] and }
    depth = int(np.cumsum(steps).max(initial=0))
    if depth > MAX_DEPTH:
        message = f"the architecture is nested {depth} deep"
        raise ValueError(message + f"; at most {MAX_DEPTH} levels are read")
    config = json.loads(text)
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise ValueError("the architecture has no list of layers")
    return config


def _declared_shapes(kind: str, spec: dict) -> tuple | None:
    """The shapes of a layer's weights and biases, and their dtype, as its
    settings give them, worked out without building the layer.

    None for a layer without parameters. Dense answers here; a layer class
    with parameters can answer with a static ``parameter_shapes(**spec)``.
    """
    if kind == "Dense":
        n, m = spec.get("n_inputs"), spec.get("n_neurons")
        dtype = spec.get("dtype")
        # docs/implementation/errors.md:2375
        n = check_positive_int(n, "n_inputs", where="Dense")
        m = check_positive_int(m, "n_neurons", where="Dense")
        dtype = as_float_dtype(dtype, where="Dense")
        # docs/implementation/saving.md:644
        n, m, dtype = int(n), int(m), np.dtype(dtype).name
        return (n, m), (m,), dtype
    if kind in ("Conv1D", "Conv2D"):  # sizes checked before any allocation
        return _convolution_shapes(kind, spec)
    hook = getattr(LAYERS[kind], "parameter_shapes", None)
    return None if hook is None else hook(**spec)


def _convolution_shapes(kind: str, spec: dict) -> tuple:
    """A convolution's weights (*kernel, c_in, c_out) and biases (c_out,)."""
    ndim = 1 if kind == "Conv1D" else 2

    def count(value, name: str) -> int:
        return check_positive_int(value, name, where=kind)

    c_in = count(spec.get("in_channels"), "in_channels")
    c_out = count(spec.get("out_channels"), "out_channels")
    kernel = spec.get("kernel_size")
    sizes = kernel if isinstance(kernel, list) else [kernel] * ndim
    if len(sizes) != ndim:
        raise ValueError(f"{kind} expects {ndim} kernel sizes; got {kernel!r}")
    sizes = [count(size, "kernel_size") for size in sizes]
    dtype = as_float_dtype(spec.get("dtype", "float64"), where=kind)
    weights = (*sizes, c_in, c_out)
    return weights, (c_out,), np.dtype(dtype).name


def _build_layers(config: dict, arrays: dict) -> list:
    """The layers the architecture describes, with the file's parameters.

    Every spec is checked against the stored arrays before any layer is
    built, so a declared size allocates nothing that the file lacks.
    """
    specs, used = [], {"format_version", "architecture"}
    for i, spec in enumerate(config["layers"]):
        if not isinstance(spec, dict):
            kind = type(spec).__name__
            raise ValueError(f"layer {i} is a {kind}, not a JSON object")
        spec = dict(spec)
        kind = spec.pop("type", None)
        if kind not in LAYERS:
            message = f"layer {i} has unknown type {kind!r}"
            raise ValueError(message + f" (known: {sorted(LAYERS)})")
        state = spec.pop("state", None)
        keys = f"layer{i}.weights", f"layer{i}.biases"
        parameters = None
        declared = _declared_shapes(kind, spec)
        if declared is not None:  # its declared sizes must be its arrays'
            weights, biases, dtype = declared
            parameters = (
                _parameter(arrays, keys[0], weights, dtype),
                _parameter(arrays, keys[1], biases, dtype),
            )
            used.update(keys)
        specs.append((kind, spec, state, keys, parameters))
    layers = []
    for kind, spec, state, keys, parameters in specs:
        if kind == "Dense":
            layer = Dense(**spec, rng=0)  # checks the regularization too
        else:
            layer = LAYERS[kind](**spec)
        if parameters is None and isinstance(layer, Trainable):
            # A layer that cannot tell its shapes before it is built
            dtype = layer.weights.dtype.name
            parameters = (
                _parameter(arrays, keys[0], layer.weights.shape, dtype),
                _parameter(arrays, keys[1], layer.biases.shape, dtype),
            )
            used.update(keys)
        if parameters is not None:
            layer.weights, layer.biases = parameters
        if state is not None:  # the random stream of a layer that has one
            layer.set_state(state)
        layers.append(layer)
    unused = sorted(set(arrays) - used)
    if unused:
        raise ValueError(f"arrays {unused} belong to no layer of the model")
    return layers


def _listing_members(arrays: dict) -> np.ndarray:
    """The architecture, with the names of the file's other members."""
    config = json.loads(str(arrays["architecture"]))
    others = [name for name in arrays if name != "architecture"]
    config["members"] = sorted(others)
    return np.array(json.dumps(config))


def _check_listed(arrays: dict) -> None:
    """Raise if a member that the architecture lists is not in the file.

    A flipped bit in the zip's directory can hide a member; the training
    state would then be lost without a word. Files written before the list
    have none, and are read as they were.
    """
    listed = _architecture(arrays).get("members", [])
    strings = all(isinstance(name, str) for name in listed)
    if not (isinstance(listed, list) and strings):
        message = "the architecture's list of members is not a list of names"
        raise ValueError(message)
    missing = sorted(set(listed) - set(arrays))
    if missing:
        message = f"it lacks {missing}, which its architecture lists"
        raise ValueError(message + ": the file is damaged")


def _model_from_arrays(arrays: dict, cls):
    """The model of class ``cls`` that the arrays of a model file describe."""
    _check_version(arrays)
    given, arrays = arrays, dict(arrays)  # the caller's arrays stay as given
    training_state = _pop_training_state(arrays)  # see "resuming" below
    config = _architecture(arrays)
    optimizer = dict(config["optimizer"])
    kind = optimizer.pop("type", None)
    if config["loss"] not in LOSSES or kind not in OPTIMIZERS:
        message = f"unknown loss {config['loss']!r} or optimizer {kind!r}"
        raise ValueError(message)
    model = cls(
        _build_layers(config, arrays),
        loss=LOSSES[config["loss"]](),
        optimizer=OPTIMIZERS[kind](**optimizer),
        metrics=config["metrics"],
    )
    _set_training_state(model, training_state)
    if int(given["format_version"]) >= 2:  # format 1: no list
        _check_listed(given)  # last: every other problem has its message
    return model


def load_model(path: str | os.PathLike, cls):
    """``Model.load``: the model of class ``cls`` saved at ``path``."""
    name = _file_name(path, where="Model.load")  # a descriptor: TypeError
    try:
        return _model_from_arrays(_read_arrays(path), cls)
    except REFUSALS as error:
        # One message for every problem: which file, and what is wrong
        problem = f"no {error}" if isinstance(error, KeyError) else str(error)
        message = f"Model.load cannot use {name}: {problem}"
        raise ValueError(message) from None


# docs/implementation/saving.md:1056
def check_parameters(model, parameters) -> None:
    """Raise unless ``parameters`` fit ``model``, as ``get_parameters()``.

    One (weights (n, m), biases (m,)) pair per trainable layer, of its
    shapes and dtype, finite.
    """
    where, count = "Model.set_parameters", len(model.trainable)
    if not isinstance(parameters, (list, tuple)) or len(parameters) != count:
        got = type(parameters).__name__
        if isinstance(parameters, (list, tuple)):
            got += f" of {len(parameters)}"
        expected = f"a list of {count} (weights, biases) pairs"
        hint = "as get_parameters() returns"
        raise ValueError(f"{where} expects {expected}, {hint}; got a {got}")
    position = {id(layer): i for i, layer in enumerate(model.layers)}
    for layer, pair in zip(model.trainable, parameters, strict=True):
        name = describe(position[id(layer)], layer)
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            kind = type(pair).__name__
            message = f"{where} expects (weights, biases) for {name}"
            raise TypeError(f"{message}; got {kind}")
        for kind, value in zip(("weights", "biases"), pair, strict=True):
            current = getattr(layer, kind)
            what = f"{where}: {name} {kind}"
            expected = f"{current.dtype} of shape {current.shape}"
            if not isinstance(value, np.ndarray):
                got = type(value).__name__
                raise TypeError(f"{what} should be {expected}; got {got}")
            if value.shape != current.shape or value.dtype != current.dtype:
                got = f"{value.dtype} of shape {value.shape}"
                raise ValueError(f"{what} should be {expected}; got {got}")
            if not np.isfinite(value).all():
                raise ValueError(f"{what} hold NaN or inf")


# docs/implementation/saving.md:1138
def _training_state_arrays(model) -> dict[str, np.ndarray]:
    """What training would need besides the parameters, as arrays for save."""
    state: dict[str, dict] = {"optimizer": {}, "layers": {}}
    arrays: dict[str, np.ndarray] = {}
    optimizer = model.optimizer
    slots = optimizer.state() if isinstance(optimizer, Stateful) else {}
    for name, value in slots.get("flat", {}).items():  # fit's flat vector
        if isinstance(value, np.ndarray):
            arrays[f"optimizer.{name}"] = value
        else:
            state["optimizer"][name] = value  # the step count t
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Stateful):  # a random stream (Dropout)
            state["layers"][str(i)] = layer.state()
    if model.shuffle_rng is not None:  # fit's own stream (see Training)
        state["shuffle"] = model.shuffle_rng.bit_generator.state
    if model.epochs_trained:
        state["epochs"] = model.epochs_trained
    if arrays or any(state.values()):  # else nothing to keep
        try:
            arrays["training_state"] = np.array(json.dumps(state))
        except TypeError:  # a state with arrays in it: not PCG64's
            message = "Model.save cannot record the shuffle stream of fit:"
            message += " its generator is not np.random.default_rng's;"
            message += " seed fit with an int, e.g. rng=7"
            raise ValueError(message) from None
    return arrays


def _set_training_state(model, saved: tuple[dict, dict]) -> None:
    """Put back the state ``_pop_training_state`` took out of a file."""
    state, slot_arrays = saved
    counts = state.get("optimizer", {})
    if counts or slot_arrays:
        _set_optimizer_state(model, counts, slot_arrays)
    for index, layer_state in state.get("layers", {}).items():
        known = index.isdigit() and int(index) < len(model.layers)
        layer = model.layers[int(index)] if known else None
        if layer is None or not isinstance(layer, Stateful):
            problem = f"names layer {index}, which has no random stream"
            raise ValueError(f"the training state {problem}")
        layer.set_state(layer_state)
    if "shuffle" in state:
        model.shuffle_rng = _shuffle_stream(state["shuffle"])
    epochs = state.get("epochs", 0)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        expected = "the epoch count should be an integer >= 0"
        raise ValueError(f"{expected}; got {epochs!r}")
    model.epochs_trained = epochs


def _shuffle_stream(saved) -> np.random.Generator:
    """The Generator of fit's shuffle stream, from its saved state."""
    kinds = {"PCG64": np.random.PCG64, "PCG64DXSM": np.random.PCG64DXSM}
    kind = saved.get("bit_generator") if isinstance(saved, dict) else None
    try:
        generator = np.random.Generator(kinds[str(kind)]())
        generator.bit_generator.state = saved
    except (KeyError, TypeError, ValueError):
        message = "the shuffle stream should be the state of a PCG64"
        raise ValueError(message + f" generator; got {saved!r}") from None
    return generator


def _set_optimizer_state(model, counts: dict, slot_arrays: dict) -> None:
    """Check the saved step count and state arrays (p,), then set them."""
    optimizer, kind = model.optimizer, type(model.optimizer).__name__
    names = sorted(getattr(optimizer, "slot_names", ()))
    settable = isinstance(optimizer, Stateful)
    if sorted(slot_arrays) != names or not settable:
        saved = sorted(slot_arrays)
        raise ValueError(f"the optimizer state {saved} does not fit {kind}")
    t = counts.get("t")
    # 2**53 steps: beyond what a float counts exactly, and beyond any run
    if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t <= 2**53:
        expected = "the optimizer's step count should be an integer"
        raise ValueError(f"{expected} from 0 to 2**53; got {t!r}")
    trainable = model.trainable
    size = sum(layer.weights.size + layer.biases.size for layer in trainable)
    slot = {"t": t}
    for name, array in slot_arrays.items():
        fits = array.shape == (size,) and array.dtype == model.dtype
        if not (fits and np.isfinite(array).all()):
            expected = f"finite {model.dtype} of shape ({size},)"
            got = f"{array.dtype} {array.shape}"
            message = f"optimizer.{name} should be {expected}"
            raise ValueError(f"{message}; got {got}")
        slot[name] = array.copy()
    optimizer.set_state({"flat": slot})


# docs/implementation/saving.md:1230
def _pop_training_state(arrays: dict) -> tuple[dict, dict]:
    """Take the training state out of a file's arrays: (JSON, state arrays).

    A format-1 file has none: ({}, {}), and the optimizer starts afresh.
    """
    prefix = "optimizer."
    keys = [key for key in arrays if key.startswith(prefix)]
    slot_arrays = {key[len(prefix) :]: arrays.pop(key) for key in keys}
    text = arrays.pop("training_state", None)
    if text is None:
        return {}, slot_arrays
    if not (text.shape == () and text.dtype.kind == "U"):
        found = f"{text.dtype} {text.shape}"
        raise ValueError(f"the training state is not one JSON string: {found}")
    state = json.loads(str(text))
    if not isinstance(state, dict):
        raise ValueError("the training state is not a JSON object")
    return state, slot_arrays


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "FORMAT_VERSION",
    "LAYERS",
    "LOSSES",
    "MAX_ARCHITECTURE",
    "MAX_DEPTH",
    "MAX_MEMBERS",
    "MAX_STREAM",
    "OPTIMIZERS",
    "REFUSALS",
    "check_parameters",
    "layer_config",
    "load_model",
    "model_config",
    "optimizer_config",
    "save_model",
]
