r"""Turn a Markdown chapter into a Jupyter notebook (used by tools/hooks.py at build time).

Prose becomes Markdown cells and every Python fence a code cell, in page order: file blocks, examples and
the ``notest`` chunk definitions alike (a chunk that is a whole ``def``), so a reader who runs the cells in
order runs exactly what tests/test_copy_paste.py runs. A chunk that is a *fragment* (lines that join a
function body, a parameter list or a dict literal of the package, see ``is_fragment``) cannot run alone:
the page shows it and the package runs it, but no page run, copy-paste run or notebook cell does; in the
notebook it is a Markdown cell holding the code. The fences' superfences info strings
(``{.python continuation title=...}``) do not matter to Jupyter, so the code is taken from the parsed
tokens (markdown-it-py, as in the tangler) rather than handed to jupytext. The book's math delimiters
``\\( \\)`` and ``\\[ \\]`` become Jupyter's ``$ $`` and ``$$ $$``.
"""

from __future__ import annotations

import ast
import functools
import re
import textwrap

import nbformat
from markdown_it import MarkdownIt
from tangle import PYTHON_LANGS, parse_info

# Inline code spans (any run of backticks up to the same run) are left alone by the math conversion.
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
# pymdownx.blocks.details (the exercises' collapsible solutions): `/// details | Solution`, its indented
# options (`type: success`) and the closing `///` mean nothing to Jupyter; the title becomes a bold line.
DETAILS_OPEN = re.compile(r"^/// *details *\| *(.+?) *\n(?:(?: {4}|\t)\S.*\n)*", re.MULTILINE)
DETAILS_CLOSE = re.compile(r"^/// *$\n?", re.MULTILINE)

INTRO = (
    "*This notebook is generated from the chapter **{title}** of the nnbook book "
    "(`{source}`); edit the chapter, not the notebook.*\n\n"
    "The code imports the `nnbook` package, which is tangled from the book's chapters. "
    "Install it first, e.g. `pip install nnbook`, or from a clone of the repository `pip install -e .`; "
    "then run the cells in order."
)


def python_fences(markdown: str) -> list[tuple[int, int, str]]:
    """Every runnable Python fence of the page as (first line, line after the fence, code), 0-based lines.

    Fragments (``is_fragment``) are left out: they run only inside the package.
    """
    return [(start, end, code) for start, end, code, _, fragment in _parsed_fences(markdown) if not fragment]


def _fences(markdown: str) -> list[tuple[int, int, str, str | None, bool]]:
    """Every Python fence, fragments too, with its title (its destination file) or None, and is_fragment."""
    return list(_parsed_fences(markdown))


def is_fragment(ident: str | None, options: set[str], code: str) -> bool:
    """Is this fence a chunk that cannot run alone (lines of a body, a parameter list, a dict literal)?

    A chunk (``#name`` or ``#name+``) marked ``notest`` is a fragment unless it is made only of whole
    definitions (``def``, ``class``, imports, a docstring), which run at the top level of a page too.
    A file block marked ``notest`` is one too: a declaration that runs only where the package defines its
    names (the guard tables of the checked boundary, which would wrap the package's classes a second time).
    """
    if "notest" not in options:
        return False
    if ident is None:
        return True
    try:
        body = ast.parse(textwrap.dedent(code)).body
    except SyntaxError:
        return True
    whole = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
    for node in body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (isinstance(node, whole) or docstring):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _parsed_fences(markdown: str) -> tuple[tuple[int, int, str, str | None, bool], ...]:
    # Several hooks ask for the fences of the same page in one build: parse each text once.
    fences = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "fence" or not token.map:
            continue
        lang, ident, title, options = parse_info(token.info)
        if lang in PYTHON_LANGS:
            fragment = is_fragment(ident, options, token.content)
            fences.append((token.map[0], token.map[1], token.content, title, fragment))
    return tuple(fences)


def jupyter_math(prose: str) -> str:
    r"""``\\( x \\)`` -> ``$x$`` and ``\\[ x \\]`` -> ``$$x$$``, outside inline code spans."""
    out, pos = [], 0
    for span in CODE_SPAN.finditer(prose):
        out.append(_math(prose[pos : span.start()]))
        out.append(span.group(0))
        pos = span.end()
    out.append(_math(prose[pos:]))
    return "".join(out)


def jupyter_blocks(prose: str) -> str:
    """``/// details | Solution`` -> ``**Solution**``; closing ``///`` lines vanish."""
    prose = DETAILS_OPEN.sub(lambda m: f"**{m.group(1)}**\n", prose)
    return DETAILS_CLOSE.sub("", prose)


def _math(text: str) -> str:
    text = DISPLAY_MATH.sub(lambda m: "$$" + m.group(1).strip() + "$$", text)
    return INLINE_MATH.sub(lambda m: "$" + m.group(1).strip() + "$", text)


def chapter_notebook(markdown: str, *, title: str, source: str) -> nbformat.NotebookNode:
    """The notebook of one chapter: an introduction cell, then prose and code cells in page order."""
    lines = markdown.splitlines(keepends=True)
    cells = [nbformat.v4.new_markdown_cell(INTRO.format(title=title, source=source))]

    def prose(start: int, end: int, title: str | None = None) -> None:
        text = jupyter_math(jupyter_blocks("".join(lines[start:end])).strip())
        if title:  # the filename bar of the page, as a line above the cell
            text = (text + "\n\n" if text else "") + f"*In the package: `{title}`*"
        if text:
            cells.append(nbformat.v4.new_markdown_cell(text))

    pos = 0
    for start, end, code, title, fragment in _fences(markdown):
        prose(pos, start, title)
        if fragment:  # shown, not run: it joins a body of the package
            cells.append(nbformat.v4.new_markdown_cell(f"```python\n{code.rstrip()}\n```"))
        else:
            cells.append(nbformat.v4.new_code_cell(code.rstrip("\n")))
        pos = end
    prose(pos, len(lines))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    # Cell ids are random by default; number them so that the build is deterministic.
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{i}"
    return notebook


def notebook_name(src_uri: str) -> str:
    """``implementation/gradcheck.md`` -> ``gradcheck.ipynb``."""
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md") + ".ipynb"
