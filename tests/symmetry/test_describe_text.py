"""The text of ``spincharge symmetry GROUP [--tensor NAME]`` (spincharge.symmetry.describe)."""

import pytest

from spincharge.symmetry import TENSORS, describe


def test_full_description_lists_every_tensor_and_the_lifshitz_invariant():
    text = describe("4mm")
    assert text.startswith("Point group C4v (4mm), order 8")
    for name in TENSORS:
        assert f"\n{name}: " in text
    assert "gyrotropic (gamma allowed): yes" in text and "centrosymmetric: no" in text
    assert "1 free parameter: gamma_xy" in text and "-gamma_xy" in text
    assert "F_L = chi_xx*gamma_xy*(-dphi_x*h_y + dphi_y*h_x)" in text


def test_single_tensor_and_forbidden_tensor():
    text = describe("Oh", "gamma")
    assert "forbidden" in text and "\nbeta" not in text and "F_L" not in text
    beta = describe("Td", tensor="beta")
    assert "rows: symmetric pair ij (Voigt)" in beta and "beta_xyz" in beta
    assert "mirror, normal [1/sqrt(2), 1/sqrt(2), 0]" in describe("D2d", "D")


def test_unknown_names_list_the_accepted_ones():
    with pytest.raises(ValueError, match=r"group must be one of: C1 \(1\)"):
        describe("C7")
    with pytest.raises(ValueError, match=r"tensor must be one of \['D', 'Gamma'"):
        describe("C4v", "Delta")
