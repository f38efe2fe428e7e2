"""Cayley midpoint LLG integrator (paper 002, Eq. 1) vs the analytic macrospin in a static field."""

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.dynamics.llg import DAMPING_SIGNATURE, TORQUE_SIGNATURE, cayley_rotate, integrate_llg, solve_rate


@numba.njit(TORQUE_SIGNATURE)
def _precession(m, t, p):
    """m x b z, b = p[0]."""
    return np.array([m[1] * p[0], -m[0] * p[0], 0.0])


@numba.njit(DAMPING_SIGNATURE)
def _gilbert(m, p):
    """-alpha 1, alpha = p[1]."""
    return -p[1] * np.eye(3)


def _exact(t, b, alpha, theta0):
    """m = S/S in b = b z with damping -alpha m x mdot: (1 + alpha^2) mdot = m x b - alpha m x (m x b).

    m_z = tanh(alpha b t / (1 + alpha^2) + artanh m_z(0)), phi = -b t / (1 + alpha^2).
    """
    mz = np.tanh(alpha * b * t / (1 + alpha**2) + np.arctanh(np.cos(theta0)))
    phi = -b * t / (1 + alpha**2)
    st_ = np.sqrt(1 - mz**2)
    return np.stack([st_ * np.cos(phi), st_ * np.sin(phi), mz], axis=-1)


def _run(dt, b=1.0, alpha=0.1, theta0=1.0, duration=20.0):
    m0 = np.array([np.sin(theta0), 0.0, np.cos(theta0)])
    return integrate_llg(m0, duration, dt, torque=_precession, damping=_gilbert, parameters=(b, alpha))


def test_precession_and_damping_match_the_analytic_macrospin_at_second_order():
    errors = []
    for dt in (0.02, 0.01):
        trajectory = _run(dt)
        errors.append(np.abs(trajectory.m - _exact(trajectory.t, 1.0, 0.1, 1.0)).max())
        assert trajectory.norm_error < 1e-10
    assert errors[1] < 5e-5
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.05)


def test_undamped_precession_conserves_energy_and_norm_over_a_long_run():
    trajectory = _run(0.05, alpha=0.0, duration=500.0)
    assert trajectory.norm_error < 1e-10
    assert np.abs(trajectory.m[:, 2] - np.cos(1.0)).max() < 1e-12  # m . b is conserved exactly by the midpoint rule


@given(axis=st.lists(st.floats(-3, 3), min_size=3, max_size=3), theta=st.floats(0, np.pi), phi=st.floats(0, 6.3))
def test_cayley_step_is_a_rotation(axis, theta, phi):
    m = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
    rotated = cayley_rotate(m, np.array(axis))
    assert abs(np.linalg.norm(rotated) - 1) < 1e-14
    assert rotated @ np.array(axis) == pytest.approx(m @ np.array(axis), abs=1e-12)


@given(theta=st.floats(0.1, 3.0), g=st.lists(st.floats(-0.5, 0.5), min_size=9, max_size=9))
def test_solved_rate_satisfies_the_implicit_equation(theta, g):
    m = np.array([np.sin(theta), 0.0, np.cos(theta)])
    damping = np.reshape(g, (3, 3))
    torque = np.cross(m, [0.3, -0.2, 1.0])
    rate = solve_rate(m, torque, damping)
    assert np.allclose(rate, torque + np.cross(m, damping @ rate), atol=1e-12)
    assert abs(rate @ m) < 1e-12


def test_saved_samples_every_save_every_steps_and_the_last():
    trajectory = integrate_llg((0.0, 0.0, 1.0), 1.0, 0.1, torque=_precession, damping=_gilbert, parameters=(1.0, 0.0),
                               save_every=3)
    assert trajectory.steps == 10
    assert np.allclose(trajectory.t, [0.0, 0.3, 0.6, 0.9, 1.0])
    assert trajectory.m.shape == (5, 3)


@pytest.mark.parametrize("kwargs", [dict(m0=(1.0, 1.0, 0.0)), dict(dt=0.0), dict(duration=-1.0), dict(save_every=0),
                                    dict(torque=lambda m, t, p: np.zeros(3)), dict(damping=_precession)])
def test_invalid_arguments(kwargs):
    params = dict(m0=(0.0, 0.0, 1.0), duration=1.0, dt=0.1, torque=_precession, damping=_gilbert) | kwargs
    with pytest.raises(ValueError):
        integrate_llg(params.pop("m0"), params.pop("duration"), params.pop("dt"), parameters=(1.0, 0.1), **params)


def test_unconverged_midpoint_iteration_raises():
    with pytest.raises(ValueError, match="max_iterations"):
        integrate_llg((1.0, 0.0, 0.0), 10.0, 1.0, torque=_precession, damping=_gilbert, parameters=(1.0, 0.1),
                      max_iterations=2)
