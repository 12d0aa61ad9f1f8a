"""Run a page's Python blocks at build time and show what they do under each one.

A MkDocs hook (listed under ``hooks:`` in mkdocs.yml, after tools/hooks.py) and a small library that the
tests import, so that the page and the test run the very same code.

For every Markdown page with Python fences, the blocks run in page order in one fresh module (a reader's
session), in an empty temporary folder, exactly as tests/test_copy_paste.py runs them. Under each block the
page then shows

* an **Output** panel with everything the block printed (stdout and stderr, in order), and
* every matplotlib figure the block left open, as an SVG image (the figures are closed afterwards).

A block whose job is drawing says so in its fence: ``{.python continuation plot}``. The page then shows its
figures first and folds its code under them, in a collapsed "Plotting code" block; the tests run it as any
other block (pytest-markdown-docs, the tangler and the chapter notebooks ignore the extra word). Such a block
must draw and print nothing: a block that computes and draws is split in two, so that the computation and
what it prints stay in view. ``{.python continuation diagram}`` is a plot block that draws a picture of an
idea rather than a measurement: its figure is inlined in the page with a transparent background, and its
black becomes the theme's text color, so that it reads in the light and in the dark palette alike.

The house style of the figures is one matplotlib style file, ``docs/assets/plots/matplotlibrc``; the hook
also points ``MATPLOTLIBRC`` at it, so the example notebooks that mkdocs-jupyter executes draw in the same
style. A block that raises fails the build, naming the page and line: a page that wants to show an error
catches it and prints the message, as the reader would see it.

Results are kept in memory by a hash of the page and of the package's source, so under ``mkdocs serve`` an
edit re-runs only the page that changed (and every page after a change to ``nnbook/``).

The example notebooks, which mkdocs-jupyter would run one after the other in the build's own process when
it reaches them, start in a third worker process with the build: it converts each notebook exactly as the
plugin does and writes the plugin's cache entry, which the plugin then finds. The build's process, which
mostly waits for the pages' results at first, takes any notebook the worker has not reached yet.

Usage outside MkDocs, to see what a page prints::

    python tools/execute.py docs/concepts/neuron.md
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import hashlib
import html
import importlib
import io
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback
import types
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "docs" / "assets" / "plots"
# Before anything imports matplotlib: the book's style, here and in the notebook kernels (which inherit it).
os.environ.setdefault("MATPLOTLIBRC", str(STYLE))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chapter_notebook import _fences, python_fences  # noqa: E402
from tangle import PYTHON_LANGS, parse_info  # noqa: E402

# Pages that read files of the repository, as a reader in a clone does (run from the clone's root).
REPOSITORY_FILES = {"performance.md": ["benchmarks/results/latest.json"]}
PLACEHOLDER = "<!--nnbook-output:{}-->"
PLACEHOLDER_RE = re.compile(r"(?:<p>)?<!--nnbook-output:(\d+)-->(?:</p>)?")
# The fence options that fold a block's code under its figures; "diagram" also inlines them, theme-colored.
PLOT, DIAGRAM = "plot", "diagram"
INK = "#000000"  # a diagram's black: the theme's text color on the page


class PageError(Exception):
    """A block of a page raised: the message names the page, the line and the traceback."""


@dataclass
class BlockResult:
    """What one block did: its first line (1-based, in the page), its output text and its figures (SVG)."""

    line: int
    output: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (svg text, alt text)
    kind: str = ""  # "", PLOT or DIAGRAM: how the page shows the block (see fence_kinds)


def fence_kinds(markdown: str) -> list[str]:
    """For each block of ``python_fences(markdown)``: DIAGRAM, PLOT or "" (an ordinary block), from its fence."""
    kinds = []
    for _, _, _, _, fragment, info in _fences_with_info(markdown):
        if not fragment:
            options = parse_info(info)[3]
            kinds.append(DIAGRAM if DIAGRAM in options else PLOT if PLOT in options else "")
    return kinds


def _fences_with_info(markdown: str):
    """``_fences`` with each fence's info string (the tokens are parsed again: cheap, and only here)."""
    from markdown_it import MarkdownIt

    infos = [
        token.info
        for token in MarkdownIt("commonmark").parse(markdown)
        if token.type == "fence" and token.map and parse_info(token.info)[0] in PYTHON_LANGS
    ]
    return [(*fence, info) for fence, info in zip(_fences(markdown), infos, strict=True)]


def _figures(salt: str, diagram: bool = False) -> list[tuple[str, str]]:
    """Every open matplotlib figure as (SVG, alt text), then closed. Nothing if matplotlib is not in use.

    A diagram is saved with a transparent background, to be inlined in the page (``inline_diagram``).
    """
    if "matplotlib.pyplot" not in sys.modules:
        return []
    import matplotlib.pyplot as plt

    out = []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        titles = [figure._suptitle.get_text()] if figure._suptitle else []
        titles += [ax.get_title() for ax in figure.axes if ax.get_title()]
        buffer = io.StringIO()
        # A fixed salt per block makes the SVG's ids, and so the built site, the same at every build.
        with plt.rc_context({"svg.hashsalt": f"{salt}:{number}"}):
            figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=diagram)
        out.append((buffer.getvalue(), "; ".join(titles) or "figure"))
    plt.close("all")
    return out


SVG_ID = re.compile(r'\bid="([^"]+)"')


def inline_diagram(svg: str, prefix: str) -> str:
    """A diagram's SVG, ready to sit inside the page.

    No XML prologue, ids made unique to the figure, black drawn in
    ``currentColor`` (the page's text color) and white in the page's background color.
    """
    svg = svg[svg.index("<svg") :]
    for ident in set(SVG_ID.findall(svg)):
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}-{ident}"').replace(f"#{ident})", f"#{prefix}-{ident})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{prefix}-{ident}"')
    svg = svg.replace(INK, "currentColor").replace("#ffffff", "var(--md-default-bg-color)")
    # What matplotlib leaves at SVG's default fill (black text, arrow heads) inherits the text color too.
    return svg.replace("<svg ", '<svg fill="currentColor" ', 1)


def run_page(markdown: str, name: str, chdir: bool = True) -> list[BlockResult]:
    """Run every Python fence of ``markdown`` in order in one new module; what each printed and drew.

    ``name`` is the page's path (for messages and for the figures' ids). With ``chdir`` the blocks run in an
    empty temporary folder holding only the repository files the page reads (REPOSITORY_FILES).
    """
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    saved_main, saved_cwd = sys.modules.get("__main__"), os.getcwd()
    # The package as it is on disk now (serve re-tangles between builds): forget any earlier import.
    for loaded in [m for m in sys.modules if m == "nnbook" or m.startswith("nnbook.")]:
        del sys.modules[loaded]
    if "matplotlib" in markdown:
        import matplotlib

        matplotlib.use("Agg")  # draw off-screen (not in the environment: the notebooks keep their inline plots)
    results = []
    with tempfile.TemporaryDirectory(prefix="nnbook-page-") as folder:
        for rel in REPOSITORY_FILES.get(Path(name).name, []):
            (Path(folder) / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / rel, Path(folder) / rel)
        try:
            sys.modules["__main__"] = module  # classes defined on the page can be pickled, as in a script
            if chdir:
                os.chdir(folder)
            for (start, _, code), kind in zip(python_fences(markdown), fence_kinds(markdown), strict=True):
                results.append(_run_block(code, module, f"{name}:{start + 1}", start + 1, kind))
        finally:
            os.chdir(saved_cwd)
            if saved_main is not None:
                sys.modules["__main__"] = saved_main
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")
    return results


def _one_blas_thread():
    """The pages' matrices are small: one BLAS thread runs them faster than two (threadpoolctl, if here)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _run_block(code: str, module: types.ModuleType, where: str, line: int, kind: str = "") -> BlockResult:
    buffer = io.StringIO()
    try:
        compiled = compile(code, where, "exec")
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), _one_blas_thread():
            exec(compiled, module.__dict__)
    except BaseException as error:  # a page must not fail silently, whatever it raised
        shown = "".join(traceback.format_exception(error)[-6:])
        raise PageError(f"{where}: the block raised\n{buffer.getvalue()}{shown}") from error
    result = BlockResult(line=line, output=buffer.getvalue(), figures=_figures(where, kind == DIAGRAM), kind=kind)
    if kind and (result.output or not result.figures):
        did = f"prints {result.output[:80]!r}" if result.output else "draws no figure"
        raise PageError(
            f"{where}: a {kind} block shows a figure and folds its code, but this one {did}; "
            "compute and print in a block of its own, above the drawing"
        )
    return result


def output_html(result: BlockResult, page: str) -> str:
    """The Output panel and the figures of one block, as HTML."""
    parts = []
    source = f"{page}:{result.line}"
    if result.output:
        text = html.escape(result.output.rstrip("\n"))
        parts.append(
            f'<div class="nb-output" data-source="{source}">'
            f'<span class="nb-output__label">Output</span><pre class="nb-output__text">{text}</pre></div>'
        )
    for number, (svg, alt) in enumerate(result.figures):
        if result.kind == DIAGRAM:
            prefix = re.sub(r"\W", "-", f"d-{source}-{number}")
            svg = inline_diagram(svg, prefix).replace("<svg", f'<svg role="img" aria-label="{html.escape(alt)}"', 1)
            parts.append(f'<figure class="nb-figure nb-diagram" data-source="{source}">{svg}</figure>')
            continue
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        parts.append(
            f'<figure class="nb-figure" data-source="{source}">'
            f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}"></figure>'
        )
    return "".join(parts)


FOLD = ["/// details | Plotting code", "    type: plot-code", ""]


def _insert_placeholders(markdown: str) -> tuple[str, list[int]]:
    """After each Python fence, a comment line the content hook replaces; and the fences' first lines.

    A plot or diagram block gets its placeholder above the fence instead (its figures come first), and its
    fence goes into a collapsed "Plotting code" block (pymdownx.blocks.details).
    """
    lines = markdown.split("\n")
    fences = python_fences(markdown)
    kinds = fence_kinds(markdown)
    for index, (start, end, _) in reversed(list(enumerate(fences))):
        indent = re.match(r"[ \t]*", lines[start])[0]
        if kinds[index]:
            lines[start:end] = [
                "",
                indent + PLACEHOLDER.format(index),
                "",
                *(indent + line if line else line for line in FOLD),
                *lines[start:end],
                indent + "///",
                "",
            ]
        else:
            lines[end:end] = ["", indent + PLACEHOLDER.format(index), ""]
    return "\n".join(lines), [start + 1 for start, _, _ in fences]


# Results of pages already run in this process, by a hash of the page and of the package.
_cache: dict[str, list[BlockResult]] = {}
_pending: dict[str, list[BlockResult]] = {}


def _package_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "nnbook").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for rel in sorted({r for files in REPOSITORY_FILES.values() for r in files}):
        digest.update((ROOT / rel).read_bytes())
    return digest.hexdigest()


def _key(markdown: str, name: str, package: str) -> str:
    """What a page's results depend on: its name, its code (not its prose) and the package."""
    code = "\0".join(text for _, _, text in python_fences(markdown))
    return hashlib.sha256(f"{name}\0{code}\0{package}".encode()).hexdigest()


def run_page_safely(markdown: str, name: str) -> tuple[list[BlockResult] | None, str]:
    """``run_page`` for a worker process: (results, "") or (None, the error's message)."""
    try:
        return run_page(markdown, name), ""
    except PageError as error:
        return None, str(error)


# Pages being run by worker processes, started by on_files, by the same key as _cache.
_futures: dict[str, concurrent.futures.Future] = {}
_pool: list[concurrent.futures.ProcessPoolExecutor] = []


def page_results(markdown: str, name: str) -> list[BlockResult]:
    """The results of a page's blocks, run once per page code and package."""
    key = _key(markdown, name, _package_hash())
    if key not in _cache:
        future = _futures.pop(key, None)
        results, error = future.result() if future else run_page_safely(markdown, name)
        if results is None:
            raise PageError(error)
        _cache[key] = results
    return _cache[key]


def on_files(files, config, **kwargs):
    """Start running the pages that have code in two worker processes, in the order the build reads them.

    A page waits for its results only when the build reaches it; meanwhile the build goes on with the
    pages before it and the example notebooks, so both cores are busy and the build takes about half as
    long. Under ``mkdocs serve`` only the pages whose code or package changed are run again.
    """
    package = _package_hash()
    todo = []
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md"):
            continue
        markdown, name = file.content_string, f"docs/{file.src_uri}"
        key = _key(markdown, name, package)
        # Only the pages this build renders (a dirty serve build renders the edited ones; tools/hooks.py runs
        # the others in the background after a change of the package).
        if file.is_modified() and python_fences(markdown) and key not in _cache and key not in _futures:
            todo.append((key, markdown, name))
    if todo:
        if not _pool:
            context = multiprocessing.get_context("spawn")  # not fork: the build's threads stay its own
            _pool.append(concurrent.futures.ProcessPoolExecutor(2, mp_context=context))
        # Imported by its own name, so that the workers can import the function they are handed (and
        # with tools/ on the path again: a plugin may have reset sys.path since this hook was loaded).
        tools = str(Path(__file__).resolve().parent)
        if tools not in sys.path:
            sys.path.insert(0, tools)
        worker = importlib.import_module("execute").run_page_safely
        for key, markdown, name in todo:
            _futures[key] = _pool[0].submit(worker, markdown, name)
    _start_notebooks(files, config)
    return files


NOTEBOOK_PLUGIN = "mkdocs-jupyter"


def _notebook_job(path: str, config) -> tuple[dict, int, str] | None:
    """(nb2html's options, toc depth, cache file) for a notebook the plugin would execute; None otherwise."""
    plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
    if plugin is None or not plugin.config["cache"] or not plugin.config["execute"]:
        return None
    if plugin.config["execute_ignore"]:  # the plugin's per-file rule: leave those builds to it
        return None
    from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path

    options = {
        name: plugin.config[name]
        for name in (
            "kernel_name",
            "theme",
            "allow_errors",
            "show_input",
            "no_input",
            "no_prompt",
            "remove_tag_config",
            "highlight_extra_classes",
            "include_requirejs",
            "custom_mathjax_url",
        )
    }
    cache = _get_cache_path(plugin.config["cache_dir"], _compute_cache_key(path, plugin.config, True))
    return {"execute": True, **options}, plugin.config["toc_depth"], str(cache)


def execute_notebook(path: str, options: dict, toc_depth: int, cache: str) -> str:
    """In a worker: what mkdocs-jupyter does for a notebook page that misses its cache. "" or the error."""
    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens

    try:
        body = convert.nb2html(path, **options)
        toc_tokens, title = _get_nb_toc_tokens(path, toc_depth)
    except Exception as error:  # the plugin runs it again in the build, and reports the error itself
        return f"{type(error).__name__}: {error}"
    entry = json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title})
    target = Path(cache)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_text(entry, encoding="utf-8")
    partial.replace(target)  # whole or absent: the plugin never reads half a file
    return ""


class _Notebooks:
    """The example notebooks still to execute, fed one at a time to a worker process of their own.

    The worker starts with the build, while the build's own process mostly waits for the pages' results,
    and takes the notebooks from the last the build renders backwards. When the build reaches a notebook
    that the worker has not taken, the build takes it (the plugin executes it, as without this hook); one
    the worker has taken, it waits for. So the two meet in the middle. One at a time, so that "taken" is
    known exactly (an executor marks the calls it has queued as running).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.todo: list[tuple[str, tuple]] = []  # (source path, the job's arguments), in build order
        self.taken: dict[str, concurrent.futures.Future] = {}
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.feeder: threading.Thread | None = None

    def start(self, jobs: list[tuple[str, tuple]]) -> None:
        with self.lock:
            known = {path for path, _ in self.todo} | set(self.taken)
            self.todo += [(path, job) for path, job in jobs if path not in known]
            if not self.todo or (self.feeder is not None and self.feeder.is_alive()):
                return
            if self.pool is None:
                self.pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.feeder = threading.Thread(target=self._feed, name="notebook-feeder", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        worker = importlib.import_module("execute").execute_notebook
        while True:
            with self.lock:
                if not self.todo or self.pool is None:
                    return
                path, job = self.todo.pop()  # from the end: the build takes them from the front
                future = self.taken[path] = self.pool.submit(worker, path, *job)
            with contextlib.suppress(Exception):  # a lost worker: the build executes the rest itself
                future.result()

    def claim(self, path: str) -> None:
        """Before the build renders the notebook at ``path``: take it back, or wait for the worker's entry."""
        with self.lock:
            self.todo = [(p, job) for p, job in self.todo if p != path]
            future = self.taken.pop(path, None)
        if future is not None:
            # On an error, even a lost worker, the entry is missing: the plugin executes the notebook and reports.
            with contextlib.suppress(Exception):
                future.result()

    def stop(self) -> None:
        with self.lock:
            self.todo.clear()
            self.taken.clear()
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_notebooks = _Notebooks()


def _start_notebooks(files, config) -> None:
    """Queue the example notebooks whose cache entry is missing, in the order the build renders them."""
    plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
    if plugin is None:
        return
    jobs = []
    for file in files.documentation_pages():
        if plugin.should_include(file) and file.is_modified():  # those this build renders
            job = _notebook_job(file.abs_src_path, config)
            if job is not None and not Path(job[2]).exists():
                jobs.append((file.abs_src_path, job))
    _notebooks.start(jobs)


def on_pre_page(page, config, files):
    """A notebook page: the worker's cache entry is there when the plugin looks for it, or the build runs it."""
    _notebooks.claim(page.file.abs_src_path)
    return page


def on_post_build(config, **kwargs) -> None:
    """Stop the workers; results stay in _cache for the next build of ``mkdocs serve``."""
    for future in _futures.values():
        future.cancel()
    _futures.clear()
    _notebooks.stop()
    while _pool:
        _pool.pop().shutdown(wait=True, cancel_futures=True)


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:
    """Run the page's blocks and leave a placeholder under each for its output."""
    src = page.file.src_uri
    if not src.endswith(".md") or not python_fences(markdown):
        return markdown
    from mkdocs.exceptions import PluginError

    name = f"docs/{src}"
    try:
        results = page_results(markdown, name)
    except PageError as error:
        raise PluginError(str(error)) from error
    # Other hooks may have filled in text above a block (the module map, the benchmark figures): name each
    # block by its line in the chapter file itself, where a maintainer finds it.
    original = python_fences(page.file.content_string)
    if [code for _, _, code in original] == [code for _, _, code in python_fences(markdown)]:
        results = [replace(result, line=start + 1) for result, (start, _, _) in zip(results, original, strict=True)]
    _pending[src] = results
    marked, _ = _insert_placeholders(markdown)
    return marked


def on_page_content(html_text: str, page, **kwargs) -> str:
    """Replace each placeholder with its block's Output panel and figures."""
    results = _pending.pop(page.file.src_uri, None)
    if results is None:
        return html_text
    name = f"docs/{page.file.src_uri}"
    return PLACEHOLDER_RE.sub(lambda match: output_html(results[int(match[1])], name), html_text)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        page_path = Path(arg)
        rel = page_path.resolve().relative_to(ROOT).as_posix()
        blocks = run_page(page_path.read_text(encoding="utf-8"), rel)
        print(json.dumps([{"line": b.line, "output": b.output, "figures": len(b.figures)} for b in blocks], indent=1))
