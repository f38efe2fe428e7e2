"""The texture part of `spincharge reproduce --paper 000` runs, draws its figures and judges its claims."""

import matplotlib

matplotlib.use("Agg")

from spincharge.reproduce import ReproduceContext, discover  # noqa: E402
from spincharge.reproduce import paper000_textures  # noqa: E402


def test_texture_section_is_discovered_and_computes_its_claims(tmp_path):
    assert paper000_textures in discover("000")
    section = paper000_textures.reproduce(ReproduceContext(out_dir=tmp_path, quick=True, log=lambda _: None))
    assert section.paper == "000" and len(section.claims) == 7
    assert all(figure.path.exists() and figure.path.stat().st_size > 10_000 for figure in section.figures)
    assert len(section.figures) == 3
    failing = [claim.statement for claim in section.claims if not claim.holds]
    # only the text's sign of S after Eq. (3) fails; Eq. (3) itself gives +g_spin M_z' rho_hat
    assert failing == ["Rotationally symmetric M_z(rho): S = -g_spin M_z'(rho) rho_hat (text after Eq. 3)"]
    assert "+1.0000" in section.claims[1].computed
