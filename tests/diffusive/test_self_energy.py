"""Born self-energy (paper 002, Eqs. 6-7, s10-s11): self-consistent solution vs direct integration."""

import numpy as np
import pytest
from scipy import integrate

from spincharge.diffusive.self_energy import born_self_energy, leading_order_self_energy
from spincharge.models.dirac_ferromagnet import DiracFerromagnet

PAULI_Z = np.diag([1.0, -1.0])


def _model(alpha=0.02, delta=0.4):
    return DiracFerromagnet(1.0, 1.0, delta, (0.0, 0.0, 1.0), alpha)


def test_self_consistency_by_direct_integration_of_matrix_green_function():
    """Sigma = 2 pi alpha v^2 int d^2p/(2pi)^2 (E - H_p - Sigma)^(-1), integrated numerically (matrix inverse)."""
    model = _model(alpha=0.05)
    se = born_self_energy(model, 0.1)
    sigma = np.diag([se.energy - se.eps_R, se.energy - se.eps_R]) + (model.exchange_z - se.delta_R) * PAULI_Z
    energy = se.energy

    def green_trace(p, component):
        # angular average of G(p) keeps only the sigma_0 and sigma_z parts; take them at phi = 0
        h = np.array([[-model.exchange_z, -1j * p], [1j * p, model.exchange_z]])  # v (p x sigma)_z at p = p x
        g = np.linalg.inv(energy * np.eye(2) - h - sigma)
        return 0.5 * np.trace((np.eye(2) if component == 0 else PAULI_Z) @ g)

    computed = []
    p_f = np.sqrt((se.eps_R**2 - se.delta_R**2).real)
    for component in (0, 1):
        parts = [
            integrate.quad(lambda p, f=f: f(p * green_trace(p, component)), 0, se.cutoff, points=[p_f],
                           limit=400, epsabs=1e-13, epsrel=1e-12)[0]
            for f in (np.real, np.imag)
        ]
        computed.append(model.disorder_alpha * (parts[0] + 1j * parts[1]))  # 2 pi alpha / (2 pi) int p dp
    assert computed[0] == pytest.approx(se.energy - se.eps_R, abs=1e-10)
    assert computed[1] == pytest.approx(model.exchange_z - se.delta_R, abs=1e-10)


def test_leading_order_imaginary_parts_and_difference_scaling():
    """Im eps^R -> pi alpha E/2 and Im Delta^R -> -pi alpha Delta/2 with O(alpha^2) error (Eq. 7)."""
    deviations = []
    for alpha in (0.01, 0.005):
        model = _model(alpha)
        se = born_self_energy(model, cutoff_ratio=50.0)
        eps_lead, delta_lead = leading_order_self_energy(model)
        # Eq. (7) typed here: eps^R = E + i pi alpha E / 2, Delta^R = Delta - i pi alpha Delta / 2 (E = 1, Delta = 0.4)
        assert eps_lead == pytest.approx(1.0 + 0.5j * np.pi * alpha, rel=1e-14)
        assert delta_lead == pytest.approx(0.4 - 0.2j * np.pi * alpha, rel=1e-14)
        assert se.eps_R_leading == eps_lead and se.delta_R_leading == delta_lead
        assert se.eps_R.imag == pytest.approx(eps_lead.imag, rel=10 * alpha)
        assert se.delta_R.imag == pytest.approx(delta_lead.imag, rel=10 * alpha)
        deviations.append(abs(se.eps_R.imag - eps_lead.imag))
        assert se.difference > 0 and se.residual < 1e-14
    assert deviations[0] / deviations[1] == pytest.approx(4.0, rel=0.1)


def test_real_part_is_the_logarithmic_renormalisation():
    """Re eps^R - E = -(alpha/2) E Re l + O(alpha^2 l^2), Re l = log(|z| / (X - z)): grows like alpha log Lambda."""
    model = _model(0.01)
    shifts = [born_self_energy(model, cutoff_ratio=c).eps_R.real - 1.0 for c in (4.0, 40.0)]
    z = 1.0 - 0.16
    expected = 0.5 * 0.01 * np.log((40.0**2 - z) / (4.0**2 - z))
    assert shifts[1] - shifts[0] == pytest.approx(expected, rel=0.06)


@pytest.mark.parametrize("kwargs", [dict(cutoff_ratio=0.5), dict(energy_shift=-0.9)])
def test_invalid_settings(kwargs):
    with pytest.raises(ValueError):
        born_self_energy(_model(), **kwargs)
