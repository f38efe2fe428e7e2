"""Zolotarev sign function + recursive Green's functions: the approximant against sign(x), the engine
against exact diagonalisation and against the Chebyshev engine, within its own error bound."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spincharge.lattice import RashbaLattice
from spincharge.lattice.kpm import kpm_observables
from spincharge.lattice.observables import exact_observables
from spincharge.lattice.rational import gap_lower_bound, rational_observables, zolotarev_sign
from spincharge.lattice.square import SquareSystem, TISurfaceLattice

BENCH = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)  # issue 11's benchmark model
TI = TISurfaceLattice(v=1.0, mu=0.4, delta=0.3, spacing=1.0)


def _texture(model, nx, ny, periodic, width=3.0):
    x, y = np.arange(nx) - (nx - 1) / 2, np.arange(ny) - (ny - 1) / 2
    xx, yy = np.meshgrid(x, y)
    envelope = np.exp(-(xx**2 + yy**2) / (2 * width**2))
    field = np.zeros((3, ny, nx))
    field[2], field[0] = 0.3 * envelope, 0.1 * envelope * xx / width  # a non-collinear bubble
    return SquareSystem(model, field, periodic=periodic)


@settings(max_examples=20, deadline=None)
@given(k=st.floats(1e-3, 0.5), tolerance=st.sampled_from([1e-3, 1e-6, 1e-9]))
def test_zolotarev_approximant_meets_its_tolerance_and_is_odd(k, tolerance):
    """Independent check on a grid of its own (uniform, plus points just inside the gap edges)."""
    sign = zolotarev_sign(k, tolerance=tolerance)
    x = np.concatenate([np.linspace(k, 1, 5001), k * (1 + np.geomspace(1e-9, 1e-3, 7))])
    assert np.max(np.abs(sign(x) - 1)) <= 1.001 * tolerance
    np.testing.assert_allclose(sign(-x), -sign(x), rtol=0, atol=1e-15)
    # Zolotarev's exp(-pi^2 r / log(4/k)) rate: the pole count is near the optimal one
    assert sign.poles <= np.ceil(np.log(2 / tolerance) * np.log(4 / k) / np.pi**2) + 2


@pytest.mark.parametrize("model", [BENCH, TI])
@pytest.mark.parametrize("periodic", [(False, False), (False, True), (True, False)])
def test_engine_agrees_with_exact_diagonalisation_within_its_bound(model, periodic):
    system = _texture(model, 10, 9, periodic)
    exact = exact_observables(system)
    approx = rational_observables(system, tolerance=1e-8, threads=1)
    current = max(np.abs(approx.current_x - exact.current_x).max(), np.abs(approx.current_y - exact.current_y).max())
    assert current <= approx.current_error <= 1e-5 * exact.current_scale
    assert np.abs(approx.spin - exact.spin).max() <= approx.spin_error
    assert np.abs(approx.density - exact.density).max() <= approx.density_error
    assert approx.continuity_residual < 1e-12  # a rational function of H commutes with H


def test_at_the_issue_tolerance_the_current_error_is_below_0_3_percent():
    """16 x 16 open benchmark model against dense ED: tolerance 1e-6 meets 0.3% of max |J| with margin."""
    system = _texture(BENCH, 16, 16, (False, False), width=4.0)
    exact = exact_observables(system)
    approx = rational_observables(system, tolerance=1e-6, threads=2)
    current = max(np.abs(approx.current_x - exact.current_x).max(), np.abs(approx.current_y - exact.current_y).max())
    assert current <= approx.current_error <= 3e-3 * exact.current_scale


def test_engine_agrees_with_the_chebyshev_engine():
    """The two independent engines agree within the sum of their bounds (12 x 12, every site probed)."""
    system = _texture(BENCH, 12, 12, (False, True))
    rational = rational_observables(system, tolerance=1e-7, threads=1)
    chebyshev = kpm_observables(system, 0.0, tolerance=1e-6, probe_spacing=12, threads=1)
    current = max(np.abs(rational.current_x - chebyshev.current_x).max(),
                  np.abs(rational.current_y - chebyshev.current_y).max())  # fmt: skip
    assert current <= rational.current_error + chebyshev.current_error
    assert np.abs(rational.spin - chebyshev.spin).max() <= rational.spin_error + chebyshev.spin_error


def test_gap_bound_is_below_the_smallest_energy():
    system = _texture(BENCH, 8, 8, (False, False))
    hamiltonian = system.bdg_hamiltonian()
    smallest = np.abs(np.linalg.eigvalsh(hamiltonian.toarray())).min()
    assert 0.9 * smallest < gap_lower_bound(hamiltonian) <= smallest


def test_bad_input_is_named():
    torus = _texture(BENCH, 6, 6, (True, True))
    with pytest.raises(ValueError, match="open axis"):
        rational_observables(torus)
    open_system = _texture(BENCH, 6, 6, (False, False))
    with pytest.raises(ValueError, match="T = 0"):
        rational_observables(open_system, 0.1)
    with pytest.raises(ValueError, match="gap must lie"):
        rational_observables(open_system, gap=-1.0)
    with pytest.raises(ValueError, match="threads"):
        rational_observables(open_system, threads=0)
    with pytest.raises(ValueError, match="gap_ratio"):
        zolotarev_sign(1.5)
