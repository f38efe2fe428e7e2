"""The gallery examples draw each figure within one code block.

sphinx-gallery captures (and closes) a figure at the end of the block that made it, so whatever a later
block adds is lost from the documentation: the film-diode example once showed an empty right panel.
"""

import re
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_figure_is_made_and_shown_in_one_block(path):
    blocks = re.split(r"^# %%.*$", path.read_text(), flags=re.MULTILINE)
    for block in blocks:
        if re.search(r"plt\.(subplots|figure)\(", block):
            assert "plt.show()" in block, f"{path.name}: a figure is made in one block and finished in another"
    assert sum("plt.show()" in block for block in blocks) >= 1
