"""R-R and A-A terms of the Kubo formula (paper 002, Eq. s7) against the Cartesian-grid brute force.

The grid machinery is the independent witness's ``independent_kubo.py`` (shares no code with
``spincharge.diffusive``): full 2x2 Green functions on a Cartesian grid, its own Born iteration, explicit R-R and
A-A traces; here they are ladder-dressed with the same 4x4 rung as the R-A ladder (K^XX = M^XX (1 - pi alpha M^XX)^-1)
and compared with ``spin_correlator(...).rr_aa_part`` and ``.kubo``. Parameters as in the witness (alpha = 0.02,
Delta/eps = 0.4, v Lambda = 2 eps, h = 0.02, see the tolerances below).
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys

import numpy as np
import pytest

from spincharge.diffusive import spin_correlator
from spincharge.models import DiracFerromagnet

_HERE = pathlib.Path(__file__).resolve().parent
V, EPS, EXCHANGE, M, ALPHA, CUTOFF, SPACING = 1.0, 1.0, 0.5, (0.6, 0.0, 0.8), 0.02, 2.0, 0.02


def _grid_module():
    name = "independent_kubo"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _HERE / "independent_kubo.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def grid():
    ik = _grid_module()
    return ik, ik.GridKubo(V, EPS, EXCHANGE * M[2], ALPHA, ik.momentum_grid(CUTOFF * EPS / V, SPACING))


@pytest.mark.parametrize("q, omega", [((0.02, 0.0), 0.0), ((0.012, -0.016), 1e-3), ((0.0, 0.0), 1e-3)])
def test_dressed_rr_aa_terms_agree_with_grid(grid, q, omega):
    ik, kubo = grid
    model = DiracFerromagnet(V, EPS, EXCHANGE, M, ALPHA)
    package = spin_correlator(model, q, omega, cutoff_ratio=CUTOFF)
    dressed = [ik.ladder(kubo.bubble(q, omega, kinds=kinds), ALPHA) for kinds in ("RR", "AA")]
    expected = -0.5 * (dressed[0] + dressed[1])
    # the R-R integrand ~ 1/p^2 does not decay at the smoothed disk edge: the grid error is up to 1.3e-4 at
    # h = 0.02 and 5e-6 at h = 0.01 (seen, q = 0, omega = 1e-3), hence 3e-4 absolute (entries up to 0.28)
    assert np.allclose(package.rr_aa_part, expected, rtol=0, atol=3e-4)
    total = (ik.ladder(kubo.bubble(q, omega), ALPHA) + expected)[1:, 1:]
    assert np.allclose(package.kubo, total, rtol=0, atol=1e-4 * abs(total).max())
