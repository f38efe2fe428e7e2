"""Material: tensors validated against the point group, positive definiteness, SI conversion."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import constants as sc

from spincharge.materials import Material, relaxation_matrix
from spincharge.symmetry import point_group
from spincharge.units import UnitSystem

C4V = dict(D_xx=1.0, D_zz=0.8, Gamma_xx=0.2, Gamma_zz=0.3, gamma_xy=0.05, theta_xx=0.1, theta_zz=0.02)


def test_point_group_construction_gives_the_rashba_form():
    material = Material.from_point_group("C4v", **C4V)
    assert material.gamma[0, 1] == 0.05 and material.gamma[1, 0] == -0.05
    assert np.count_nonzero(material.gamma) == 2
    assert np.allclose(np.diag(material.D), [1.0, 1.0, 0.8])


@pytest.mark.parametrize("group, name", [("C4v", "gamma_xx"), ("D2d", "gamma_xy"), ("Oh", "gamma_xx")])
def test_a_parameter_the_group_does_not_allow_is_named(group, name):
    with pytest.raises(ValueError, match=f"{name}.*{group}.*allowed"):
        Material.from_point_group(group, D_xx=1.0, Gamma_xx=1.0, **{name: 0.1})


def test_a_forbidden_component_in_an_array_is_named_with_tensor_component_and_group():
    gamma = np.zeros((3, 3))
    gamma[0, 0] = 0.1  # Dresselhaus-like, forbidden in the Rashba class
    with pytest.raises(ValueError, match=r"gamma_xx = 0\.1 is forbidden by point group C4v"):
        Material(D=1.0, Gamma=0.1, gamma=gamma, group="C4v")
    # the same tensor is allowed in D2d's setting with gamma_xx = -gamma_yy
    gamma[1, 1] = -0.1
    assert Material(D=1.0, Gamma=0.1, gamma=gamma, group="D2d").gamma[1, 1] == -0.1


def test_every_point_group_tensor_is_invariant_under_the_group():
    """The independent witness of the allowed forms: rho(g) T = T for every element, computed directly."""
    material = Material.from_point_group("C4v", **C4V)
    for g in point_group("C4v").elements:
        det = np.linalg.det(g)
        assert np.allclose(g @ material.D @ g.T, material.D)
        assert np.allclose(g @ material.Gamma @ g.T, material.Gamma)  # axial x axial: det^2 = 1
        assert np.allclose(det * g @ material.gamma @ g.T, material.gamma)  # axial spin x polar gradient


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(D=-1.0, Gamma=1.0), "D must be positive definite"),
        (dict(D=1.0, Gamma=np.diag([1.0, 1.0, 0.0])), "Gamma must be positive definite"),
        (dict(D=[[1, 0.5, 0], [0, 1, 0], [0, 0, 1]], Gamma=1.0), "D must be symmetric"),
        (dict(D=1.0, Gamma=1.0, alpha=np.full((3, 3), np.nan)), "alpha must be a finite 3x3"),
        (dict(D=1.0, Gamma=1.0, h=(0, 0)), "h must be a finite 3-vector"),
        (dict(D=1.0, Gamma=1.0, group="C5v"), "unknown point group"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Material(**kwargs)


def test_isotropic_relaxation_is_one_third_of_gamma0():
    """Paper 003 after Eq. (S13): Gamma_lm = Gamma_0 delta_lm / 3 gives the torque -Gamma_0 S / 3."""
    gamma0 = 0.9
    assert np.allclose(relaxation_matrix(gamma0 / 3 * np.eye(3)), gamma0 / 3 * np.eye(3))


@settings(max_examples=30, deadline=None)
@given(st.floats(1e-4, 1e-1), st.floats(1e-12, 1e-9), st.floats(-0.3, 0.3), st.floats(-5, 5))
def test_si_round_trip_and_spin_diffusion_length(d_si, tau, angle, field):
    units = UnitSystem.from_meV_nm(1.0, 10.0)
    material = Material.from_si(units, diffusion_m2_s=d_si, spin_lifetime_s=tau, spin_hall_angle=angle,
                                field_tesla=(0, 0, field))  # fmt: skip
    si = material.to_si(units)
    assert np.allclose(si["D"], d_si * np.eye(3), rtol=1e-12)
    assert np.allclose(si["relaxation"], np.eye(3) / tau, rtol=1e-12)
    assert np.allclose(si["theta"], angle * np.eye(3))
    assert si["h"][2] == pytest.approx(sc.physical_constants["Bohr magneton"][0] * field, rel=1e-12, abs=1e-40)
    by_length = Material.from_si(units, diffusion_m2_s=d_si, spin_diffusion_length_m=np.sqrt(d_si * tau))
    assert np.allclose(by_length.Gamma, material.Gamma, rtol=1e-10)


def test_si_needs_exactly_one_spin_relaxation_input():
    units = UnitSystem.from_meV_nm()
    with pytest.raises(ValueError, match="exactly one"):
        Material.from_si(units, diffusion_m2_s=1e-3)
    with pytest.raises(ValueError, match="spin_lifetime_s must be > 0"):
        Material.from_si(units, diffusion_m2_s=1e-3, spin_lifetime_s=-1.0)


def test_tensors_are_read_only():
    material = Material(D=1.0, Gamma=1.0)
    with pytest.raises(ValueError):
        material.D[0, 0] = 2.0
