r"""One notation on every page: C is the overall loss, ell_i the per-sample losses, L the number of layers.

docs/reference/notation.md states it. A gradient of the loss is written with C (``\partial C``, ``∂C``,
``dC/dW`` in comments); a page that also writes it with L (``\partial L``, ``∂L``, ``dL/dW``) or with a
calligraphic L (``\mathcal{L}``) mixes two names for one thing, and L already counts the layers.
The per-sample loss is ``\ell_i``, not ``l_i`` (an l that reads as a 1 or as the layer l of the chain rule).
Pages: every Markdown page under docs/ and every example notebook (docs/examples/*.py).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + sorted((DOCS / "examples").glob("*.py"))

# The loss's gradient written with C: LaTeX \partial C (also \partial{C}), Unicode ∂C, ASCII dC/d...
LOSS_AS_C = re.compile(r"\\partial\s*\{?\s*C(?![A-Za-z])|∂\s*C(?![A-Za-z])|\bdC/d")
# ... and with L, or a calligraphic L (\mathcal{L}, or the Unicode letters U+1D4DB and U+2112).
LOSS_AS_L = re.compile(
    r"\\partial\s*\{?\s*(?:L|\\mathcal\s*\{\s*L\s*\})(?![A-Za-z])|∂\s*[L\U0001d4db\u2112](?![A-Za-z])|\bdL/d"
)
CALLIGRAPHIC_L = re.compile(r"\\mathcal\s*\{\s*L\s*\}|[\U0001d4db\u2112]")
PER_SAMPLE_L = re.compile(r"(?<![\\\w])l_(?:i|\{i\})(?!\w)")


def hits(pattern: re.Pattern, text: str) -> list[str]:
    """``line: text`` of every line that matches."""
    return [f"{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def page_id(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def notation_problems(text: str) -> list[str]:
    """What a page does against the book's notation, one message per problem (empty: the page is fine)."""
    problems = []
    as_c, as_l = hits(LOSS_AS_C, text), hits(LOSS_AS_L, text)
    if as_c and as_l:
        problems.append(
            "mixes ∂C and ∂L for the loss; C is the loss, L the number of layers:\n  "
            + "\n  ".join(as_c[:3] + as_l[:3])
        )
    elif as_l:
        problems.append("writes the loss's gradient with L (the number of layers); use C:\n  " + "\n  ".join(as_l))
    if found := hits(CALLIGRAPHIC_L, text):
        problems.append(
            "writes the loss as a calligraphic L; use C (C_data for the data loss):\n  " + "\n  ".join(found)
        )
    if found := hits(PER_SAMPLE_L, text):
        problems.append("writes a per-sample loss as l_i; use \\ell_i:\n  " + "\n  ".join(found))
    return problems


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_uses_the_book_notation_for_the_loss(page):
    problems = notation_problems(page.read_text(encoding="utf-8"))
    assert not problems, f"docs/{page_id(page)} " + "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"\(\partial C/\partial W\) and \(\frac{\partial L}{\partial X}\)", "mixes ∂C and ∂L"),
        ("∂C/∂w here, ∂L/∂w there", "mixes ∂C and ∂L"),
        ("# dC/dW = X.T @ D\n# dL/dX = D @ W.T", "mixes ∂C and ∂L"),
        (r"\frac{\partial \mathcal{L}}{\partial z}", "with L"),
        (r"\mathcal{L}_{\text{data}} = \frac{1}{k}\sum_i \ell_i", "calligraphic"),
        (r"l_i = (y_i - \hat{y}_i)^2", "l_i"),
    ],
)
def test_a_page_that_breaks_the_notation_is_rejected(text, expected):
    problems = notation_problems(text)
    assert problems and expected in problems[0]


def test_the_book_notation_passes():
    text = (
        r"\(C = C_{\text{data}} + \lambda \sum W^2\), \(C_{\text{data}} = \frac{1}{k}\sum_i \ell_i\),"
        r" \(\frac{\partial C}{\partial W}\), through \(L\) layers \(f_1, \dots, f_L\); the spec's"
        r" \(\partial l / \partial w\) (l the layer); dC/dW in a comment; \mathcal{N}(0, 2/n)."
    )
    assert notation_problems(text) == []
