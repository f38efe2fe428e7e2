"""Lifshitz invariants F_L = chi_ij h_j gamma_ik d_k phi (paper 003, Appendix F, Eq. S4)."""

import numpy as np
import pytest
import sympy

from spincharge.symmetry import (
    FIELD_SYMBOLS,
    PHASE_GRADIENT_SYMBOLS,
    allowed_form,
    lifshitz_invariant,
    point_group,
    point_group_names,
)
from spincharge.symmetry.textbook import GYROTROPIC_CLASSES

GYROTROPIC = sorted(GYROTROPIC_CLASSES)
E = np.eye(3)
_XY, _YX, _XX, _YY, _ZZ = (np.outer(E[a], E[b]) for a, b in ((0, 1), (1, 0), (0, 0), (1, 1), (2, 2)))
# Lifshitz terms h_j K_jk q_k as listed for gyrotropic superconductors (Smidman, Salamon, Yuan, Agterberg,
# Rep. Prog. Phys. 80, 036501 (2017); paper 003 Ref. [69]), typed in this package's settings.
TEXTBOOK_TERMS = {
    "C4v": [_XY - _YX], "C3v": [_XY - _YX], "C6v": [_XY - _YX],
    "O": [E], "T": [E],
    "D4": [_XX + _YY, _ZZ], "D3": [_XX + _YY, _ZZ], "D6": [_XX + _YY, _ZZ],
    "D2d": [_XX - _YY], "S4": [_XX - _YY, _XY + _YX],
    "C4": [_XX + _YY, _XY - _YX, _ZZ], "C3": [_XX + _YY, _XY - _YX, _ZZ], "C6": [_XX + _YY, _XY - _YX, _ZZ],
    "C2v": [_XY, _YX], "D2": [_XX, _YY, _ZZ],
}  # fmt: skip


def _numeric(invariant, rng):
    """F_L as a function of (h, q) at random values of the chi and gamma parameters."""
    values = {name: rng.uniform(0.5, 2.0) for name in invariant.parameters}
    return lambda h, q: invariant.energy(values, h, q)


def _coupling_span(name, rng, samples=12):
    """K_jk = d^2 F_L / dh_j dq_k at ``samples`` random parameter values, as rows of length 9."""
    invariant = lifshitz_invariant(name)
    rows = []
    for _ in range(samples):
        f = _numeric(invariant, rng)
        rows.append([f(E[j], E[k]) for j in range(3) for k in range(3)])
    return np.array(rows)


@pytest.mark.parametrize("name", GYROTROPIC)
def test_free_energy_is_invariant_with_axial_field_and_polar_gradient(name):
    rng = np.random.default_rng(0)
    f = _numeric(lifshitz_invariant(name), rng)
    h, q = rng.normal(size=3), rng.normal(size=3)
    reference = f(h, q)
    assert abs(reference) > 1e-6
    for r in point_group(name).elements:
        assert np.isclose(f(np.linalg.det(r) * r @ h, r @ q), reference, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(TEXTBOOK_TERMS))
def test_terms_match_the_textbook_list(name):
    span = _coupling_span(name, np.random.default_rng(1))
    textbook = np.array([m.ravel() for m in TEXTBOOK_TERMS[name]])
    rank = np.linalg.matrix_rank
    assert rank(span, tol=1e-8) == rank(textbook) == rank(np.vstack([span, textbook]), tol=1e-8)


@pytest.mark.parametrize("name", GYROTROPIC)
def test_coupling_spans_the_allowed_gamma(name):
    # K = chi^T gamma with chi invertible: the Lifshitz terms are as many as the gamma parameters
    span = _coupling_span(name, np.random.default_rng(2), samples=20)
    assert np.linalg.matrix_rank(span, tol=1e-8) == allowed_form(name, "gamma").dimension


def test_readable_expression_and_zero_for_non_gyrotropic_groups():
    chi_xx, gamma_xy = sympy.symbols("chi_xx gamma_xy", real=True)
    hx, hy, _ = FIELD_SYMBOLS
    qx, qy, _ = PHASE_GRADIENT_SYMBOLS
    assert sympy.expand(lifshitz_invariant("C4v").expression - chi_xx * gamma_xy * (hx * qy - hy * qx)) == 0
    for name in set(point_group_names()) - set(GYROTROPIC):
        invariant = lifshitz_invariant(name)
        assert invariant.is_zero and invariant.coupling == sympy.zeros(3, 3)
    assert str(lifshitz_invariant("O")).startswith("F_L(O) = chi_xx*gamma_xx*(")
    assert lifshitz_invariant("C4v").parameters == ("chi_xx", "gamma_xy")
    with pytest.raises(ValueError, match="missing"):
        lifshitz_invariant("C4v").energy({"chi_xx": 1.0}, np.ones(3), np.ones(3))
