"""Crossed X and Psi diagrams of sigma_H (paper 002, Fig. 2(b-d); Ref. 55) by direct momentum integration."""

import pytest

from spincharge.diffusive.crossed import crossed_hall_conductivity
from spincharge.models.dirac_ferromagnet import DiracFerromagnet


def _model(delta, alpha, eps=1.0):
    return DiracFerromagnet(1.0, eps, delta, (0.0, 0.0, 1.0), alpha)


def _richardson(delta, alphas=(0.004, 0.002), order=6):
    """alpha -> 0 value from two alphas (the deviation is linear in alpha) and both results."""
    a, b = (crossed_hall_conductivity(_model(delta, alpha), quadrature_order=order) for alpha in alphas)
    return 2 * b.total - a.total, a, b


def test_crossed_diagrams_tend_to_the_closed_form_of_ref_55_linearly_in_alpha():
    """X + Psi -> -4 eps Delta (eps^2 - Delta^2)/(eps^2 + 3 Delta^2)^2 as alpha -> 0, deviation linear in alpha."""
    limit, a, b = _richardson(0.4)
    closed = a.closed_form
    assert closed == pytest.approx(-4 * 0.4 * (1 - 0.16) / (1 + 0.48) ** 2, rel=1e-14)
    assert (a.total - closed) / (b.total - closed) == pytest.approx(2.0, rel=0.02)
    assert abs(b.total - closed) < 10 * 0.002
    assert limit == pytest.approx(closed, abs=2e-4)  # O(alpha^2) remainder (seen 3e-5)


@pytest.mark.slow
@pytest.mark.parametrize("delta", [0.1, 0.2, 0.6, 0.8, 0.9])
def test_alpha_to_zero_limit_is_the_closed_form_as_a_function_of_delta_over_eps(delta):
    limit, a, _ = _richardson(delta)
    assert limit == pytest.approx(a.closed_form, abs=1e-3)  # seen 1e-4 .. 6e-4 (O(alpha^2) remainder)


def test_odd_in_exchange_and_zero_without_it():
    plus = crossed_hall_conductivity(_model(0.3, 0.01), quadrature_order=6)
    minus = crossed_hall_conductivity(_model(-0.3, 0.01), quadrature_order=6)
    zero = crossed_hall_conductivity(_model(0.0, 0.01), quadrature_order=6)
    assert plus.total < 0  # opposite to the ladder part: the crossed part cancels its O(Delta) term
    assert minus.total == pytest.approx(-plus.total, rel=1e-10)
    assert plus.longitudinal == pytest.approx(minus.longitudinal, rel=1e-10)
    assert abs(zero.total) < 1e-14


def test_quadrature_error_estimate_bounds_the_difference_to_a_finer_rule():
    model = _model(0.4, 0.01)
    coarse = crossed_hall_conductivity(model, quadrature_order=6)
    fine = crossed_hall_conductivity(model, quadrature_order=10)
    assert abs(coarse.total - fine.total) <= coarse.error
    assert coarse.error < 1e-4
    assert fine.error < 1e-5  # order 10 against order 6 (seen 1.7e-6)


def test_rejects_low_quadrature_order():
    with pytest.raises(ValueError, match="quadrature_order"):
        crossed_hall_conductivity(_model(0.4, 0.01), quadrature_order=4)
