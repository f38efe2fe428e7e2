"""The paper 003 Usadel reproduction runs in quick mode and computes its claims."""

from spincharge.reproduce.framework import ReproduceContext, discover
from spincharge.reproduce import paper003_usadel


def test_quick_reproduction(tmp_path):
    assert paper003_usadel in discover("003")
    section = paper003_usadel.reproduce(ReproduceContext(out_dir=tmp_path, quick=True))
    assert section.paper == "003" and len(section.claims) == 10
    statements = {c.statement: c for c in section.claims}
    assert statements["Appendix E: Delta(0.98 Tc) ~ 0.243 Delta0 (weak-coupling BCS)"].holds
    for variant in ("derived", "paper"):
        key = f"Fig. 3 ({variant} equations): the spin maximum lies further from the core than the current maximum"
        assert statements[key].holds
    assert all(figure.path.exists() for figure in section.figures)


def test_quick_diode_reproduction(tmp_path):
    from spincharge.reproduce import paper003_diode

    assert paper003_diode in discover("003")
    section = paper003_diode.reproduce(ReproduceContext(out_dir=tmp_path, quick=True))
    assert section.paper == "003" and len(section.claims) == 5
    assert all(claim.holds for claim in section.claims), [c.computed for c in section.claims if not c.holds]
    assert all(figure.path.exists() for figure in section.figures)


def test_quick_junction_reproduction(tmp_path):
    """phi0 junctions (paper 003, Eqs. 8-12): discovered, every claim computed and holding, the figure written."""
    from spincharge.reproduce import paper003_junctions

    assert paper003_junctions in discover("003")
    section = paper003_junctions.reproduce(ReproduceContext(out_dir=tmp_path, quick=True))
    assert len(section.claims) == 3 and all(claim.holds for claim in section.claims)
    assert all(figure.path.exists() for figure in section.figures)
