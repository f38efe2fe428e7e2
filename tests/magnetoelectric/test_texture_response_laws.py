"""Physical laws the texture-induced response obeys, for all textures (paper 000, Eqs. 2-3)."""

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import simpson

from spincharge.magnetoelectric.texture_response import induced_response
from spincharge.textures import Grid, Texture, gradient

COEFFICIENTS = SimpleNamespace(chi=0.37, g_spin=-0.81)


def _skyrmion(n=256, length=80.0, **kwargs):
    grid = Grid.square(n, length)
    return Texture.skyrmion(grid, **(dict(radius=5.0, wall_width=1.5) | kwargs))


@pytest.mark.parametrize("derivative", ["spectral", "finite_difference"])
def test_current_is_divergence_free(derivative):
    """div J = chi (d_x d_y - d_y d_x) M_z = 0: checked with an independent 2nd-order divergence, whose
    residual must fall as h^2 (grid precision), and with the same scheme (exact to rounding)."""
    residuals = []
    for n in (256, 512):
        texture = _skyrmion(n=n, helicity=0.3)
        response = induced_response(texture, COEFFICIENTS, derivative=derivative)
        current = np.stack([response.J_x.values, response.J_y.values])
        j_scale = np.abs(current).max() / texture.grid.spacing[0]
        same, _ = gradient(current, texture.grid, derivative=derivative)
        assert np.abs(same[0, 0] + same[1, 1]).max() < 1e-12 * j_scale
        other, _ = gradient(current, texture.grid, derivative="finite_difference", order=2)
        residuals.append(np.abs(other[0, 0] + other[1, 1]).max())
    assert np.log2(residuals[0] / residuals[1]) > 1.8  # O(h^2): only the check's own error


def test_current_through_a_cut_is_chi_times_the_change_of_mz():
    """chi M_z is the stream function of J: the current crossing a line from a to b is
    chi [M_z(b) - M_z(a)] (positive to the left of a -> b). Radial cut: chi [M_z(inf) - M_z(0)] = 2 chi M0
    for a core-down skyrmion; a full line across a localized texture carries none."""
    texture = _skyrmion(core_polarity=-1, amplitude=0.6)
    response = induced_response(texture, COEFFICIENTS)
    grid = texture.grid
    row = grid.ny // 2  # y = 0, through the core
    half = slice(grid.nx // 2, None)
    assert grid.x[grid.nx // 2] == 0.0
    radial = simpson(response.J_y.values[row, half], x=grid.x[half])
    expected = 0.37 * (texture.mz[row, -1] - texture.mz[row, grid.nx // 2])
    assert expected == pytest.approx(0.37 * 1.2, rel=1e-9)
    assert radial == pytest.approx(expected, rel=1e-6)
    full = np.sum(response.J_y.values[row]) * grid.spacing[0]
    assert abs(full) < 1e-10


def test_circulation_around_a_circle_is_chi_times_the_flux_of_grad_mz():
    """Stokes: the circulation of J around rho = r0 is chi * int_disk laplacian M_z = 2 pi r0 chi M_z'(r0)
    for a radial bubble; J is evaluated on the circle by trigonometric interpolation of the grid values."""
    grid = Grid.square(96, 40.0)
    width, r0 = 2.5, 3.0
    texture = Texture.gaussian_bubble(grid, width=width, amplitude=0.7)
    response = induced_response(texture, COEFFICIENTS)
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    points = r0 * np.stack([np.cos(angles), np.sin(angles)])

    def interpolate(values):
        coefficients = np.fft.fft2(values) / values.size
        kx = 2 * np.pi * np.fft.fftfreq(grid.nx, grid.spacing[0])
        ky = 2 * np.pi * np.fft.fftfreq(grid.ny, grid.spacing[1])
        phase_x = np.exp(1j * np.outer(points[0] - grid.x[0], kx))
        phase_y = np.exp(1j * np.outer(points[1] - grid.y[0], ky))
        return np.real(np.einsum("pk,kl,pl->p", phase_y, coefficients, phase_x))

    tangent = np.stack([-np.sin(angles), np.cos(angles)])
    j_t = interpolate(response.J_x.values) * tangent[0] + interpolate(response.J_y.values) * tangent[1]
    circulation = np.mean(j_t) * 2 * np.pi * r0
    dmz = -r0 / width**2 * 0.7 * np.exp(-(r0**2) / (2 * width**2))
    assert circulation == pytest.approx(2 * np.pi * r0 * 0.37 * dmz, rel=1e-8)


def test_integrated_spin_density_is_the_boundary_flux_gauss():
    """Gauss: int S = g oint M_z n dl and int S_z = -g oint M . n dl over the box boundary (zero for a
    texture that has fully decayed; this box keeps a ~1e-7 tail, whose flux the integrals must
    reproduce). Non-periodic grid with one-sided stencils; integrals by Simpson's rule."""
    grid = Grid.square(161, 60.0, periodic=False)
    texture = Texture.skyrmion(grid, radius=5.0, wall_width=1.5, helicity=0.5, center=(1.0, -2.0))
    response = induced_response(texture, COEFFICIENTS)

    def area_integral(values):
        return simpson(simpson(values, x=grid.x), x=grid.y)

    def outward_flux(fx, fy):
        return simpson(fx[:, -1] - fx[:, 0], x=grid.y) + simpson(fy[-1, :] - fy[0, :], x=grid.x)

    m, mz = texture.magnetization, texture.mz
    flux = 0.81 * outward_flux(m[0], m[1])  # -g_spin oint M . n
    assert 1e-6 < abs(flux)  # the tail is there, and the identity must account for it
    assert area_integral(response.S_z.values) == pytest.approx(flux, rel=1e-4)
    zeros = np.zeros_like(mz)
    assert area_integral(response.S_x.values) == pytest.approx(-0.81 * outward_flux(mz, zeros), abs=1e-11)
    assert area_integral(response.S_y.values) == pytest.approx(-0.81 * outward_flux(zeros, mz), abs=1e-11)


def test_spin_density_of_the_ramp_integrates_to_g_times_the_change_of_mz():
    grid = Grid(40, 51, 8.0, 5.0, periodic=(True, False))
    texture = Texture.out_of_plane_gradient(grid, gradient=(0.0, 0.2))
    response = induced_response(texture, COEFFICIENTS)
    integral = simpson(response.S_y.values, x=grid.y, axis=0).mean() * grid.length_x
    assert integral == pytest.approx(-0.81 * (texture.mz[-1, 0] - texture.mz[0, 0]) * grid.length_x, rel=1e-12)


@given(
    a=st.floats(-3, 3),
    b=st.floats(-3, 3),
    chi=st.floats(-1, 1),
    g=st.floats(-1, 1),
    seed=st.integers(0, 2**31),
)
def test_response_is_linear_in_the_magnetization(a, b, chi, g, seed):
    grid = Grid(24, 20, 6.0, 5.0, periodic=(True, False))
    rng = np.random.default_rng(seed)
    first = Texture.from_array(grid, rng.normal(size=(3,) + grid.shape))
    second = Texture.skyrmion(Grid(24, 20, 6.0, 5.0, periodic=False), radius=1.0, wall_width=0.5)
    second = Texture.from_array(grid, second.magnetization)
    coefficients = SimpleNamespace(chi=chi, g_spin=g)
    mixture = Texture.from_array(grid, a * first.magnetization + b * second.magnetization)
    combined = induced_response(mixture, coefficients)
    parts = [induced_response(t, coefficients) for t in (first, second)]
    for name in ("J_x", "J_y", "S_x", "S_y", "S_z"):
        np.testing.assert_allclose(combined[name], a * parts[0][name] + b * parts[1][name], atol=1e-10)


def _rotate_quarter(values):
    """Scalar field rotated by +90 degrees about the origin on a square periodic grid centred at 0:
    G(x, y) = F(y, -x); the grid maps onto itself (x_j -> -x_j is index j -> (n - j) mod n)."""
    n = values.shape[-1]
    return values.swapaxes(-1, -2)[..., (n - np.arange(n)) % n]


@given(
    cx=st.floats(-3, 3),
    cy=st.floats(-3, 3),
    radius=st.floats(1.0, 3.0),
    width=st.floats(0.5, 0.8),
    helicity=st.floats(-np.pi, np.pi),
    polarity=st.sampled_from([1, -1]),
)
def test_response_is_covariant_under_rotations(cx, cy, radius, width, helicity, polarity):
    """Rotating a skyrmion about the origin by 90 degrees moves its centre to R c and leaves its helicity:
    the response of the rotated texture is the rotated response (J, S_parallel as vectors, S_z as scalar).
    The box keeps the tail below 1e-13, so the texture is periodic to rounding."""
    grid = Grid.square(64, 60.0)
    kwargs = dict(radius=radius, wall_width=width, helicity=helicity, core_polarity=polarity)
    texture = Texture.skyrmion(grid, center=(cx, cy), **kwargs)
    rotated_texture = Texture.skyrmion(grid, center=(-cy, cx), **kwargs)
    np.testing.assert_allclose(rotated_texture.mz, _rotate_quarter(texture.mz), atol=1e-12)
    response = induced_response(texture, COEFFICIENTS)
    rotated = induced_response(rotated_texture, COEFFICIENTS)
    for vector in ("J", "S"):
        vx, vy = (_rotate_quarter(response[f"{vector}_{c}"].values) for c in "xy")
        np.testing.assert_allclose(rotated[f"{vector}_x"], -vy, atol=1e-11)
        np.testing.assert_allclose(rotated[f"{vector}_y"], vx, atol=1e-11)
    np.testing.assert_allclose(rotated.S_z, _rotate_quarter(response.S_z.values), atol=1e-11)


@given(helicity=st.floats(-np.pi, np.pi))
def test_out_of_plane_spin_scales_with_the_cosine_of_the_helicity(helicity):
    """S_z = -g div M and div(f [cos g rho_hat + sin g phi_hat]) = cos g div(f rho_hat)."""
    neel = induced_response(_skyrmion(n=128, length=60.0), COEFFICIENTS, derivative="analytic")
    other = induced_response(_skyrmion(n=128, length=60.0, helicity=helicity), COEFFICIENTS, derivative="analytic")
    np.testing.assert_allclose(other.S_z, np.cos(helicity) * neel.S_z, atol=1e-12)
