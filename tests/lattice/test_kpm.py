"""Chebyshev + probing engine: the series vs the Fermi function, and the engine vs exact diagonalisation and
the 1D supercell, within its own error estimates."""

import math

import numpy as np
import pytest
from numpy.polynomial import chebyshev
from scipy.special import expit

from spincharge.lattice import BlochGrid, RashbaLattice, ground_state_densities
from spincharge.lattice.kpm import chebyshev_fermi, kpm_observables
from spincharge.lattice.observables import exact_observables
from spincharge.lattice.square import SquareSystem, TISurfaceLattice

BENCH = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)  # t = 1, alpha = 0.3, mu = -3 from band centre


def _bubble(model, n, width, amplitude=0.3, periodic=False):
    x = np.arange(n) - (n - 1) / 2
    xx, yy = np.meshgrid(x, x)
    field = np.zeros((3, n, n))
    field[2] = amplitude * np.exp(-(xx**2 + yy**2) / (2 * width**2))
    return SquareSystem(model, field, periodic=periodic)


def _max_errors(approx, exact):
    current = max(np.abs(approx.current_x - exact.current_x).max(), np.abs(approx.current_y - exact.current_y).max())
    return current, np.abs(approx.spin - exact.spin).max(), np.abs(approx.density - exact.density).max()


@pytest.mark.parametrize("temperature, gap", [(0.05, 0.0), (0.0, 0.1)])
def test_series_meets_its_tolerance_on_the_spectral_set(temperature, gap):
    """max |p - f| <= tolerance at random points (numpy's chebval, not the engine's recurrence) and
    p(-x) = 1 - p(x) (particle-hole symmetry)."""
    scale = 5.0
    series = chebyshev_fermi(scale, temperature, gap=gap, tolerance=1e-5)
    x = np.random.default_rng(0).uniform(-1, 1, 4000)
    if temperature == 0:
        x = x[np.abs(x) >= gap / scale]
        target = (x < 0).astype(float)
    else:
        target = expit(-x * scale / temperature)
    p = chebyshev.chebval(x, series.coefficients)
    assert np.abs(p - target).max() <= 1e-5
    assert np.allclose(chebyshev.chebval(-x, series.coefficients), 1 - p, atol=1e-13)
    assert series.error <= 1e-5


@pytest.mark.parametrize(
    "kwargs, name",
    [(dict(temperature=0.0, gap=0.0), "gap"), (dict(temperature=0.1, tolerance=0.7), "tolerance"),
     (dict(temperature=-1.0), "temperature"), (dict(temperature=1e-3, max_order=50), "max_order")],
)
def test_series_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        chebyshev_fermi(5.0, **kwargs)


@pytest.mark.parametrize(
    "model, temperature",
    [(BENCH, 0.0), (BENCH, 0.1), (TISurfaceLattice(v=1.0, mu=0.4, delta=0.3, spacing=1.0), 0.05)],
)
def test_engine_without_probing_agrees_with_exact_diagonalisation(model, temperature):
    """Every site its own probe (D >= L): only the Chebyshev error, bounded by the estimate; currents
    within 0.3% of their maximum (the issue's target) at tolerance 1e-5."""
    system = _bubble(model, 12, 3.0, periodic=True)
    exact = exact_observables(system, temperature)
    approx = kpm_observables(system, temperature, tolerance=1e-5, probe_spacing=12, threads=1)
    current, spin, density = _max_errors(approx, exact)
    assert current <= approx.current_error and spin <= approx.spin_error and density <= approx.density_error
    assert current <= 3e-3 * exact.current_scale
    assert approx.settings["probe_error"] == 0.0
    assert approx.continuity_residual < 1e-10  # p(H) commutes with H


def test_probing_error_estimate_tracks_the_true_error():
    """Probes shared at distance D < L: the probing estimate (3 x continuity residual / a) bounds the true
    current error against exact diagonalisation and is within a factor 5 of it."""
    system = _bubble(BENCH, 16, 3.0, amplitude=0.15, periodic=True)
    exact = exact_observables(system, 0.05)
    approx = kpm_observables(system, 0.05, tolerance=1e-5, probe_spacing=8, threads=1)
    current, _, _ = _max_errors(approx, exact)
    assert approx.settings["probe_spacing"] == (8, 8)
    assert current <= approx.settings["probe_error"] <= 5 * current
    assert current <= approx.current_error


def test_engine_reproduces_the_supercell_for_a_texture_along_x():
    """2D periodic lattice with M_z(x) through the engine (D = L: no shared probes) vs the 1D witness's
    Bloch sums (``ground_state_densities``): J_y, S_x within the engine's estimates. (With D = 12 = L/2
    the probes at x and x + 12, where M_z flips sign, contaminate J_y at 100% while the continuity
    residual stays at 1e-6: the probing estimate fails when the texture repeats on the probe lattice;
    docs/conventions.md.)"""
    nx = ny = 24
    x = np.arange(nx)
    mz = 0.05 * np.cos(2 * math.pi * x / nx)
    exchange = np.zeros((3, nx))
    exchange[2] = mz
    current, spin = ground_state_densities(BENCH, exchange, np.zeros(nx), BlochGrid(1, ny), 0.1)
    system = SquareSystem(BENCH, np.broadcast_to(exchange[:, None], (3, ny, nx)), periodic=True)
    approx = kpm_observables(system, 0.1, tolerance=1e-6, probe_spacing=24, threads=1)
    assert np.abs(approx.current_y - current[None]).max() <= approx.current_error
    assert np.abs(approx.spin - spin[:, None]).max() <= approx.spin_error
    assert np.abs(current).max() > 10 * approx.current_error  # the check is not vacuous
