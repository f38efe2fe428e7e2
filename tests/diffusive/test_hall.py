"""Anomalous Hall conductivity (paper 002, Eq. 10): ladder and crossed (X, Psi) parts, both computed."""

import pytest

from spincharge.diffusive.correlator import dc_conductivity
from spincharge.diffusive.hall import anomalous_hall_conductivity
from spincharge.models.dirac_ferromagnet import DiracFerromagnet


def _model(delta, alpha=0.004, eps=1.0):
    return DiracFerromagnet(1.0, eps, delta, (0.0, 0.0, 1.0), alpha)


def test_ladder_part_converges_to_its_closed_form():
    """Direct integration -> 4 eps Delta (eps^2 + Delta^2)/(eps^2 + 3 Delta^2)^2, deviation O(alpha)."""
    eps, delta = 1.0, 0.4
    leading = 4 * eps * delta * (eps**2 + delta**2) / (eps**2 + 3 * delta**2) ** 2
    deviations = []
    for alpha in (0.004, 0.001):
        dc = dc_conductivity(_model(delta, alpha, eps), rr_aa=False)
        deviations.append(dc.hall - leading)
        assert dc.error < 1e-9
    assert abs(deviations[1]) < 5 * 0.001
    assert deviations[0] / deviations[1] == pytest.approx(4.0, rel=0.2)


def test_computed_total_tends_to_eq_10_and_has_the_sign_of_eps_delta():
    """Ladder + computed X + Psi -> 8 eps Delta^3/(eps^2 + 3 Delta^2)^2 linearly in alpha (no borrowed part)."""
    a, b = (anomalous_hall_conductivity(_model(0.4, alpha), crossed_order=6) for alpha in (0.004, 0.002))
    assert b.total_leading == pytest.approx(8 * 0.4**3 / (1 + 3 * 0.16) ** 2, rel=1e-14)
    assert (a.total - a.total_leading) / (b.total - b.total_leading) == pytest.approx(2.0, rel=0.05)
    assert 2 * b.total - a.total == pytest.approx(b.total_leading, abs=3e-4)
    assert b.total > 0 and b.error < 1e-3  # order 6 vs 4 (true error vs order 8: 2e-6)


def test_total_vanishes_with_the_exchange_field():
    """sigma_H -> 0 as Delta_z -> 0: the crossed part cancels the ladder's 4 Delta/eps up to O(alpha Delta)."""
    a, b = (anomalous_hall_conductivity(_model(0.02, alpha), crossed_order=6) for alpha in (0.01, 0.005))
    assert b.noncrossing / 0.02 == pytest.approx(4.0, rel=0.05)
    assert abs(a.total) < 0.15 * a.noncrossing  # seen 0.124: 46 alpha Delta remains
    assert a.total / b.total == pytest.approx(2.0, rel=0.1)  # the remnant is O(alpha) (seen 1.87)


@pytest.mark.slow
def test_band_edge_half_quantum():
    """eps -> |Delta_z|^+ (pi alpha << (eps - Delta)/eps): computed crossed part small, total -> 1/2 (e^2/2h)."""
    hall = anomalous_hall_conductivity(_model(0.95, alpha=0.001))
    assert abs(hall.crossed) < 0.06 * hall.total
    assert hall.total == pytest.approx(0.5, abs=0.01)
