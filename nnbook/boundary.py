# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/errors.md:801
"""The checked boundary: public methods check their arguments once.

``guard(cls, table)`` puts the methods named in ``table`` behind their
constraints. A call from outside the library is checked; a call made while
another checked call runs (``Model.fit`` calling ``Dense.forward``) is not:
its arguments were checked where they came in.
"""

import difflib
import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any


class _Depth(threading.local):
    """How many checked calls the current thread is inside: 0 = outside."""

    value = 0


_depth = _Depth()

# Keywords of *Neural Networks from Scratch* -> nnbook's spelling.
KEYWORDS = {
    "weight_regularizer_l1": "weight_l1",
    "weight_regularizer_l2": "weight_l2",
    "bias_regularizer_l1": "bias_l1",
    "bias_regularizer_l2": "bias_l2",
    "beta_1": "beta1",
    "beta_2": "beta2",
}

# Layers whose first argument Keras leaves out (it infers the channels):
# Keras writes Conv2D(filters, kernel_size), nnbook Conv2D(c_in, c_out, K).
KERAS_SHORT = ("Conv1D", "Conv2D")
# Layers whose settings come in PyTorch's order, keyword-only here:
# PyTorch writes MaxPool2d(2, 2) and Conv2d(1, 8, 3, 2, 1).
TORCH_ORDER = (
    *KERAS_SHORT,
    "MaxPool1D",
    "AvgPool1D",
    "MaxPool2D",
    "AvgPool2D",
)


def guard(owner, table: dict):
    """Check the arguments of ``owner``'s methods named in ``table``.

    ``table`` maps a method name to its constraints: an argument's name (or
    a tuple of names checked together) -> ``constraint(owner, *values)``,
    which raises or returns the value (a tuple of values) to pass on; the
    key "return" checks the result, ``constraint(owner, result, arguments)``.
    ``owner`` is the object the method is called on. A plain function takes
    its constraints directly (``owner`` is then None), and ``guard`` returns
    the checked function.
    """
    if not isinstance(owner, type):
        return _checked(owner, table, method=False)
    for name, constraints in table.items():
        method = owner.__dict__[name]  # a method the class itself defines
        setattr(owner, name, _checked(method, constraints, method=True))
    return None


def _checked(function: Callable, constraints: dict, *, method: bool):
    """``function`` behind its constraints, for calls from outside."""
    signature = inspect.signature(function)
    returns = constraints.get("return")
    checks = [
        (names if isinstance(names, tuple) else (names,), constraint)
        for names, constraint in constraints.items()
        if names != "return"
    ]

    @functools.wraps(function)
    def checked(*args, **kwargs):
        if _depth.value:  # inside a checked call: its data is checked
            return function(*args, **kwargs)
        owner = args[0] if method and args else None
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            given = args[1:] if method else args
            message = _explain(error, function, owner, given, kwargs)
            raise TypeError(message) from None
        bound.apply_defaults()
        values = bound.arguments
        for names, constraint in checks:
            result = constraint(owner, *(values[name] for name in names))
            results = result if len(names) > 1 else (result,)
            values.update(zip(names, results, strict=True))
        _depth.value += 1
        try:
            result = function(*bound.args, **bound.kwargs)
        finally:
            _depth.value -= 1
        if returns is not None:
            returns(owner, result, values)
        return result

    return checked


def inside() -> bool:
    """Whether a checked call is running in this thread."""
    return _depth.value > 0


def _explain(
    error: TypeError,
    method: Callable,
    owner: Any,
    args: tuple = (),
    kwargs: dict | None = None,
) -> str:
    """A wrong call's message, naming the class and the closest keyword."""
    name = method.__name__
    if owner is not None:
        cls = owner if isinstance(owner, type) else type(owner)
        name = cls.__name__ if name == "__init__" else f"{cls.__name__}.{name}"
    text = str(error)
    keyword = text.rsplit("'", 2)[-2] if "keyword argument '" in text else None
    known = [p for p in inspect.signature(method).parameters if p != "self"]
    if keyword is None and name in KERAS_SHORT and "missing" in text:
        hint = _keras_order(name, method, args, kwargs or {})
        if hint is not None:
            return hint
    if keyword is None and name in TORCH_ORDER and "too many" in text:
        hint = _by_keyword(name, method, args, kwargs or {})
        if hint is not None:
            return f"{name}: {text}; {hint}"
    if keyword is None:
        return f"{name}: {text}; it takes {', '.join(known)}"
    start = f"{name} got an unexpected keyword argument {keyword!r}"
    if keyword == "momentum" and name == "SGD":
        use = "nb.SGDMomentum(learning_rate, momentum=...)"
        return f"{start}; for momentum use {use}"
    if KEYWORDS.get(keyword) in known:
        return f"{start}; nnbook spells it {KEYWORDS[keyword]!r}"
    close = difflib.get_close_matches(keyword, known, n=2)
    if close:
        return f"{start}; did you mean {' or '.join(map(repr, close))}?"
    return f"{start}; it takes {', '.join(known)}"


def _by_keyword(name: str, method, args: tuple, kwargs: dict) -> str | None:
    """MaxPool2D(2, 2), PyTorch's order: the settings by keyword."""
    parameters = list(inspect.signature(method).parameters.values())[1:]
    kinds = [(p.name, p.kind == p.KEYWORD_ONLY) for p in parameters]
    positional = [key for key, only in kinds if not only]
    keyword_only = [key for key, only in kinds if only]
    extra = args[len(positional) :]
    names = keyword_only[: len(extra)]
    if not extra or len(extra) > len(keyword_only) or set(names) & set(kwargs):
        return None
    shown = [*map(repr, args[: len(positional)])]
    pairs = zip(names, extra, strict=True)
    shown += [f"{key}={value!r}" for key, value in pairs]
    shown += [f"{key}={value!r}" for key, value in kwargs.items()]
    call = f"{name}({', '.join(shown)})"
    return f"pass {' and '.join(names)} by keyword: did you mean {call}?"


def _keras_order(name: str, method, args: tuple, kwargs: dict) -> str | None:
    """Conv2D(8, 3), Keras's (filters, kernel_size): one argument short."""
    required = [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD
    ][1:]  # self
    named = [key for key in required if key in kwargs]
    if not args or named != required[1 + len(args) :]:  # not shifted by one
        return None
    takes = f"{name} takes ({', '.join(required)})"
    count = f"got {len(args)} positional argument{'s' * (len(args) != 1)}"
    shown = [*map(repr, args), *(f"{key}={kwargs[key]!r}" for key in named)]
    mean = f"{name}({', '.join([required[0], *shown])})"
    keras = f"Keras's {name}(filters, kernel_size) infers {required[0]}"
    return f"{takes}; {count}: did you mean {mean}? ({keras})"


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "KERAS_SHORT",
    "KEYWORDS",
    "TORCH_ORDER",
    "guard",
    "inside",
]
