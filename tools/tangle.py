"""Tangle the book's chapters into the ``nnbook`` package.

The chapters under ``docs/`` are the single source of truth.  This tool reads
them in book order (the ``nav`` of ``mkdocs.yml``), parses each one with
markdown-it-py and collects two kinds of Python fences:

* a **file block** names its destination in the superfences title,
  ``{.python title="nnbook/layers.py"}``; file blocks are appended to their
  file in book order, separated by two blank lines;
* a **named chunk** carries an id, ``{.python #dense-backward notest}`` (its
  title, if any, is only shown on the page); it is expanded wherever a line
  of another block reads ``# <<dense-backward>>``, with that line's indentation added to every line of the chunk.

Undefined, unused, duplicate and cyclic chunks are errors that name
``file:line``.  Output is deterministic; each generated file starts with a
header naming its source chapters in book order.

Usage::

    python tools/tangle.py            # write nnbook/
    python tools/tangle.py --check    # exit 1 and print a diff if nnbook/ is stale
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "nnbook"
PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)# <<(?P<name>[A-Za-z0-9_.:-]+)>>[ \t]*$")
HEADER_MARK = "# GENERATED FILE — do not edit."
PYTHON_LANGS = {"python", "py", "python3"}


class TangleError(Exception):
    """A problem in the chapters, reported as ``file:line: message``."""


@dataclass
class Block:
    """One Python fence of a chapter."""

    chapter: str  # path relative to the repository root
    line: int  # 1-based line of the opening fence
    code: str
    title: str | None = None
    chunk: str | None = None
    options: set[str] = field(default_factory=set)

    @property
    def where(self) -> str:
        return f"{self.chapter}:{self.line}"


def parse_info(info: str) -> tuple[str | None, str | None, str | None, set[str]]:
    """Split a fence info string into (language, id, title, bare options).

    Accepts the superfences brace form ``{.python #id title="x" notest}`` and
    the plain form ``python notest``.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        parts = shlex.split(info[1:-1])
    else:
        parts = info.split()
    lang = ident = title = None
    options: set[str] = set()
    for i, part in enumerate(parts):
        if part.startswith("."):
            lang = lang or part[1:]
        elif part.startswith("#"):
            ident = part[1:]
        elif part.startswith("title="):
            title = part[len("title=") :]
        elif i == 0 and not info.startswith("{"):
            lang = part
        else:
            options.add(part)
    return lang, ident, title, options


def book_order(root: Path = ROOT) -> list[Path]:
    """The chapter files in the order of mkdocs.yml's nav."""

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold tags such as !!python/name:...; they do not matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    docs_dir = root / config.get("docs_dir", "docs")
    pages: list[Path] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            if node.endswith(".md"):
                pages.append(docs_dir / node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config.get("nav", []))
    return pages


def read_blocks(chapter: Path, root: Path = ROOT) -> list[Block]:
    """The Python fences of one chapter that belong to the package."""
    parser = MarkdownIt("commonmark")
    rel = chapter.relative_to(root).as_posix()
    blocks = []
    for token in parser.parse(chapter.read_text(encoding="utf-8")):
        if token.type != "fence" or token.map is None:
            continue
        lang, ident, title, options = parse_info(token.info)
        if lang not in PYTHON_LANGS:
            continue
        block = Block(rel, token.map[0] + 1, token.content, title, ident, options)
        if ident is not None or (title or "").startswith(PACKAGE + "/"):
            blocks.append(block)
    return blocks


def expand(block: Block, chunks: dict[str, Block], used: set[str], stack: tuple[str, ...] = ()) -> str:
    """Return *block*'s code with every ``# <<name>>`` line replaced by its chunk.

    The placeholder's indentation is added to each line of the chunk, so a
    method body written flush left in its chapter lands inside its class.
    """
    out = []
    for offset, line in enumerate(block.code.splitlines(keepends=True)):
        match = PLACEHOLDER.match(line)
        if not match:
            out.append(line)
            continue
        name, indent = match["name"], match["indent"]
        if name not in chunks:
            raise TangleError(f"{block.chapter}:{block.line + 1 + offset}: undefined chunk <<{name}>>")
        if name in stack:
            cycle = " -> ".join((*stack, name))
            raise TangleError(f"{chunks[name].where}: chunk cycle: {cycle}")
        used.add(name)
        body = expand(chunks[name], chunks, used, (*stack, name))
        for body_line in body.splitlines(keepends=True):
            out.append(indent + body_line if body_line.strip() else body_line.lstrip(" \t"))
    return "".join(out)


def header(sources: list[str]) -> str:
    lines = [HEADER_MARK, "# Tangled by tools/tangle.py from the book's chapters:"]
    lines += [f"#   {source}" for source in sources]
    lines.append("# Edit the chapters, then run `make tangle`.")
    return "\n".join(lines) + "\n"


def tangle(root: Path = ROOT) -> dict[str, str]:
    """Return {relative path: file text} for every generated file."""
    blocks = [block for chapter in book_order(root) for block in read_blocks(chapter, root)]
    chunks: dict[str, Block] = {}
    files: dict[str, list[Block]] = {}
    for block in blocks:
        if block.chunk is not None:
            if block.chunk in chunks:
                first = chunks[block.chunk].where
                raise TangleError(f"{block.where}: duplicate chunk <<{block.chunk}>> (first defined at {first})")
            chunks[block.chunk] = block
        else:
            if not block.title.endswith(".py") or " " in block.title:
                raise TangleError(f"{block.where}: file block title must name a .py file, got {block.title!r}")
            files.setdefault(block.title, []).append(block)

    used: set[str] = set()
    result: dict[str, str] = {}
    order = {chapter.relative_to(root).as_posix(): i for i, chapter in enumerate(book_order(root))}
    for path in sorted(files):
        parts = []
        sources = set()
        for block in files[path]:
            before = set(used)
            parts.append(expand(block, chunks, used).strip("\n"))
            sources.add(block.chapter)
            sources.update(chunks[name].chapter for name in used - before)
        body = "\n\n\n".join(parts) + "\n"
        result[path] = header(sorted(sources, key=order.__getitem__)) + "\n" + body
    unused = sorted(set(chunks) - used, key=lambda name: chunks[name].where)
    if unused:
        raise TangleError("\n".join(f"{chunks[name].where}: unused chunk <<{name}>>" for name in unused))
    return result


def stale_files(root: Path, wanted: dict[str, str]) -> list[Path]:
    """Generated files on disk that the chapters no longer produce."""
    stale = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel not in wanted and path.read_text(encoding="utf-8").startswith(HEADER_MARK):
            stale.append(path)
    return stale


def diff(root: Path = ROOT) -> str:
    """A unified diff from the committed package to what the chapters produce."""
    wanted = tangle(root)
    chunks = []
    for rel, text in wanted.items():
        path = root / rel
        have = path.read_text(encoding="utf-8") if path.exists() else ""
        if have != text:
            chunks += difflib.unified_diff(
                have.splitlines(keepends=True), text.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
            )
    for path in stale_files(root, wanted):
        chunks.append(f"stale generated file (no chapter produces it): {path.relative_to(root)}\n")
    return "".join(chunks)


def write(root: Path = ROOT) -> list[str]:
    """Write the package; return the paths that changed."""
    wanted = tangle(root)
    changed = []
    for rel, text in wanted.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    for path in stale_files(root, wanted):
        path.unlink()
        changed.append(path.relative_to(root).as_posix())
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail with a diff if nnbook/ is not in sync")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    try:
        if args.check:
            delta = diff(args.root)
            if delta:
                sys.stdout.write(delta)
                print("\nnnbook/ is out of sync with the chapters: run `make tangle` and commit both.", file=sys.stderr)
                return 1
            print("nnbook/ is in sync with the chapters.")
            return 0
        for rel in write(args.root):
            print(f"tangled {rel}")
    except TangleError as error:
        print(f"tangle error:\n{error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
