"""The lattice part of `spincharge reproduce --paper 000` runs, draws its figures and judges its claims."""

import matplotlib
import pytest

matplotlib.use("Agg")

from spincharge.reproduce import ReproduceContext, discover  # noqa: E402
from spincharge.reproduce import paper000_lattice  # noqa: E402


@pytest.mark.slow
def test_lattice_section_is_discovered_and_its_claims_hold(tmp_path):
    assert paper000_lattice in discover("000")
    section = paper000_lattice.reproduce(ReproduceContext(out_dir=tmp_path, quick=True, log=lambda _: None))
    assert section.paper == "000" and len(section.claims) == 6 and len(section.figures) == 2
    assert all(figure.path.exists() and figure.path.stat().st_size > 10_000 for figure in section.figures)
    failing = [claim.statement for claim in section.claims if not claim.holds]
    # only the text's sign of S after Eq. (3) fails on the lattice
    assert len(failing) == 1 and failing[0].startswith("Text after Eq. (3)")


def test_bubble_section_runs_quickly_and_its_claims_are_judged(tmp_path):
    from spincharge.reproduce import paper000_bubbles

    assert paper000_bubbles in discover("000")
    section = paper000_bubbles.reproduce(ReproduceContext(out_dir=tmp_path, quick=True, log=lambda _: None))
    assert len(section.claims) == 3 and len(section.figures) == 1 and section.figures[0].path.stat().st_size > 10_000
    # Eqs. (2)-(3) hold for smooth bubbles and fail below the coherence length
    assert [claim.holds for claim in section.claims] == [True, True, False]
