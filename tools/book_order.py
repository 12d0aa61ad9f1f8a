"""Book order is dependency order: find the imports that name a later chapter.

The package code of chapter N may use only what chapters 1..N define.  This
tool reads the tangled package, where every block and chunk is preceded by a
marker naming its chapter line (``# docs/concepts/layer.md:118``), so both
sides of every ``from nnbook.x import name`` have a chapter: the chapter of
the import line, and the chapter of the top-level definition of ``name``.
An import whose name is defined by a later chapter is a forward reference.

Usage::

    python tools/book_order.py      # list the forward references; 1 if any
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tangle  # the tools folder is on the path, not a package

MARKER = re.compile(r"[ \t]*# (?P<chapter>\S+\.md):(?P<line>\d+)")


@dataclass(frozen=True)
class ForwardReference:
    """An import in ``chapter`` of ``name``, which only ``defined_in`` (later) writes."""

    chapter: str
    line: int
    module: str
    name: str
    defined_in: str

    def __str__(self) -> str:
        return (
            f"{self.chapter}:{self.line}: imports {self.name} from {self.module}, "
            f"which only the later chapter {self.defined_in} defines"
        )


def _chapter_line(lines: list[str], lineno: int) -> tuple[str, int]:
    """The chapter and chapter line of a generated line, from the nearest marker above it."""
    for above in range(lineno - 1, -1, -1):
        match = MARKER.fullmatch(lines[above])
        if match:
            return match["chapter"], int(match["line"]) + lineno - 1 - above
    raise ValueError(f"line {lineno} has no chapter marker above it")


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def forward_references(root: Path = tangle.ROOT) -> list[ForwardReference]:
    """Every import in the tangled package that names a later chapter's definition."""
    order = {path.relative_to(root).as_posix(): i for i, path in enumerate(tangle.book_order(root))}
    package = root / tangle.PACKAGE
    modules: dict[str, tuple[ast.Module, list[str]]] = {}
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules[_module_name(path, package)] = (ast.parse(text), text.splitlines())
    defined: dict[str, dict[str, str]] = {}
    for module, (tree, lines) in modules.items():
        names: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                bound = [node.name]
            elif isinstance(node, ast.ImportFrom) and module == tangle.PACKAGE:
                bound = [alias.asname or alias.name for alias in node.names]
            else:
                bound = tangle._assigned(node)
            for name in bound:
                names.setdefault(name, _chapter_line(lines, node.lineno)[0])
        defined[module] = names
    found = []
    for tree, lines in modules.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(tangle.PACKAGE):
                continue
            chapter, line = _chapter_line(lines, node.lineno)
            for alias in node.names:
                there = defined.get(node.module, {}).get(alias.name)
                if there is not None and order[there] > order[chapter]:
                    found.append(ForwardReference(chapter, line, node.module, alias.name, there))
    return sorted(found, key=lambda ref: (order[ref.chapter], ref.line, ref.name))


def main() -> int:
    """Print the forward references, one per line; exit 1 if there is any."""
    found = forward_references()
    for reference in found:
        print(reference)
    print(f"{len(found)} forward reference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
