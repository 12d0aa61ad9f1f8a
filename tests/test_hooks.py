"""tools/hooks.py on notebook pages: math becomes MathML, CDN scripts go, code and prices stay as they are."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import hooks
import pytest
import tangle
from mkdocs.exceptions import PluginError

NOTEBOOK_HEAD = """<!-- Load mathjax -->
<script src=""> </script>
<!-- MathJax configuration -->
<script type="text/x-mathjax-config">
  init_mathjax = function() { MathJax.Hub.Config({tex2jax: {inlineMath: [['$','$']]}}); }
</script>
<!-- End of mathjax configuration --><script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    if (!diagrams.length) { return; }
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
  });
</script>
<style>.jp-Mermaid { color: red; }</style>
<!-- End of mermaid configuration -->"""


def markdown_cell(inner: str) -> str:
    return f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">\n{inner}\n</div>'


def test_notebook_page_loses_its_cdn_scripts_but_keeps_its_styles():
    page = hooks._notebook_page(NOTEBOOK_HEAD + markdown_cell("<p>text</p>"))
    assert "cdnjs" not in page and "mathjax" not in page.lower() and "<script" not in page
    assert ".jp-Mermaid { color: red; }" in page and "<p>text</p>" in page


def test_mermaid_script_stays_when_the_notebook_draws_a_diagram():
    diagram = '<div class="jp-Mermaid"><pre class="mermaid">graph LR; a-->b</pre></div>'
    page = hooks._notebook_page(NOTEBOOK_HEAD + diagram)
    assert "mermaid.esm.min.mjs" in page  # then the offline tests must fail loudly, not hide it


def test_markdown_cell_math_becomes_mathml_outside_code():
    cell = markdown_cell(
        r"<p>Loss $L = \frac{1}{k}\sum_i l_i$ is</p><p>$$\hat{y} = X W + b$$</p>"
        r"<p>costs $5 and $6, <code>$x$</code></p><pre>$y$</pre>"
    )
    page = hooks._notebook_page(cell)
    assert page.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 1
    assert page.count('display="block"') == 1
    assert "\\frac" not in page and "$$" not in page
    assert "costs $5 and $6" in page and "<code>$x$</code>" in page and "<pre>$y$</pre>" in page


def test_math_outside_markdown_cells_is_left_alone():
    output = '<div class="jp-OutputArea-output"><pre>price $3$</pre></div><p>$z$</p>'
    assert hooks._notebook_page(output) == output


# --- The build is honest: only `mkdocs serve` re-tangles; any other build fails on a stale package. ---

CHAPTER = '# One\n\n```{{.python title="nnbook/m.py"}}\nx = {}\n```\n'


def tiny_book(tmp_path: Path, value: int) -> Path:
    """A book of one chapter whose package was tangled when the chapter said ``x = 1``."""
    (tmp_path / "docs").mkdir()
    hook = (Path(hooks.__file__).resolve()).as_posix()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nnav:\n  - one.md\nhooks:\n  - {hook}\n")
    (tmp_path / "docs" / "one.md").write_text(CHAPTER.format(1))
    tangle.write(tmp_path)
    (tmp_path / "docs" / "one.md").write_text(CHAPTER.format(value))
    return tmp_path


def package_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "nnbook").rglob("*"))}


def config_of(root: Path) -> dict:
    return {"config_file_path": str(root / "mkdocs.yml"), "plugins": {}}


@pytest.fixture
def command():
    """Restore the hook's idea of the running command after a test changed it."""
    before = dict(hooks._command)
    yield hooks.on_startup
    hooks._command.update(before)


def test_build_of_a_stale_package_fails_with_the_diff_and_writes_nothing(tmp_path, command):
    root = tiny_book(tmp_path, 2)
    before = package_of(root)
    command(command="build", dirty=False)
    with pytest.raises(PluginError, match=r"(?s)out of sync.*-x = 1\n\+x = 2"):
        hooks.on_pre_build(config_of(root))
    assert package_of(root) == before


def test_build_of_a_package_in_sync_passes(tmp_path, command):
    root = tiny_book(tmp_path, 1)
    command(command="build", dirty=False)
    hooks.on_pre_build(config_of(root))


def test_serve_retangles(tmp_path, command):
    root = tiny_book(tmp_path, 2)
    command(command="serve", dirty=False)
    hooks.on_pre_build(config_of(root))
    assert "x = 2" in (root / "nnbook" / "m.py").read_text()
    assert tangle.diff(root) == ""


def test_mkdocs_build_command_fails_on_a_stale_package(tmp_path):
    # The real command line, end to end: a chapter edited without `make tangle` fails the build.
    root = tiny_book(tmp_path, 2)
    before = package_of(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True, env=env
    )
    assert done.returncode != 0
    assert "out of sync" in done.stderr and "+x = 2" in done.stderr, done.stderr
    assert package_of(root) == before
    assert not (root / "site" / "index.html").exists()


def test_notebook_cache_is_keyed_by_the_package(tmp_path):
    root = tiny_book(tmp_path, 1)
    first = hooks.package_hash(root)
    assert hooks.package_hash(root) == first
    (root / "nnbook" / "m.py").write_text("x = 3\n")
    assert hooks.package_hash(root) != first


def test_notebook_cache_is_keyed_by_the_figure_style_too(tmp_path):
    root = tiny_book(tmp_path, 1)
    first = hooks.package_hash(root)
    (root / "docs" / "assets" / "plots").mkdir(parents=True)
    (root / "docs" / "assets" / "plots" / "matplotlibrc").write_text("font.size: 9\n")
    assert hooks.package_hash(root) != first


class FakeNotebookPlugin:
    def __init__(self):
        self.config = {"cache": True, "cache_dir": ".cache/mkdocs-jupyter"}


def test_notebook_cache_dir_is_named_by_the_package_and_keeps_the_last_few(tmp_path):
    plugin = FakeNotebookPlugin()
    config = {"plugins": {hooks.NOTEBOOK_PLUGIN: plugin}}
    for i in range(hooks.CACHE_KEEP + 2):
        key = f"key{i}"
        hooks._key_notebook_cache(config, tmp_path, key)
        assert plugin.config["cache_dir"] == str(tmp_path / hooks.CACHE / key)
        os.utime(tmp_path / hooks.CACHE / key, (1000 + i, 1000 + i))  # an ordered history of uses
    kept = sorted(d.name for d in (tmp_path / hooks.CACHE).iterdir())
    assert len(kept) == hooks.CACHE_KEEP and f"key{hooks.CACHE_KEEP + 1}" in kept and "key0" not in kept


class Page:
    """What on_files and CatchUp read of a MkDocs file."""

    def __init__(self, src_uri: str, modified: bool = False, content: str = ""):
        self.src_uri, self.modified, self.content_string = src_uri, modified, content
        self.abs_src_path = "/nowhere/" + src_uri

    def is_modified(self):
        return self.modified


class Files(list):
    def documentation_pages(self):
        return list(self)


@pytest.fixture
def catch_up(monkeypatch):
    """A fresh CatchUp, and the hook's package hash forgotten, as at the start of `make serve`."""
    fresh = hooks.CatchUp()
    monkeypatch.setattr(hooks, "_catch_up", fresh)
    monkeypatch.setitem(hooks._state, "hash", None)
    yield fresh
    fresh.stop()


def test_a_dirty_serve_renders_only_the_edited_page_after_a_change_of_the_package(tmp_path, command, catch_up):
    root = tiny_book(tmp_path, 1)
    command(command="serve", dirty=True)
    config = config_of(root)

    def build(*modified):
        hooks.on_pre_build(config)
        return [f.is_modified() for f in hooks.on_files(Files(Page(f"{n}.md", n in modified) for n in "ab"), config)]

    assert build("a", "b") == [True, True] and catch_up.todo is None  # the first build renders everything
    assert build("a") == [True, False] and catch_up.todo is None  # a prose edit: the edited page only
    (root / "docs" / "one.md").write_text(CHAPTER.format(3))
    assert build("a") == [True, False]  # the package changed: still the edited page only, at once ...
    assert "x = 3" in (root / "nnbook" / "m.py").read_text()
    _, _, pages, notebooks, others = catch_up.todo
    assert others == ["b.md"] and pages == notebooks == []  # ... and the others in the background
    catch_up.ready.add("b.md")  # when their results are in place, the next build renders them
    assert build() == [False, True] and catch_up.ready == set()


class FakeExecute:
    """tools/execute.py's results cache, by a key of (page, package)."""

    def __init__(self):
        self.package = "old"
        self._cache = {}

    def _key(self, markdown, name, package):
        return f"{name}@{package}"

    def _package_hash(self):
        return self.package

    @staticmethod
    def run_page_safely(markdown, name):
        """What the page prints with the new package; an object's address is not a change."""
        from execute import BlockResult

        output = f"{markdown} with the new package" if "changes" in markdown else "<Model at 0x7f01>"
        return [BlockResult(line=9, output=output)], ""  # the line of the block in the text that ran


def test_catch_up_renders_again_only_the_pages_whose_results_changed(tmp_path, catch_up, monkeypatch):
    import concurrent.futures

    execute = FakeExecute()
    monkeypatch.setattr(hooks, "_by_name", lambda name: execute)
    monkeypatch.setattr(catch_up, "_workers", lambda: concurrent.futures.ThreadPoolExecutor(2))
    catch_up.trigger = tmp_path / "rebuild"
    config = {"plugins": {"tools/execute.py": execute}}
    monkeypatch.setitem(hooks._command, "name", "serve")
    from execute import BlockResult

    for name, output in (("same.md", "<Model at 0x7f00>"), ("changes.md", "changes")):
        execute._cache[execute._key("", f"docs/{name}", "old")] = [BlockResult(line=3, output=output)]
        catch_up.shows(name, name.removesuffix(".md"), config)
    files = Files([Page("same.md"), Page("changes.md"), Page("api.md"), Page("edited.md", modified=True)])
    catch_up.plan(files, config)
    execute.package = "new"
    catch_up.start()
    for _ in range(200):
        if catch_up.trigger.exists():
            break
        time.sleep(0.05)
    assert catch_up.trigger.exists(), "the server was not asked to rebuild"
    # The page whose output changed and the page without code of its own (it may read the package).
    assert catch_up.take_ready() == {"changes.md", "api.md"}
    assert execute._cache["docs/changes.md@new"][0].output == "changes with the new package"
    assert execute._cache["docs/same.md@new"][0].output == "<Model at 0x7f01>"  # computed once: the build reads it


def test_a_notebook_page_is_the_same_whatever_its_cell_ids_and_stream_cuts(tmp_path):
    import json

    out = '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain" tabindex="0">\n<pre>'
    cut = '</pre>\n</div>\n</div>\n<div class="jp-OutputArea-child">\n<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\n'

    def entry(name, cell_id, text):
        content = f'<div class="jp-Cell" id="cell-id={cell_id}">{out}{text}</pre></div>'
        (tmp_path / name).write_text(json.dumps({"content": content, "toc_tokens": [], "title": "T"}))
        return tmp_path / name

    whole = entry("a.json", "55196a28", "epoch 1\nepoch 2\n")
    assert hooks.same_notebook(whole, entry("b.json", "c1a4db19", f"epoch 1\n{cut}{out}epoch 2\n"))
    assert not hooks.same_notebook(whole, entry("c.json", "55196a28", "epoch 1\nepoch 3\n"))
    assert not hooks.same_notebook(whole, tmp_path / "missing.json")


def test_a_later_change_of_the_package_abandons_the_round_before(catch_up):
    catch_up.plan(Files([Page("a.md")]), {"plugins": {}})
    first = catch_up.round
    catch_up.plan(Files([Page("a.md")]), {"plugins": {}})
    assert catch_up.round == first + 1 and catch_up.todo[0] == catch_up.round


def test_a_file_the_build_leaves_where_the_notebooks_run_is_reported(tmp_path):
    """A notebook that writes a file fails the strict build (tests/test_notebooks.py relies on it)."""
    (tmp_path / "README.md").write_text("here before the build")
    before = set(os.listdir(tmp_path))
    site = tmp_path / "site"
    for made in (site, tmp_path / hooks.CACHE):
        made.mkdir(parents=True)  # the build's own output and the notebook cache are expected
    assert hooks.stray_files(tmp_path, before, site) == []
    (tmp_path / "model.npz").write_bytes(b"")
    (tmp_path / "figures").mkdir()
    assert hooks.stray_files(tmp_path, before, site) == ["figures", "model.npz"]
    assert hooks.stray_files(None, set(), site) == []  # a build that never ran on_pre_build


def test_the_notebook_worker_and_the_build_meet_in_the_middle(monkeypatch):
    """tools/execute.py's notebook worker takes the example notebooks from the last backwards.

    The build takes the ones the worker has not reached and waits for the one it has: each runs once.
    """
    import concurrent.futures
    import threading

    import execute

    started, release, ran = threading.Event(), threading.Event(), []

    def fake_worker(path, *job):
        ran.append(path)
        started.set()
        release.wait(10)
        return ""

    monkeypatch.setattr(execute, "execute_notebook", fake_worker)
    notebooks = execute._Notebooks()
    notebooks.pool = concurrent.futures.ThreadPoolExecutor(1)  # the real one is a process: same protocol
    notebooks.start([(name, ()) for name in ("a", "b", "c")])
    assert started.wait(10) and ran == ["c"]
    notebooks.claim("a")  # not taken: the build executes it itself, at once
    assert [path for path, _ in notebooks.todo] == ["b"]
    release.set()
    notebooks.claim("b")  # taken by the worker meanwhile, or by the build now: either way, once
    notebooks.claim("c")  # taken: waits for the worker
    notebooks.feeder.join(10)
    assert ran in (["c"], ["c", "b"]) and not notebooks.todo and not notebooks.taken
    notebooks.stop()


# --- make serve's address, and the Makefile's own help ---

ROOT = Path(__file__).resolve().parent.parent


def test_serve_names_a_busy_port_in_one_line_before_building():
    import serve

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        problem = serve.address_problem("127.0.0.1", port)
        assert problem == (
            f"make serve: port {port} on 127.0.0.1 is in use (another make serve?); "
            f"stop it or choose another port: make serve PORT={port + 1}"
        )
        done = subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "serve", f"PORT={port}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == problem and "mkdocs" not in done.stdout  # no build started
    assert serve.address_problem("127.0.0.1", port) is None  # free again
    assert "not an address" in serve.address_problem("no-such-host.invalid", 8000)
    assert serve.main(["127.0.0.1", "http"]) == 1


def make_help() -> str:
    done = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = next(line for line in makefile.splitlines() if line.startswith(".PHONY:")).split()[1:]
    listed = [line.split()[1] for line in make_help().splitlines() if line.startswith("make ")]
    assert sorted(listed) == sorted(phony)


def test_recipes_hold_no_comment_lines_that_make_would_echo():
    recipe_comments = [line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("\t#")]
    assert recipe_comments == []


def test_the_notebook_kernels_encrypt_their_traffic_instead_of_warning():
    """A kernel on plain TCP warns once (ipykernel); the build's kernels use CurveZMQ instead."""
    import zmq
    from nbconvert.nbconvertapp import NbConvertApp

    assert str(hooks.JUPYTER_CONFIG) in os.environ["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    app = NbConvertApp()
    app.load_config_file()  # as mkdocs-jupyter does, for every notebook it executes
    assert zmq.has("curve") and app.config.KernelManager.transport_encryption == "auto"


def test_hooks_marks_the_pages_to_render_before_execute_starts_running_them():
    """execute.py runs only the pages a build renders (is_modified); hooks.py decides which, so it goes first."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    order = [f"{Path(handler.__module__).name}.{handler.__name__}" for handler in config.plugins.events["files"]]
    assert order.index("hooks.py.on_files") < order.index("execute.py.on_files")
    assert order.index("mkdocs_jupyter.plugin.on_files") < order.index("hooks.py.on_files")  # wraps notebooks first


def test_solution_cells_of_a_notebook_page_fold_into_one_block_each():
    # As mkdocs-jupyter renders them: a code cell carries its tags on its outer <div>, a Markdown cell on the
    # <div> of its rendered text. An explanation and its code form one "Solution" block; other cells stay.
    def markdown(text, tags=""):
        return (
            '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><div class="jp-Cell-inputWrapper">'
            f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown {tags}"><p>{text}</p></div></div></div>'
        )

    def code(text, tags=""):
        return (
            f'<div class="jp-Cell jp-CodeCell jp-Notebook-cell {tags}">'
            f'<div class="jp-Cell jp-CodeCell jp-Notebook-cell {tags}"><pre>{text}</pre></div></div>'
        )

    cells = [
        markdown("exercise 1"),
        markdown("why", "celltag_solution"),
        code("assert 1", "celltag_solution"),
        markdown("exercise 2"),
        code("assert 2", "celltag_solution"),
        code("not a solution"),
    ]
    page = '<div class="jupyter-wrapper"><div class="jp-Notebook" data-x="1">' + "\n".join(cells) + "</div></div>"
    folded = hooks.fold_solutions(page)
    blocks = re.findall(
        r'<details class="success nb-solution"><summary>Solution</summary>(.*?)</details>', folded, re.S
    )
    assert len(blocks) == 2
    assert "why" in blocks[0] and "assert 1" in blocks[0] and "exercise 2" not in blocks[0]
    assert "assert 2" in blocks[1] and "not a solution" not in blocks[1]
    assert re.sub(r"</?details[^>]*>|<summary>Solution</summary>", "", folded) == page
    assert hooks.fold_solutions("<p>no notebook</p>") == "<p>no notebook</p>"
