"""Magnet on a TI driven by an ac grated gate (paper 002, Eqs. 1, 12-17) at the paper's parameters."""

import numpy as np
import pytest

from spincharge.diffusive import analytic
from spincharge.dynamics.ti_magnet import MagnetOnTI, paper_system, simulate, stroboscopic_drift


def _one_period(system, mz0, steps=100, periods=1):
    period = 2 * np.pi / system.gate_frequency
    m0 = np.array([np.sqrt(1 - mz0**2), 0.0, mz0])
    return simulate(system, m0, periods * period, period / steps, save_every=steps // 20)


def test_paper_parameters_are_in_the_diffusive_regime():
    system, units = paper_system()
    assert analytic.drude_conductivity(system.electrons) == pytest.approx(10.0)
    assert system.gate_frequency < 1e-3 * system.diffusion_rate()  # omega << D q^2 (Eq. 15)
    assert units.to_si(system.diffusion_rate(), "angular_frequency") > 1e11  # paper: D q^2 ~ 100 GHz


@pytest.mark.parametrize("mz0", [np.sqrt(0.5), -np.sqrt(0.5)])
def test_diffusive_torque_alone_oscillates_m_z_and_drifts_slowly_to_the_normal(mz0):
    """Large in-period oscillation of m_z, a small net drift per period that increases |m_z|."""
    system, _ = paper_system(gate_field_like=False)
    trajectory = _one_period(system, mz0)
    mz = trajectory.m[:, 2]
    swing = np.abs(mz - mz0).max()
    drift = mz[-1] - mz0
    assert swing > 0.3
    assert 0 < np.sign(mz0) * drift < 1e-3 * swing
    assert trajectory.norm_error < 1e-10


def test_without_gate_the_magnet_stays_put_and_damping_relaxes_to_the_easy_axis():
    system, _ = paper_system(gate_field_V_m=0.0)
    trajectory = _one_period(system, 0.3, steps=40)
    assert np.allclose(trajectory.m, trajectory.m[0], atol=1e-12)
    easy_axis, _ = paper_system(gate_field_V_m=0.0, anisotropy_T=0.05)
    relaxed = _one_period(easy_axis, 0.3, steps=400, periods=2)
    assert relaxed.m[-1, 2] > 0.95  # TI + intrinsic damping are dissipative for m = S/S


def test_invalid_system():
    electrons, _ = paper_system()
    with pytest.raises(ValueError, match="gilbert"):
        MagnetOnTI(electrons.electrons, exchange_area=1.0, gilbert=-0.1)
    with pytest.raises(ValueError, match="exchange_area"):
        MagnetOnTI(electrons.electrons, exchange_area=-1.0)


def test_stroboscopic_drift_points_to_the_normal_and_is_odd_in_mz():
    system, _ = paper_system(gate_field_like=False)
    drift_map = stroboscopic_drift(system, [-0.7, 0.3, 0.7])
    assert drift_map.drift[1] > 0 and drift_map.drift[2] > 0
    assert drift_map.drift[0] == pytest.approx(-drift_map.drift[2], rel=1e-6)
    assert drift_map.error < 0.2 * drift_map.drift[2]
    assert drift_map.periods_to_reach(0.3, 0.7) > 1e3  # a slow, second-order effect
    assert drift_map.periods_to_reach(0.7, 0.3) == float("inf")
    with pytest.raises(ValueError, match="axially symmetric"):
        stroboscopic_drift(paper_system()[0], [0.5])


def test_gate_in_plane_response_is_screened():
    """For omega << D q^2 the gate's longitudinal field drives no current: the full gate response moves m
    like the diffusive torque alone (difference ~ omega / D q^2)."""
    full, _ = paper_system()
    diffusive, _ = paper_system(gate_field_like=False)
    a, b = _one_period(full, np.sqrt(0.5)), _one_period(diffusive, np.sqrt(0.5))
    assert np.abs(a.m - b.m).max() < 1e-2
    assert np.abs(a.m - b.m).max() > 0  # the in-plane response is small, not absent
