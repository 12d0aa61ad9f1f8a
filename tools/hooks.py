"""MkDocs hooks for the book (listed under ``hooks:`` in mkdocs.yml).

* ``on_pre_build`` keeps the build honest about the package.  Under
  ``mkdocs serve`` (``on_startup`` says which command runs) it re-tangles, so
  ``nnbook/`` follows the chapter being edited; only files whose text changed
  are written, and ``nnbook/`` lies outside ``docs/``, so the rebuild that
  serve triggers does not trigger another.  Every other command (``mkdocs
  build``, ``make build``, CI) writes nothing: it fails, printing the diff,
  when the committed package differs from what the chapters produce.
* It also keys mkdocs-jupyter's cache of executed example notebooks by the
  package: the plugin already hashes each notebook's source and its options;
  the hook points its ``cache_dir`` at a directory named by a hash of
  ``nnbook/``, of the figures' style (``docs/assets/plots/``) and of the
  versions of the libraries the examples import, so a notebook runs again
  only when it, the package, the style or those libraries changed (the last
  few package versions are kept).
* ``make serve`` runs ``mkdocs serve --dirty``: a rebuild renders only the
  pages whose source changed, so an edit of a chapter shows in seconds, even
  one that changed ``nnbook/``. Any other page may show the package's work
  (outputs, API, notebooks), so after such a build a background thread
  (``CatchUp``) runs the other pages' code and the example notebooks against
  the new package in low-priority worker processes, while the server keeps
  answering; then it asks for one more rebuild, which renders the pages whose
  outputs changed and those without code (the API reference), from results
  already computed. The server only blocks requests while it builds, so no
  request waits for a notebook.
* ``on_page_content`` turns the TeX that ``pymdownx.arithmatex`` leaves in the
  page into MathML on the server, so the math needs no script and no network.
  Pages that mkdocs-jupyter renders from notebooks get the same treatment: the
  ``$...$`` / ``$$...$$`` of their Markdown cells become MathML, and the
  scripts that would fetch MathJax and mermaid from a CDN are dropped (the
  book draws no mermaid diagrams), so that example pages work offline too.
* ``on_page_markdown`` turns every Markdown chapter that has Python code into a
  notebook (tools/chapter_notebook.py), and ``on_post_build`` writes it next to
  the page's ``index.html`` as ``<chapter>.ipynb``; the page's
  ``chapter_nb_url`` makes overrides/main.html show a download button for it.
  It also fills the ``<!-- nnbook:module-map -->`` marker of the how-built
  page with the table of generated modules, their chapters and public names.
* Example pages (mkdocs-jupyter renders ``docs/examples/*.py``): ``on_page_context`` writes each one's
  notebook, made from the jupytext source, beside the page as ``<name>.ipynb`` and gives the page its
  relative ``example_nb_url`` for the download button. Cells tagged ``solution`` (the exercises' answers)
  are folded on the page, as the chapters' ``/// details | Solution`` blocks are, and collapsed in the
  downloaded notebook.
* The example notebooks run in the kernel's working directory, the folder the
  build runs from (the repository's root). ``on_post_build`` warns (so a
  strict build fails) when the build left a new file or folder there: a
  notebook that writes files would leave them in a reader's folder too.
  tests/test_notebooks.py relies on this instead of running every notebook a
  second time as a script.
"""

from __future__ import annotations

import ast
import concurrent.futures
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tangle
from chapter_notebook import chapter_notebook, notebook_name, python_fences

log = logging.getLogger("mkdocs.hooks.nnbook")

# The kernels that execute the example notebooks, here and in tools/execute.py's workers (which inherit the
# environment), read nbconvert's configuration from tools/jupyter/ too: it encrypts their traffic with the
# build, which they would otherwise warn is plain TCP.
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter"
if str(JUPYTER_CONFIG) not in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep):
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(JUPYTER_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH")])
    )

# arithmatex in generic mode wraps inline math as \( .. \) in a span and
# display math as \[ .. \] in a div.
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]\s*</(?P=tag)>',
    re.DOTALL,
)


# What nbconvert's template puts in every notebook page for MathJax and mermaid (both from a CDN).
NB_MATHJAX = re.compile(
    r"<!-- Load mathjax -->\s*<script[^>]*>\s*</script>\s*<!-- MathJax configuration -->.*?"
    r"<!-- End of mathjax configuration -->",
    re.DOTALL,
)
NB_MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?import\("https://[^"]*mermaid.*?</script>', re.DOTALL
)
NB_MERMAID_DIAGRAM = re.compile(r'class="[^"]*\bjp-Mermaid\b')
NB_MARKDOWN_CELL = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>')
DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")
# Math in a notebook's Markdown: $$display$$ or $inline$ (not "$5 and $6": no space after the
# opening $ nor before the closing one), outside code.
NB_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$\w])\$(?=\S)(?P<inline>[^$\n]+?)(?<=\S)\$(?![\w$])", re.DOTALL)
CODE_OR_PRE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.DOTALL)


# Notebooks of the chapters built so far: path under site_dir -> notebook JSON.
_chapter_notebooks: dict[str, str] = {}
H1 = re.compile(r"^# (.+)$", re.MULTILINE)


# The mkdocs command that runs ("build", "serve", "gh-deploy") and whether it is a --dirty one; set by
# on_startup. Anything but "serve" leaves nnbook/ untouched (a build called from Python never sees on_startup).
_command = {"name": "build", "dirty": False}
# Across the rebuilds of one `mkdocs serve` (mkdocs loads a hook module once): the last package hash, whether
# this build changed the package (then CatchUp renders the other pages after it), the tangled package.
_state: dict = {"hash": None, "changed": False, "tangled": (None, None), "cwd": None, "entries": set()}
NOTEBOOK_PLUGIN = "mkdocs-jupyter"
# What an executed page depends on besides its own source: these folders (the package, and the figures'
# house style, which tools/execute.py hands to the notebook kernels too) and these libraries.
NOTEBOOK_INPUTS = (tangle.PACKAGE, "docs/assets/plots")
NOTEBOOK_LIBRARIES = ("numpy", "matplotlib", "scikit-learn", "nbconvert", "ipykernel")
CACHE = Path(".cache") / "notebooks"
CACHE_KEEP = 4  # package versions whose executed notebooks are kept


def on_startup(command: str, dirty: bool, **kwargs) -> None:
    """Remember which mkdocs command runs: only ``serve`` may re-tangle."""
    _command["name"] = command
    _command["dirty"] = dirty


def package_hash(root: Path) -> str:
    """A hash of the files an executed notebook depends on (NOTEBOOK_INPUTS) and of the libraries it uses."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(sys.version.encode())
    for folder in NOTEBOOK_INPUTS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in NOTEBOOK_LIBRARIES:
        try:
            digest.update(f"{name}=={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()[:16]


def _key_notebook_cache(config, root: Path, key: str) -> None:
    plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
    if plugin is None or not plugin.config["cache"]:
        return
    cache_root = root / CACHE
    cache_dir = cache_root / key
    plugin.config["cache_dir"] = str(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    os.utime(cache_dir)  # most recently used
    # The plugin evicts stale entries inside its own directory. The directories of the last few packages
    # stay (an edit that is undone finds its notebooks again); older ones go.
    recent = sorted((d for d in cache_root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
    for old in recent[CACHE_KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def on_pre_build(config, **kwargs) -> None:
    """Re-tangle under serve; otherwise fail, with the diff, on a stale package. Key the notebook cache."""
    _chapter_notebooks.clear()
    root = Path(config["config_file_path"]).parent
    _state["cwd"], _state["entries"] = Path.cwd(), set(os.listdir())  # where the notebook kernels run
    try:
        wanted = tangle.tangle(root)
        _state["tangled"] = (root, wanted)
        if _command["name"] == "serve":
            for rel in tangle.write(root, wanted):
                log.info("tangled %s", rel)
        else:
            delta = tangle.diff(root, wanted)
            if delta:
                # Where to edit, then the diff (only `mkdocs serve` re-tangles).
                raise PluginError(f"{tangle.sync_report(root, wanted)}\n{delta}")
    except tangle.TangleError as error:
        raise PluginError(f"tangle failed:\n{error}") from error
    key = package_hash(root)
    # `mkdocs serve --dirty` (make serve) renders only the pages whose source changed; when the package
    # changed, every other page may show something else (outputs, API, notebooks): CatchUp sees to them.
    _state["changed"] = _command["name"] == "serve" and _command["dirty"] and _state["hash"] not in (None, key)
    _state["hash"] = key
    _key_notebook_cache(config, root, key)


# No priority: after mkdocs-jupyter has wrapped its notebooks (a plugin) and before tools/execute.py (a later
# hook) starts running the pages that this build renders, i.e. those that say is_modified().
def on_files(files, config, **kwargs):
    """A dirty serve rebuild: render the pages CatchUp has results for; after a package change, plan it."""
    ready = _catch_up.take_ready()
    if ready:
        log.info("rendering %d page(s) that the change of nnbook/ changed", len(ready))
    for file in files:
        if file.src_uri in ready:
            file.is_modified = lambda: True
    if _state["changed"]:
        _catch_up.plan(files, config)
    return files


def _convert(tex: str, display: str) -> str:
    """TeX -> MathML; a formula latex2mathml cannot read fails the build, named."""
    try:
        return convert(tex, display=display)
    except Exception as error:  # latex2mathml raises many types; name the formula
        raise PluginError(f"cannot render math {tex!r}: {error}") from error


def _mathml(match: re.Match) -> str:
    display = "block" if match["open"] == "[" else "inline"
    rendered = _convert(html.unescape(match["tex"]).strip(), display)
    if display == "block":
        return f'<div class="math-display">{rendered}</div>'
    return rendered


def _notebook_math(markdown_html: str) -> str:
    def one(match: re.Match) -> str:
        # <math display="block"> is phrasing content, so it may stay inside the cell's <p>.
        display = "block" if match["display"] is not None else "inline"
        return _convert(html.unescape(match["display"] if display == "block" else match["inline"]).strip(), display)

    # Split off <pre>/<code> elements (odd indices after re.split with two groups) and leave them alone.
    parts = CODE_OR_PRE.split(markdown_html)
    out = []
    for i in range(0, len(parts), 3):
        out.append(NB_MATH.sub(one, parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def _notebook_page(html_text: str) -> str:
    html_text = NB_MATHJAX.sub("", html_text)
    if not NB_MERMAID_DIAGRAM.search(html_text):
        html_text = NB_MERMAID.sub("", html_text)
    out, pos = [], 0
    for opening in NB_MARKDOWN_CELL.finditer(html_text):
        if opening.start() < pos:
            continue
        depth, end = 1, len(html_text)
        for tag in DIV_TAG.finditer(html_text, opening.end()):
            depth += -1 if tag[1] else 1
            if depth == 0:
                end = tag.start()
                break
        out += [html_text[pos : opening.end()], _notebook_math(html_text[opening.end() : end])]
        pos = end
    out.append(html_text[pos:])
    return "".join(out)


def on_page_content(html_text: str, page, **kwargs) -> str:
    """Math to MathML; notebook pages also lose their CDN scripts and fold their solutions."""
    if page.file.src_uri.endswith((".py", ".ipynb")):
        html_text = fold_solutions(_notebook_page(html_text))
    return MATH.sub(_mathml, html_text)


MODULE_MAP = "<!-- nnbook:module-map -->"


def _public_names(code: str) -> list[str]:
    """The public classes and functions a generated module defines at its top level."""
    tree = ast.parse(code)
    kinds = (ast.ClassDef, ast.FunctionDef)
    return [node.name for node in tree.body if isinstance(node, kinds) and not node.name.startswith("_")]


def module_map(root: Path, page_path: str) -> str:
    """A Markdown table: generated module | chapters that write it | public names, from the tangler."""
    depth = page_path.count("/")
    rows = ["| module | written by | defines |", "|---|---|---|"]
    tangled_root, wanted = _state["tangled"]
    for rel, text in (wanted if tangled_root == root else tangle.tangle(root)).items():
        header = text.split("\n\n", 1)[0]
        chapters = [line.split("docs/", 1)[1] for line in header.splitlines() if line.startswith("#   docs/")]
        links = ", ".join(f"[{c.rsplit('/', 1)[-1][:-3]}]({'../' * depth}{c})" for c in chapters)
        names = ", ".join(f"`{name}`" for name in _public_names(text)) or "(exports)"
        rows.append(f"| `{rel}` | {links} | {names} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:
    """Fill the module map; make the chapter's notebook and give the page its download link."""
    src = page.file.src_uri
    if MODULE_MAP in markdown:
        markdown = markdown.replace(MODULE_MAP, module_map(Path(config["config_file_path"]).parent, src))
    if not src.endswith(".md") or not python_fences(markdown):
        return markdown
    _catch_up.shows(src, markdown, config)
    heading = H1.search(markdown)
    title = heading[1].strip() if heading else (page.title or src)
    notebook = chapter_notebook(markdown, title=title, source=f"docs/{src}")
    name = notebook_name(src)
    # With directory URLs the page is <dest dir>/index.html; the notebook goes beside it.
    dest_dir = Path(page.file.dest_uri).parent
    _chapter_notebooks[(dest_dir / name).as_posix()] = nbformat.writes(notebook) + "\n"
    page.chapter_nb_url = name  # relative to the page's own URL
    return markdown


@event_priority(100)  # before mkdocs-jupyter evicts the cache entries this build did not use
def on_post_build(config, **kwargs) -> None:
    """Write the chapters' notebooks beside their pages."""
    plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
    if _command["dirty"] and plugin is not None and plugin.config["cache"]:
        # A dirty rebuild renders few notebooks; the others' cache entries are still good: keep them, and
        # those CatchUp is writing (the plugin would evict one that lands while it builds).
        plugin._used_cache_paths.update(Path(plugin.config["cache_dir"]).glob("*.json"))
        plugin._used_cache_paths.update(_catch_up.entries)
    _catch_up.start()  # after a build that changed nnbook/: the other pages, in the background
    site = Path(config["site_dir"])
    for rel, text in _chapter_notebooks.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    stray = stray_files(_state["cwd"], _state["entries"], site)
    if stray:
        log.warning(
            "the build left %s in %s, where the example notebooks run: a notebook (or a page) writes files "
            "a reader did not ask for",
            ", ".join(stray),
            _state["cwd"],
        )


def stray_files(folder: Path | None, before: set[str], site: Path) -> list[str]:
    """What the build added to ``folder`` (the kernels' working directory), besides the site and the cache."""
    if folder is None:
        return []
    expected = {site.resolve(), (folder / CACHE.parts[0]).resolve()}
    return sorted(name for name in set(os.listdir(folder)) - before if (folder / name).resolve() not in expected)


# --- make serve: the edited page at once, the rest of the site in the background -------------------------

TRIGGER = Path(".cache") / "serve"  # a folder the server watches: CatchUp writes in it to ask for a rebuild


def _execute_hook(config):
    """tools/execute.py as MkDocs loaded it (the pages read its results cache), or None without it."""
    for name, plugin in config["plugins"].items():
        if Path(name).name == "execute.py" and hasattr(plugin, "run_page_safely"):
            return plugin
    return None


def _by_name(module: str):
    """A module of tools/ imported by its own name, so that a worker process can import what it is handed."""
    import importlib

    tools = str(Path(__file__).resolve().parent)
    if tools not in sys.path:
        sys.path.insert(0, tools)  # MkDocs restores sys.path after loading a hook
    return importlib.import_module(module)


class CatchUp:
    """Brings the pages a serve build did not render up to date with a package that the build changed.

    ``shows`` and ``on_pre_page`` note what each rendered page shows: a chapter's results (by the key
    under which tools/execute.py keeps them) or a notebook's cache entry. After a build that changed
    nnbook/, ``plan`` lists the pages it did not render, and ``start`` runs their code and notebooks in a
    thread that feeds two low-priority worker processes: the server keeps answering meanwhile. The
    results go where the build looks for them (execute.py's cache, the notebook cache of the new
    package). A page is to be rendered again when its results differ from what it shows, or when it
    has no code of its own (the API reference reads the package). Then the thread writes in TRIGGER,
    the server rebuilds, and ``on_files`` marks those pages modified: that build runs nothing.

    A later change of the package starts a new round, which abandons the old one: the pages it had not
    rendered are again among those the new build did not render.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.round = 0
        self.shown: dict[str, tuple[str, str]] = {}  # page -> (markdown, results key) or ("", cache entry)
        self.todo: tuple | None = None  # what plan() found, for start()
        self.ready: set[str] = set()  # pages whose fresh results are in place, to render at the next build
        self.trigger: Path | None = None
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.entries: set[Path] = set()  # the notebook cache entries this round writes, maybe during a build

    def shows(self, src: str, markdown: str, config) -> None:
        """A chapter page is being rendered from ``markdown``: note the key of the results it shows."""
        execute = _execute_hook(config)
        if execute is not None and _command["name"] == "serve":
            self.shown[src] = (markdown, execute._key(markdown, f"docs/{src}", execute._package_hash()))

    def shows_notebook(self, src: str, cache_entry: str) -> None:
        """A notebook page is being rendered from the cache entry ``cache_entry``."""
        self.shown[src] = ("", cache_entry)

    def plan(self, files, config) -> None:
        """This build changed the package: list what it will not render (call from on_files)."""
        execute = _execute_hook(config)
        plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
        pages, notebooks, others = [], [], []
        for file in files.documentation_pages():
            if file.is_modified():
                continue
            shown = self.shown.get(file.src_uri)
            if plugin is not None and plugin.should_include(file):
                job = _by_name("execute")._notebook_job(file.abs_src_path, config)
                if job is None or shown is None:
                    others.append(file.src_uri)
                else:
                    notebooks.append((file.src_uri, file.abs_src_path, job, shown[1]))
            elif shown is not None and shown[0] and execute is not None:
                pages.append((file.src_uri, *shown))
            else:
                others.append(file.src_uri)
        with self.lock:
            self.round += 1  # an older round is abandoned
            self.ready.clear()  # its pages are among these again
            self.todo = (self.round, execute, pages, notebooks, others)
            self.entries = {Path(job[2]) for _, _, job, _ in notebooks}
        log.info(
            "nnbook/ changed: rendered the edited page(s) only; running the other %d page(s) and %d notebook(s) "
            "in the background",
            len(pages),
            len(notebooks),
        )

    def start(self) -> None:
        """After the build: start the round that plan() prepared, if any."""
        with self.lock:
            todo, self.todo = self.todo, None
        if todo is not None:
            threading.Thread(target=self._run, args=todo, name="nnbook-catch-up", daemon=True).start()

    def take_ready(self) -> set[str]:
        """The pages whose fresh results are in place, once: the build that asks renders them."""
        with self.lock:
            ready, self.ready = self.ready, set()
        return ready

    def _workers(self) -> concurrent.futures.ProcessPoolExecutor:
        if self.pool is None:
            nice = getattr(os, "nice", None)  # below the server's own builds, where the OS allows
            self.pool = concurrent.futures.ProcessPoolExecutor(
                2, mp_context=multiprocessing.get_context("spawn"), initializer=nice, initargs=(10,) if nice else ()
            )
        return self.pool

    def _run(self, *todo) -> None:
        try:
            self._round(*todo)
        except Exception:  # never silently: the pages would stay stale
            log.exception("nnbook/ changed, and bringing the other pages up to date failed; save a page to retry")

    def _round(self, round_: int, execute, pages: list, notebooks: list, others: list[str]) -> None:
        started = time.monotonic()
        changed = set(others)
        worker = _by_name("execute")
        package = execute._package_hash() if execute is not None else ""
        futures = {}
        for src, markdown, old_key in pages:
            key = execute._key(markdown, f"docs/{src}", package)
            if key in execute._cache:
                if not same_results(execute._cache[key], execute._cache.get(old_key)):
                    changed.add(src)
            else:
                job = self._workers().submit(worker.run_page_safely, markdown, f"docs/{src}")
                futures[job] = ("page", src, key, old_key)
        for src, path, job, old_entry in notebooks:
            if not Path(job[2]).exists():
                run = self._workers().submit(worker.execute_notebook, path, *job)
                futures[run] = ("notebook", src, job[2], old_entry)
            elif not same_notebook(job[2], old_entry):
                changed.add(src)
        for future in concurrent.futures.as_completed(futures):
            if self.round != round_:  # a newer change of the package: its round does this work again
                for queued in futures:
                    queued.cancel()
                return
            kind, src, new, old = futures[future]
            try:
                result = future.result()
            except Exception:  # a lost worker: the build runs the page itself, and reports
                changed.add(src)
                continue
            if kind == "page":  # (results, error)
                results = result[0]
                if results is None:  # the build runs it again and reports the error
                    changed.add(src)
                    continue
                execute._cache[new] = results
                if not same_results(results, execute._cache.get(old)):
                    changed.add(src)
            elif result or not same_notebook(new, old):  # a notebook: its error, or its page changed
                changed.add(src)
        with self.lock:
            if self.round != round_:
                return
            self.ready |= changed
        log.info(
            "nnbook/ changed: the other pages ran in %.0f s; to render again: %s",
            time.monotonic() - started,
            ", ".join(sorted(changed)) or "none",
        )
        self.ask_rebuild()

    def ask_rebuild(self) -> None:
        """Write in the folder the server watches: it rebuilds."""
        if self.trigger is not None:
            self.trigger.write_text(f"{time.time()}\n", encoding="utf-8")

    def stop(self) -> None:
        """The server stops: abandon the round and end the workers now (a notebook may take a while)."""
        with self.lock:
            self.round += 1
            pool, self.pool = self.pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


# What differs between two runs of the same code and means nothing to a reader: an object's address in its
# repr, the name of a temporary folder; in a notebook page, the random cell ids (jupytext makes new ones at
# each reading) and where the kernel happened to cut a stream of printed text into several outputs.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|" + re.escape(tempfile.gettempdir()) + r"[/\\]tmp\w+")
NB_CELL_ID = re.compile(r' id="cell-id=[^"]*"')
NB_STREAM_CUT = re.compile(
    r"</pre>\s*</div>\s*</div>\s*<div class=\"jp-OutputArea-child\">\s*"
    r'<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\s*'
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"[^>]*>\s*<pre>'
)


def same_results(new: list | None, old: list | None) -> bool:
    """Whether a page's block results show the same (tools/execute.py's BlockResult: line, output, figures).

    Not the lines: they count from the top of the text that ran, and the page names its blocks by their
    lines in the chapter file anyway.
    """
    if new is None or old is None or len(new) != len(old):
        return False
    return all(
        (ADDRESS.sub("", a.output), a.figures) == (ADDRESS.sub("", b.output), b.figures)
        for a, b in zip(new, old, strict=True)
    )


def same_notebook(new: str | Path, old: str | Path) -> bool:
    """Whether two mkdocs-jupyter cache entries show the same page (a missing entry is like no other)."""
    try:
        entries = [json.loads(Path(entry).read_text(encoding="utf-8")) for entry in (new, old)]
    except (OSError, ValueError):
        return False
    for entry in entries:
        entry["content"] = NB_STREAM_CUT.sub("", NB_CELL_ID.sub("", ADDRESS.sub("", entry["content"])))
    return entries[0] == entries[1]


_catch_up = CatchUp()


def on_serve(server, config, builder, **kwargs):
    """Under ``make serve``, let CatchUp ask for a rebuild by writing in a watched folder."""
    folder = Path(config["config_file_path"]).parent / TRIGGER
    folder.mkdir(parents=True, exist_ok=True)
    _catch_up.trigger = folder / "rebuild"
    server.watch(str(folder))
    return server


def on_pre_page(page, config, files):
    """Note which cache entry a notebook page shows (mkdocs-jupyter, a plugin, has set it up already)."""
    plugin = config["plugins"].get(NOTEBOOK_PLUGIN)
    if _command["name"] == "serve" and plugin is not None and plugin.should_include(page.file):
        job = _by_name("execute")._notebook_job(page.file.abs_src_path, config)
        if job is not None:
            _catch_up.shows_notebook(page.file.src_uri, job[2])
    return page


def on_shutdown(**kwargs) -> None:
    """The server stops: so do CatchUp's workers."""
    _catch_up.stop()


# Example pages: the exercises' solutions are the cells tagged "solution" (`# %% tags=["solution"]`).
SOLUTION_TAG = "solution"
NB_NOTEBOOK = re.compile(r'<div class="jp-Notebook"[^>]*>')
# A code cell carries its tags on its outer <div>, a Markdown cell on the <div> of its rendered text.
NB_SOLUTION = re.compile(rf'<div class="[^"]*\bcelltag_{SOLUTION_TAG}\b')


def fold_solutions(html_text: str) -> str:
    """Wrap each run of consecutive solution cells of a notebook page in a collapsed "Solution" block."""
    notebook = NB_NOTEBOOK.search(html_text)
    if notebook is None:
        return html_text
    cells: list[tuple[int, int, bool]] = []  # the notebook's top-level cells: (start, end, is a solution)
    depth, start = 0, 0
    for tag in DIV_TAG.finditer(html_text, notebook.end()):
        if not tag[1]:
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth == 0:
            break  # the notebook's own closing tag
        else:
            depth -= 1
            if depth == 0:
                cells.append((start, tag.end(), NB_SOLUTION.search(html_text, start, tag.end()) is not None))
    out, pos, index = [], 0, 0
    while index < len(cells):
        first, _, solution = cells[index]
        if not solution:
            index += 1
            continue
        last = index
        # Consecutive solution cells (an explanation, then its code) share one block.
        while last + 1 < len(cells) and cells[last + 1][2]:
            last += 1
        out += [
            html_text[pos:first],
            '<details class="success nb-solution"><summary>Solution</summary>',
            html_text[first : cells[last][1]],
            "</details>",
        ]
        pos, index = cells[last][1], last + 1
    out.append(html_text[pos:])
    return "".join(out)


def example_notebook(source: Path) -> str:
    """The .ipynb of an example page, from its jupytext source; solution cells start collapsed."""
    import jupytext

    notebook = jupytext.read(source)
    for cell in notebook.cells:
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def on_page_context(context, page, config, **kwargs):
    """Write an example page's notebook beside it and link it relatively (overrides/main.html)."""
    src = page.file.src_uri
    if src.startswith("examples/") and src.endswith(".py"):
        name = f"{Path(src).stem}.ipynb"
        target = Path(config["site_dir"]) / Path(page.file.dest_uri).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(example_notebook(Path(page.file.abs_src_path)), encoding="utf-8")
        page.example_nb_url = name  # relative to the page's own URL
    return context
