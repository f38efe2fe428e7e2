"""S/F/S junction against the long-junction closed form of Buzdin, Bulaevskii and Panyukov.

For a diffusive ferromagnet of length L >> xi_F = sqrt(D/h) between rigid BCS banks with transparent
interfaces, the nonlinear Usadel solution near each bank is the first integral of D theta'' = 2 (omega + i h)
sin theta, and the current is (Buzdin, Bulaevskii, Panyukov, JETP Lett. 35, 178 (1982); Buzdin, RMP 77,
935 (2005), Sec. IV.B, with the tan(theta_S/4) boundary factor of the S/N/S case of Zaikin and Zharkov)

    e I R_N = 64 pi T sum_{omega_n > 0} tan^2(theta_n / 4) Re[k_n L exp(-k_n L)] sin(phi),
    k_n = sqrt(2 (omega_n + i h) / D),  tan(theta_n) = Delta / omega_n,
    tan(theta_n / 4) = Delta / (omega_n + Omega_n + sqrt(2 Omega_n (Omega_n + omega_n))),  Omega_n = sqrt(omega_n^2 + Delta^2).

It shares nothing with the solver (no Riccati matrices, no collocation): the exchange enters only through
the complex wave number, so the comparison fixes the size of the h term of the Usadel equation (a factor
2 in h would move the 0-pi oscillation of I_c with L) and the current normalisation. The corrections are O(exp(-k L)) relative, so the agreement must
improve with L.
"""

import numpy as np
import pytest

from spincharge.usadel.gap import GAP0_OVER_TC
from spincharge.usadel.junction import Layer, Reservoir, junction


def long_sfs_current(length, exchange, t, phase, *, diffusion=1.0, gap=1.0, count=200_000):
    """The closed form of the module docstring, e I R_N / Delta0, Matsubara sum to ``count`` terms."""
    temperature = t / GAP0_OVER_TC
    omega = np.pi * temperature * (2 * np.arange(count) + 1)
    big = np.sqrt(omega**2 + gap**2)
    tan_quarter = gap / (omega + big + np.sqrt(2 * big * (big + omega)))
    k = np.sqrt(2 * (omega + 1j * exchange) / diffusion)
    return 64 * np.pi * temperature * np.sum(tan_quarter**2 * np.real(k * length * np.exp(-k * length))) * np.sin(phase)


@pytest.mark.parametrize("length, tolerance", [(2.0, 5e-3), (4.0, 1e-4)])
def test_long_sfs_junction_matches_buzdin(length, tolerance):
    # h = 3 Delta0: xi_F = 0.58 xi0, so L = 2 and 4 are 3.5 and 7 xi_F (I changes sign between them)
    result = junction(Layer(length, exchange=(0.0, 0.0, 3.0)), 0.1, [np.pi / 2],
                      left=Reservoir(gap=1.0), right=Reservoir(gap=1.0), points=40)
    expected = long_sfs_current(length, 3.0, 0.1, np.pi / 2)
    assert result.error[0] < 1e-3 * abs(expected)
    assert abs(result.current[0] - expected) < tolerance * abs(expected)


def test_an_unresolved_solution_is_refused_not_returned():
    # a coarse grid (12 points over 3.5 xi_F) leaves a current spread along the stack far above the strict
    # max_grid_error asked for: the solver must refuse the result and say what to try, not return it
    from spincharge.usadel.junction import ConvergenceError

    with pytest.raises(ConvergenceError, match="varies along the stack"):
        junction(Layer(2.0, exchange=(0.0, 0.0, 3.0)), 0.1, [np.pi / 2], left=Reservoir(gap=1.0),
                 right=Reservoir(gap=1.0), points=12, max_grid_error=1e-12)
    with pytest.raises(ValueError, match="max_grid_error"):
        junction(Layer(2.0), 0.1, [np.pi / 2], max_grid_error=0.0)
