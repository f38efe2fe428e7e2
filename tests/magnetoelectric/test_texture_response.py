"""induced_response: paper 000, Eqs. (2)-(3) on grids, against closed forms, Eq. (1) and SI units."""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy as sp
from scipy import constants as sc

from spincharge.magnetoelectric.texture_response import induced_response
from spincharge.textures import Grid, Texture
from spincharge.units import UnitSystem

COEFFICIENTS = SimpleNamespace(chi=0.37, g_spin=-0.81)
rho_symbol = sp.symbols("rho", positive=True)


def _radial_derivative(expression, rho):
    """dM_z/d rho of a sympy profile M_z(rho), evaluated on an array of rho > 0."""
    return sp.lambdify(rho_symbol, sp.diff(expression, rho_symbol), "numpy")(rho)


def _polar(grid, center=(0.0, 0.0)):
    X, Y = grid.mesh()
    rx, ry = X - center[0], Y - center[1]
    rho = np.hypot(rx, ry)
    return rho, np.stack([rx, ry]) / np.where(rho == 0, 1, rho)


@pytest.mark.parametrize("polarity", [1, -1])
def test_radial_texture_gives_azimuthal_current_and_radial_spin(polarity):
    """Text after paper 000, Eq. (3): J = chi M_z'(rho) phi_hat. Eq. (3) itself gives S = +g_spin M_z' rho_hat
    (the text prints -g_spin: a sign slip of the text, see docs/conventions.md)."""
    grid = Grid.square(384, 80.0)
    radius, width = 5.0, 1.5
    texture = Texture.neel_skyrmion(grid, radius=radius, wall_width=width, core_polarity=polarity)
    response = induced_response(texture, COEFFICIENTS, derivative="spectral")
    theta = 2 * sp.atan(sp.sinh(radius / width) / sp.sinh(rho_symbol / width))
    rho, rho_hat = _polar(grid)
    off_core = rho > 0
    dmz = _radial_derivative(-polarity * sp.cos(theta), rho[off_core])
    phi_hat = np.stack([-rho_hat[1], rho_hat[0]])
    current = np.stack([response.J_x.values, response.J_y.values])[:, off_core]
    spin = np.stack([response.S_x.values, response.S_y.values])[:, off_core]
    scale = np.abs(dmz).max()
    np.testing.assert_allclose(np.sum(current * phi_hat[:, off_core], axis=0), 0.37 * dmz, atol=1e-9 * scale)
    np.testing.assert_allclose(np.sum(current * rho_hat[:, off_core], axis=0), 0.0, atol=1e-9 * scale)
    np.testing.assert_allclose(np.sum(spin * rho_hat[:, off_core], axis=0), -0.81 * dmz, atol=1e-9 * scale)
    np.testing.assert_allclose(np.sum(spin * phi_hat[:, off_core], axis=0), 0.0, atol=1e-9 * scale)
    # Neel: S_z = -g_spin (1/rho) d(rho f)/d rho with f = sin(theta) the radial in-plane component
    divergence = sp.lambdify(rho_symbol, sp.diff(rho_symbol * sp.sin(theta), rho_symbol) / rho_symbol, "numpy")
    np.testing.assert_allclose(response.S_z.values[off_core], 0.81 * divergence(rho[off_core]), atol=1e-8)
    assert response.attrs["J_error"] < 1e-7 and response.attrs["S_error"] < 1e-6


def test_bloch_skyrmion_has_no_out_of_plane_spin_and_the_same_current_as_neel():
    grid = Grid.square(256, 80.0)
    neel = induced_response(Texture.neel_skyrmion(grid, radius=5.0, wall_width=1.5), COEFFICIENTS)
    bloch = induced_response(Texture.bloch_skyrmion(grid, radius=5.0, wall_width=1.5), COEFFICIENTS)
    assert np.abs(bloch.S_z).max() < 1e-8 * np.abs(neel.S_z).max()
    for name in ("J_x", "J_y", "S_x", "S_y"):
        np.testing.assert_allclose(bloch[name], neel[name], atol=1e-13)


@pytest.mark.parametrize("derivative", ["spectral", "finite_difference", "auto"])
def test_numerical_response_converges_to_the_analytic_one(derivative):
    grid = Grid.square(256, 80.0)
    texture = Texture.skyrmion(grid, radius=5.0, wall_width=1.5, helicity=0.4, center=(0.3, -0.2))
    exact = induced_response(texture, COEFFICIENTS, derivative="analytic")
    assert exact.attrs["J_error"] == 0.0
    numerical = induced_response(texture, COEFFICIENTS, derivative=derivative, order=8)
    for name in ("J_x", "J_y", "S_x", "S_y", "S_z"):
        error = float(np.abs(numerical[name] - exact[name]).max())
        estimate = numerical.attrs[f"{name[0]}_error"]  # an estimate of the size, not a strict bound
        assert error <= 3 * estimate and error < (1e-8 if derivative != "finite_difference" else 1e-4)


def test_finite_difference_response_has_the_stencil_order_on_a_non_periodic_grid():
    """Observed order log2(e(h)/e(h/2)) of J and S for a Neel domain wall at an angle, non-periodic grid."""
    errors = {2: [], 4: [], 6: [], 8: []}
    for n in (97, 193):
        grid = Grid.square(n, 16.0, periodic=False)
        texture = Texture.domain_wall(grid, width=2.0, normal_angle=0.5)
        exact = induced_response(texture, COEFFICIENTS, derivative="analytic")
        for order in errors:
            numerical = induced_response(texture, COEFFICIENTS, derivative="finite_difference", order=order)
            errors[order].append(max(float(np.abs(numerical[v] - exact[v]).max()) for v in ("J_x", "J_y", "S_z")))
    for order, (coarse, fine) in errors.items():
        assert np.log2(coarse / fine) == pytest.approx(order, abs=0.3)


def test_diode_setup_gives_a_uniform_current_across_the_gradient():
    """Paper 000, Fig. 1(c): M_z growing along y drives J = (-chi dM_z/dy, 0), exactly for a linear ramp."""
    grid = Grid(24, 31, 10.0, 6.0, periodic=(True, False))
    texture = Texture.out_of_plane_gradient(grid, gradient=(0.0, 0.05), offset=0.2)
    response = induced_response(texture, COEFFICIENTS, order=4)
    np.testing.assert_allclose(response.J_x, -0.37 * 0.05, rtol=1e-12)
    np.testing.assert_allclose(response.J_y, 0.0, atol=1e-14)
    np.testing.assert_allclose(response.S_y, -0.81 * 0.05, rtol=1e-12)
    np.testing.assert_allclose(response.S_x, 0.0, atol=1e-14)
    np.testing.assert_allclose(response.S_z, 0.0, atol=1e-14)


def test_si_values_follow_from_scipy_constants():
    """chi = 1/(4 pi) (the TI quantum e/(4 pi hbar)), M_z ramp of 0.05 meV/nm in units E0 = 2 meV, L0 = 5 nm."""
    units = UnitSystem.from_meV_nm(energy_meV=2.0, length_nm=5.0)
    grid = Grid(16, 20, 10.0, 6.0, periodic=(True, False))
    texture = Texture.out_of_plane_gradient(grid, gradient=(0.0, 0.125))  # 0.125 * 2 meV / 5 nm
    coefficients = SimpleNamespace(chi=1 / (4 * np.pi), g_spin=2.0)
    response = induced_response(texture, coefficients, units=units)
    gradient_si = 0.05e-3 * sc.eV / 1e-9  # J/m
    chi_si = sc.e / (4 * np.pi * sc.hbar)  # A/J
    np.testing.assert_allclose(response.J_x, -chi_si * gradient_si, rtol=1e-12)
    g_si = 2.0 / (2e-3 * sc.eV * 5e-9)  # 1/(J m)
    np.testing.assert_allclose(response.S_y, g_si * gradient_si, rtol=1e-12)
    assert response.attrs["chi"] == pytest.approx(chi_si) and response.attrs["g_spin"] == pytest.approx(g_si)
    np.testing.assert_allclose(response.y, grid.y * 5e-9)
    np.testing.assert_allclose(response.M_z, texture.mz * 2e-3 * sc.eV)
    assert response.J_x.attrs["units"] == "A/m" and response.S_y.attrs["units"] == "1/m^2"
    assert response.attrs["units"] == "SI"
    # the texture's lengths are in L0; in SI the label says what L0 is
    assert response.attrs["texture"].endswith("L0 = 5 nm")


def _bump(X, Y, center, width):
    """A Gaussian test function and its (d_x, d_y)."""
    value = np.exp(-((X - center[0]) ** 2 + (Y - center[1]) ** 2) / (2 * width**2))
    return value, -(X - center[0]) / width**2 * value, -(Y - center[1]) / width**2 * value


def test_responses_are_the_functional_derivatives_of_the_energy_eq_1():
    """Paper 000, Eq. (1) with the supplement's energy E = int [chi M_z B_z + g_spin M_z div M]:
    a variation dA changes E by -int J.dA, a variation dM by -int S.dM (integrals by quadrature,
    test functions with closed-form derivatives)."""
    grid = Grid.square(192, 64.0)
    texture = Texture.skyrmion(grid, radius=5.0, wall_width=1.5, helicity=0.6, center=(1.0, 0.5))
    response = induced_response(texture, COEFFICIENTS)
    X, Y = grid.mesh()
    area = grid.cell_area()
    (a, a_x, a_y), (b, b_x, b_y) = _bump(X, Y, (4.0, -2.0), 2.0), _bump(X, Y, (-3.0, 3.5), 1.5)

    # dA = (a, b): dE = chi int M_z (d_x dA_y - d_y dA_x)
    d_energy = 0.37 * np.sum(texture.mz * (b_x - a_y)) * area
    work = np.sum(response.J_x.values * a + response.J_y.values * b) * area
    assert work == pytest.approx(-d_energy, rel=1e-9)

    # dM = (a, b, a*b): dE = g int [dM_z div M + M_z div dM]
    jacobian = texture.jacobian
    c = a * b
    d_energy = -0.81 * np.sum(c * (jacobian[0, 0] + jacobian[1, 1]) + texture.mz * (a_x + b_y)) * area
    work = np.sum(response.S_x.values * a + response.S_y.values * b + response.S_z.values * c) * area
    assert work == pytest.approx(-d_energy, rel=1e-9)


def test_bad_input():
    grid = Grid.square(16, 8.0)
    texture = Texture.gaussian_bubble(grid, width=1.0)
    with pytest.raises(ValueError, match="g_spin"):
        induced_response(texture, SimpleNamespace(chi=1.0))
    with pytest.raises(ValueError, match="chi"):
        induced_response(texture, SimpleNamespace(chi=np.nan, g_spin=1.0))
    with pytest.raises(ValueError, match="texture"):
        induced_response(texture.magnetization, COEFFICIENTS)
    with pytest.raises(ValueError, match="jacobian"):
        induced_response(Texture.from_array(grid, texture.magnetization), COEFFICIENTS, derivative="analytic")
    with pytest.raises(ValueError, match="derivative"):
        induced_response(texture, COEFFICIENTS, derivative="fancy")
    with pytest.raises(ValueError, match="units"):
        induced_response(texture, COEFFICIENTS, units="SI")
