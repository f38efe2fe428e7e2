"""``spincharge reproduce --paper 000``: the coefficient section runs, draws its figures, computes its claims."""

from spincharge.reproduce import ReproduceContext, discover
from spincharge.reproduce import paper000_coefficients


def test_quick_reproduction_computes_claims_and_figures(tmp_path):
    assert paper000_coefficients in discover("000")
    section = paper000_coefficients.reproduce(ReproduceContext(out_dir=tmp_path, quick=True, log=lambda _: None))
    assert len(section.figures) == 5 and all(f.path.exists() for f in section.figures)
    verdicts = {claim.statement.split(":")[0]: claim.holds for claim in section.claims}
    assert len(section.claims) >= 10
    # the one statement the computation refutes: the two-branch cancellation needs no quasiclassical limit
    refuted = [claim for claim in section.claims if not claim.holds]
    assert [claim.statement[:30] for claim in refuted] == ["Text before Eq. (14): g_spin^M"], verdicts
