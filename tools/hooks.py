"""MkDocs hooks for the book (listed under ``hooks:`` in mkdocs.yml).

* ``on_pre_build`` re-tangles the package, so that ``mkdocs serve`` keeps
  ``nnbook/`` in step with the chapter being edited.  Only files whose text
  changed are written, and ``nnbook/`` lies outside ``docs/``, so the rebuild
  that serve triggers does not trigger another.
* ``on_page_content`` turns the TeX that ``pymdownx.arithmatex`` leaves in the
  page into MathML on the server, so the math needs no script and no network.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tangle  # noqa: E402

log = logging.getLogger("mkdocs.hooks.nnbook")

# arithmatex in generic mode wraps inline math as \( .. \) in a span and
# display math as \[ .. \] in a div.
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*\\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]\s*</(?P=tag)>',
    re.DOTALL,
)


def on_pre_build(config, **kwargs) -> None:
    try:
        changed = tangle.write(Path(config["config_file_path"]).parent)
    except tangle.TangleError as error:
        raise PluginError(f"tangle failed:\n{error}") from error
    for rel in changed:
        log.info("tangled %s", rel)


def _mathml(match: re.Match) -> str:
    tex = html.unescape(match["tex"]).strip()
    display = "block" if match["open"] == "[" else "inline"
    try:
        rendered = convert(tex, display=display)
    except Exception as error:  # latex2mathml raises many types; name the formula
        raise PluginError(f"cannot render math {tex!r}: {error}") from error
    if display == "block":
        return f'<div class="math-display">{rendered}</div>'
    return rendered


def on_page_content(html_text: str, page, **kwargs) -> str:
    return MATH.sub(_mathml, html_text)
