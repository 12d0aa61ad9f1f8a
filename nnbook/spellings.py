# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/reference/from-nnfs.md
# Edit the chapters, then run `make tangle`.

"""Names from *Neural Networks from Scratch* pointed to nnbook's."""

import difflib
import functools
import inspect

from nnbook.dropout import Dropout
from nnbook.layers import Dense
from nnbook.model import Model
from nnbook.optimizers import SGD, AdaGrad, Adam, RMSprop, SGDMomentum

# The reference book's keyword -> nnbook's spelling (a hint, for SGD).
KEYWORDS = {
    "weight_regularizer_l1": "weight_l1",
    "weight_regularizer_l2": "weight_l2",
    "bias_regularizer_l1": "bias_l1",
    "bias_regularizer_l2": "bias_l2",
    "beta_1": "beta1",
    "beta_2": "beta2",
}
SGD_MOMENTUM = "nb.SGDMomentum(learning_rate, momentum=...)"

# The reference book's Model methods -> what nnbook does instead.
METHODS = {
    "train": "fit: model.fit(X, y, epochs=..., batch_size=len(X))",
    "add": "a list: nb.Model([layer, layer, ...], loss=..., optimizer=...)",
    "set": "the constructor: nb.Model(layers, loss=..., optimizer=...)",
    "finalize": "nothing: a Model is ready as soon as it is built",
    "save_parameters": "save: model.save(path) keeps the whole model",
    "load_parameters": "set_parameters, or nb.Model.load(path)",
}


def _check_keywords(function, owner: str):
    """``function`` with a check that names nnbook's spelling of a keyword."""
    if hasattr(function, "_nnbook_keywords"):
        return function  # already checked
    parameters = inspect.signature(function).parameters
    known = [name for name in parameters if name != "self"]

    @functools.wraps(function)
    def checked(*args, **kwargs):
        for name in kwargs:
            if name not in parameters:
                raise TypeError(_unknown_keyword(owner, name, known))
        return function(*args, **kwargs)

    checked._nnbook_keywords = known
    return checked


def _unknown_keyword(owner: str, name: str, known: list[str]) -> str:
    """The message for a keyword ``owner`` does not take."""
    start = f"{owner} got an unexpected keyword argument {name!r}"
    if name == "momentum" and owner == "SGD":
        return f"{start}; for momentum use {SGD_MOMENTUM}"
    if name in KEYWORDS and KEYWORDS[name] in known:
        return f"{start}; nnbook spells it {KEYWORDS[name]!r}"
    close = difflib.get_close_matches(name, known, n=2)
    if close:
        return f"{start}; did you mean {' or '.join(map(repr, close))}?"
    return f"{start}; it takes {', '.join(known)}"


def _missing_method(self, name: str):
    """``Model.__getattr__``: a method of the reference book gets a pointer."""
    if name in METHODS:
        hint = METHODS[name]
        message = f"nnbook's Model has no {name!r}; use {hint}"
        raise AttributeError(message)
    raise AttributeError(f"'Model' object has no attribute {name!r}")


CHECKED = (Dense, Dropout, SGD, SGDMomentum, Adam, AdaGrad, RMSprop, Model)
for _class in CHECKED:
    _class.__init__ = _check_keywords(_class.__init__, _class.__name__)
Model.fit = _check_keywords(Model.fit, "Model.fit")
Model.__getattr__ = _missing_method
