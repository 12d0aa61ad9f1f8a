"""The model chapter trains first.

Its loop by hand (at most 20 lines, Part I pieces only) and the figure of its loss curve sit in the
first third of the page; the package's fit lives in Part V.
"""

import re
from pathlib import Path

import tangle

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "implementation" / "model.md"
FENCE = re.compile(r"^```\{\.python[^}]*\}\n(.*?)^```$", re.M | re.S)


def fences():
    text = PAGE.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group(1)


def test_the_loop_by_hand_is_short_and_comes_first():
    total = PAGE.read_text(encoding="utf-8").count("\n")
    line, code = next((line, code) for line, code in fences() if "for epoch in range" in code)
    lines = code.rstrip("\n").splitlines()
    assert len(lines) <= 20, f"model.md:{line}: the loop by hand has {len(lines)} lines"
    assert line + len(lines) + 1 <= total / 3, f"model.md:{line}: the loop ends past the first third"
    assert "nb.Model" not in code and ".fit(" not in code, "the loop by hand uses the Part I pieces only"
    for piece in (".forward(", ".backward(", "optimizer.update(", "permutation("):
        assert piece in code


def test_the_first_figure_is_in_the_first_third():
    total = PAGE.read_text(encoding="utf-8").count("\n")
    line, code = next((line, code) for line, code in fences() if "plt.subplots" in code)
    end = line + code.count("\n") + 1
    assert end <= total / 3, f"model.md:{line}: the first figure ends at line {end} of {total}"


def test_fit_is_written_in_part_v_once():
    chunks = [
        (block.chapter, block.line)
        for chapter in tangle.book_order(ROOT)
        for block in tangle.read_blocks(chapter, ROOT)
        if block.chunk == "model-fit"
    ]
    assert [chapter for chapter, _ in chunks] == ["docs/implementation/training.md"], chunks
    assert "\n    def fit(" in (ROOT / "nnbook" / "model.py").read_text(encoding="utf-8")
    assert (ROOT / "nnbook" / "model.py").read_text(encoding="utf-8").count("def fit(") == 1
