"""The package's layout: one module per cohesive piece, each class first met as its idea.

Issue 11 split the Model: the file format lives in ``nnbook/saving.py`` (its
chapter is Saving and loading), History and the progress line in
``nnbook/history.py``, fit's helpers in ``nnbook/training.py``, and the
layer protocol in ``nnbook/protocol.py``.  Issue 19 moved the hardening out of
the teaching chapters: in Parts I, III and IV the package code is the idea (no
check calls, no buffers, no placeholder inside a method body, the first
classes short), one checked boundary in Part V, no private twins, and no
module reaching into another's private names.  These tests keep it that way.
"""

import ast
import inspect
import io
import re
import tokenize
from pathlib import Path

import pytest
import tangle

import nnbook as nb
import nnbook.saving

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_MODULES = sorted((ROOT / "nnbook").glob("*.py"))
# Parts I, III and IV: the chapters that teach the idea.
TEACHING = ("concepts", "classification", "regularization", "convolution")


def teaching_blocks() -> list[tangle.Block]:
    """What tools/tangle.py collects from Parts I, III and IV: file blocks and named chunks."""
    chapters = [path for path in tangle.book_order(ROOT) if path.relative_to(ROOT / "docs").parts[0] in TEACHING]
    assert chapters, "no chapter of Parts I, III or IV in the nav"
    return [block for chapter in chapters for block in tangle.read_blocks(chapter, ROOT)]


def code_tokens(code: str) -> list[tokenize.TokenInfo]:
    """The tokens of a block without comments and strings (a docstring may name check_x())."""
    skip = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type not in skip and token.type != tokenize.ENDMARKER:
                tokens.append(token)
    except (tokenize.TokenError, IndentationError):
        pass  # a fragment (an unclosed bracket at its end): the tokens up to there
    return tokens


def _line(block: tangle.Block, token: tokenize.TokenInfo) -> str:
    """``chapter:line: text`` of a token (the block's code starts on the line after its fence)."""
    return f"{block.chapter}:{block.line + token.start[0]}: {token.line.strip()}"


def check_calls(code: str) -> list[tokenize.TokenInfo]:
    """The calls of ``check_*`` and ``as_*array`` functions in ``code`` (not their definitions, comments or docs)."""
    tokens = code_tokens(code)
    found = []
    for i, token in enumerate(tokens):
        is_call = i + 1 < len(tokens) and tokens[i + 1].string == "("
        defined = i > 0 and tokens[i - 1].string in {"def", "class"}
        checking = token.string.startswith("check_") or re.fullmatch(r"as_\w*array", token.string)
        if token.type == tokenize.NAME and checking and is_call and not defined:
            found.append(token)
    return found


@pytest.mark.parametrize(
    ("code", "calls"),
    [
        ("x = check_data(X, y)\n", 1),
        ("layer.check_network(layers)\n", 1),
        ("X = as_2d_array(X, 'X')\n", 1),
        ("def check_data(X):\n    return X\n", 0),
        ('def f(x):\n    """Like check_data(x), without it."""\n    # check_data(x) runs at the boundary\n', 0),
        ("checks = check_\n", 0),
    ],
)
def test_the_check_rule_finds_calls_only(code, calls):
    assert len(check_calls(code)) == calls


def test_teaching_chapters_call_no_check():
    found = [_line(block, token) for block in teaching_blocks() for token in check_calls(block.code)]
    assert not found, "check_/as_*_array calls in the package code of Parts I, III and IV:\n" + "\n".join(found)


def test_teaching_chapters_have_no_out_buffers():
    found = []
    for block in teaching_blocks():
        tokens = code_tokens(block.code)
        for token, after in zip(tokens, [*tokens[1:], None], strict=True):
            if token.string == "out" and after is not None and after.string == "=":
                found.append(_line(block, token))
    assert not found, "out= in the package code of Parts I, III and IV:\n" + "\n".join(found)


def _opener(lines: list[str], number: int) -> list[str]:
    """The lines that enclose line ``number`` by indentation, innermost first.

    A line that starts with a closing bracket (``) -> None:``) or is a comment
    continues a statement or says nothing: it is not an opener.
    """
    indent = len(lines[number]) - len(lines[number].lstrip())
    openers = []
    for line in reversed(lines[:number]):
        text = line.strip()
        if not text or text.startswith(("#", ")", "]", "}")):
            continue
        depth = len(line) - len(line.lstrip())
        if depth < indent:
            openers.append(text)
            indent = depth
            if depth == 0:
                break
    return openers


def placeholders_in_bodies(code: str) -> list[tuple[int, str]]:
    """(line, text) of each ``# <<name>>`` line inside a def (its signature or its body)."""
    lines = code.splitlines()
    found = []
    for number, line in enumerate(lines):
        if tangle.PLACEHOLDER.match(line) is None:
            continue
        if any(re.match(r"(async\s+)?def\s", opener) for opener in _opener(lines, number)):
            found.append((number + 1, line.strip()))
    return found


@pytest.mark.parametrize(
    ("code", "inside"),
    [
        ("class A:\n    # <<a-methods>>\n", False),
        ("# <<imports>>\n\n\ndef f():\n    return 1\n", False),
        ("class A:\n    def f(self):\n        x = 1\n        # <<a-f>>\n", True),
        ("def f(\n    x,\n) -> None:\n    if x:\n        # <<f-if>>\n        pass\n", True),
        ("class A:\n    def f(\n        self,\n        # <<a-args>>\n    ):\n        pass\n", True),
        ("class A:\n    def f(self):\n        pass\n\n    # <<a-more>>\n", False),
    ],
)
def test_the_placeholder_rule_reads_indentation(code, inside):
    assert bool(placeholders_in_bodies(code)) is inside


def test_teaching_chapters_have_no_placeholder_inside_a_method():
    found = [
        f"{block.chapter}:{block.line + number}: {text}"
        for block in teaching_blocks()
        for number, text in placeholders_in_bodies(block.code)
    ]
    assert not found, "placeholders inside a def in Parts I, III and IV:\n" + "\n".join(found)


def first_class(name: str) -> tuple[tangle.Block, list[str]]:
    """The package block that first defines class ``name`` in book order, and the class's lines."""
    pattern = re.compile(rf"^(?P<indent>[ \t]*)class {name}\b")
    for chapter in tangle.book_order(ROOT):
        for block in tangle.read_blocks(chapter, ROOT):
            lines = block.code.splitlines()
            for number, line in enumerate(lines):
                match = pattern.match(line)
                if match is None:
                    continue
                indent = len(match.group("indent"))
                end = number + 1
                while end < len(lines):
                    rest = lines[end]
                    if rest.strip() and len(rest) - len(rest.lstrip()) <= indent and not rest.strip().startswith(")"):
                        break
                    end += 1
                return block, lines[number:end]
    raise AssertionError(f"no chapter defines class {name}")


@pytest.mark.parametrize(
    ("name", "chapter", "limit"),
    [
        ("Dense", "docs/concepts/layer.md", 15),
        ("ReLU", "docs/concepts/activations.md", 10),
        ("SGD", "docs/concepts/optimization.md", 10),
        ("MeanSquaredError", "docs/concepts/loss.md", 15),
    ],
)
def test_the_first_definition_of_a_class_is_short(name, chapter, limit):
    block, lines = first_class(name)
    assert block.chapter == chapter, f"class {name} is first defined in {block.where}, not in {chapter}"
    count = sum(1 for line in lines if line.strip())
    assert count <= limit, (
        f"the first class {name} ({block.where}) has {count} non-blank lines (at most {limit}, placeholders "
        "included): teach the idea there, add the rest in later chapters"
    )


def test_the_package_has_no_private_twins():
    patterns = [
        r"def _forward\b",
        r"def _backward\b",
        r"def _step\b",
        r"_weight_gradients",
        r"getattr\(\s*[^,()]+,\s*(f?[\"']_)",  # getattr(x, "_name") or getattr(x, "_" + name)
    ]
    found = []
    for path in PACKAGE_MODULES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pattern in patterns:
                if re.search(pattern, line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
                    break
    assert not found, "private twins or private lookups by name:\n" + "\n".join(found)


def private_imports(path: Path) -> list[str]:
    """Where the module at ``path`` takes a private name of another nnbook module.

    ``from nnbook.x import _y``, and ``x._y`` where ``x`` is an nnbook module it imported.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = f"nnbook.{path.stem}"
    modules = {}  # local name -> nnbook module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("nnbook"):
            for alias in node.names:
                module = f"{node.module}.{alias.name}"
                if node.module == "nnbook" and (ROOT / "nnbook" / f"{alias.name}.py").exists():
                    modules[alias.asname or alias.name] = module
                elif alias.name.startswith("_") and not alias.name.startswith("__") and node.module != own:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nnbook.") and alias.asname:
                    modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and modules[node.value.id] != own
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_takes_another_modules_private_names():
    found = [entry for path in PACKAGE_MODULES for entry in private_imports(path)]
    assert not found, "private names taken from another module:\n" + "\n".join(found)


def test_the_library_part_comes_after_the_convolution_chapters():
    order = [path.relative_to(ROOT / "docs").as_posix() for path in tangle.book_order(ROOT)]
    convolution = [i for i, page in enumerate(order) if page.startswith("convolution/")]
    assert convolution, "no convolution chapter in the nav"
    for page in ("implementation/errors.md", "implementation/saving.md", "performance.md"):
        assert page in order, f"{page} is not in the nav"
        assert order.index(page) > max(convolution), f"{page} comes before {order[max(convolution)]} in the nav"


def test_save_and_load_hand_over_to_the_saving_module():
    for method, function in [
        (nb.Model.save, nnbook.saving.save_model),
        (nb.Model.load, nnbook.saving.load_model),
        (nb.Model.config, nnbook.saving.model_config),
    ]:
        source = inspect.getsource(method)
        assert f"saving.{function.__name__}(" in source, method.__qualname__
    assert "zipfile" not in inspect.getsource(nnbook.model)
    assert "FORMAT_VERSION" not in vars(nnbook.model)


def test_the_registries_know_every_public_layer_loss_and_optimizer():
    layers = {"Dense", "ReLU", "Linear", "Softmax", "Sigmoid", "Dropout"}
    layers |= {"Conv1D", "Conv2D", "Flatten"}
    assert layers <= set(nnbook.saving.LAYERS)
    assert {"SGD", "SGDMomentum", "Adam", "AdaGrad", "RMSprop"} <= set(nnbook.saving.OPTIMIZERS)
    for name, kind in nnbook.saving.LAYERS.items():
        assert getattr(nb, name) is kind
    for name, kind in {**nnbook.saving.LOSSES, **nnbook.saving.OPTIMIZERS}.items():
        assert getattr(nb, name) is kind


def test_every_layer_satisfies_the_layer_protocol():
    layers = [
        nb.Dense(2, 3, rng=0),
        nb.ReLU(),
        nb.Linear(),
        nb.Softmax(),
        nb.Sigmoid(),
        nb.Dropout(0.5),
        nb.Conv1D(1, 2, 3, rng=0),
        nb.Conv2D(1, 2, 3, rng=0),
        nb.Flatten(),
    ]
    for layer in layers:
        assert isinstance(layer, nb.Layer), type(layer).__name__
    trainable = [type(layer).__name__ for layer in layers if isinstance(layer, nb.Trainable)]
    assert trainable == ["Dense", "Conv1D", "Conv2D"]
    assert [type(x).__name__ for x in layers if isinstance(x, nb.Switchable)] == ["Dropout"]
