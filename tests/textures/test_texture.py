"""Texture profiles and their closed-form Jacobians, witnessed by sympy and by numerical derivatives."""

import dataclasses

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from spincharge.textures import Grid, Texture, gradient

x, y = sp.symbols("x y", real=True)


def _sympy_field(components, grid):
    """Values and Jacobian [i, a] of sympy expressions in x, y on the grid points."""
    X, Y = grid.mesh()
    values = np.stack([np.broadcast_to(sp.lambdify((x, y), c, "numpy")(X, Y), X.shape) for c in components])
    jacobian = np.stack(
        [
            np.stack([np.broadcast_to(sp.lambdify((x, y), sp.diff(c, v), "numpy")(X, Y), X.shape) for v in (x, y)])
            for c in components
        ]
    )
    return values, jacobian


def _sympy_skyrmion(radius, width, amplitude, helicity, polarity, center):
    """Textbook form: theta = 2 atan(sinh(R/w)/sinh(rho/w)), m = (sin th cos(phi+g), sin th sin(phi+g), cos th)."""
    rho = sp.sqrt((x - center[0]) ** 2 + (y - center[1]) ** 2)
    phi = sp.atan2(y - center[1], x - center[0])
    theta = 2 * sp.atan(sp.sinh(radius / width) / sp.sinh(rho / width))
    return [
        amplitude * sp.sin(theta) * sp.cos(phi + helicity),
        amplitude * sp.sin(theta) * sp.sin(phi + helicity),
        -polarity * amplitude * sp.cos(theta),
    ]


@pytest.mark.parametrize("helicity, polarity", [(0.0, -1), (np.pi / 2, 1), (0.7, -1)])
def test_skyrmion_and_jacobian_match_sympy(helicity, polarity):
    grid = Grid(14, 12, 16.0, 14.0, center=(0.1, -0.2))  # no grid point on the core
    center = (0.37, -0.41)
    texture = Texture.skyrmion(
        grid, radius=3.0, wall_width=1.2, amplitude=0.8, helicity=helicity, core_polarity=polarity, center=center
    )
    values, jacobian = _sympy_field(_sympy_skyrmion(3.0, 1.2, 0.8, helicity, polarity, center), grid)
    np.testing.assert_allclose(texture.magnetization, values, atol=1e-13)
    np.testing.assert_allclose(texture.jacobian, jacobian, atol=1e-12)


def test_bubble_and_domain_wall_match_sympy():
    grid = Grid(11, 13, 10.0, 9.0, periodic=False, center=(0.5, 0.0))
    bubble = Texture.gaussian_bubble(grid, width=1.7, amplitude=-0.6, background=0.25, center=(0.3, 0.2))
    rho2 = (x - 0.3) ** 2 + (y - 0.2) ** 2
    values, jacobian = _sympy_field([0 * x, 0 * x, 0.25 - 0.6 * sp.exp(-rho2 / (2 * 1.7**2))], grid)
    np.testing.assert_allclose(bubble.magnetization, values, atol=1e-14)
    np.testing.assert_allclose(bubble.jacobian, jacobian, atol=1e-14)

    angle, width = 0.4, 1.3
    n = (np.cos(angle), np.sin(angle))
    u = ((x - 1.0) * n[0] + (y + 0.5) * n[1]) / width
    for kind, direction in [("neel", n), ("bloch", (-n[1], n[0]))]:
        wall = Texture.domain_wall(grid, width=width, kind=kind, amplitude=0.9, normal_angle=angle, center=(1.0, -0.5))
        components = [0.9 * direction[0] / sp.cosh(u), 0.9 * direction[1] / sp.cosh(u), 0.9 * sp.tanh(u)]
        values, jacobian = _sympy_field(components, grid)
        np.testing.assert_allclose(wall.magnetization, values, atol=1e-14)
        np.testing.assert_allclose(wall.jacobian, jacobian, atol=1e-14)


@pytest.mark.parametrize("helicity", [0.0, np.pi / 2, 2.0])
def test_skyrmion_jacobian_at_the_core_agrees_with_spectral_derivatives(helicity):
    """The grid contains the core, where the closed form uses its limit; spectral numerics witness it."""
    grid = Grid.square(384, 80.0)
    texture = Texture.skyrmion(grid, radius=5.0, wall_width=1.5, helicity=helicity)
    assert grid.x[192] == 0.0 and grid.y[192] == 0.0
    np.testing.assert_allclose(texture.magnetization[:, 192, 192], [0.0, 0.0, -1.0], atol=1e-15)
    numerical, estimate = gradient(texture.magnetization, grid, derivative="spectral")
    assert np.abs(numerical - texture.jacobian).max() < 1e-8
    assert estimate < 1e-8
    np.testing.assert_allclose(numerical[..., 192, 192], texture.jacobian[..., 192, 192], atol=1e-9)


@given(
    radius=st.floats(0.5, 6.0),
    width=st.floats(0.3, 3.0),
    helicity=st.floats(-np.pi, np.pi),
    polarity=st.sampled_from([1, -1]),
)
def test_skyrmion_has_unit_length_and_its_radius_where_mz_vanishes(radius, width, helicity, polarity):
    grid = Grid.square(16, 3 * radius)
    kwargs = dict(radius=radius, wall_width=width, helicity=helicity)
    texture = Texture.skyrmion(grid, amplitude=2.0, core_polarity=polarity, **kwargs)
    np.testing.assert_allclose(np.linalg.norm(texture.magnetization, axis=0), 2.0, rtol=1e-13)
    # on the circle rho = R: M_z = 0 and the in-plane part makes the angle `helicity` with rho_hat
    ring = Texture.skyrmion(Grid(3, 3, 2 * radius, 2 * radius, periodic=False), **kwargs)
    m = ring.magnetization[:, 1, 2]  # the point (R, 0)
    np.testing.assert_allclose(m, [np.cos(helicity), np.sin(helicity), 0.0], atol=1e-12)
    assert texture.mz[8, 8] == pytest.approx(2.0 * polarity)


def test_out_of_plane_gradient_is_the_linear_ramp():
    grid = Grid(10, 12, 5.0, 6.0, periodic=(True, False), center=(1.0, 2.0))
    texture = Texture.out_of_plane_gradient(grid, gradient=(0.0, 0.3), offset=0.1)
    X, Y = grid.mesh()
    np.testing.assert_allclose(texture.mz, 0.1 + 0.3 * (Y - 2.0), atol=1e-15)
    assert np.all(texture.magnetization[:2] == 0)
    assert np.all(texture.jacobian[2, 1] == 0.3) and np.all(texture.jacobian[2, 0] == 0)


def test_texture_is_frozen_and_read_only():
    texture = Texture.gaussian_bubble(Grid.square(8, 4.0), width=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        texture.name = "x"
    with pytest.raises(ValueError):
        texture.magnetization[2, 0, 0] = 5.0
    source = np.zeros((3, 8, 8))
    user = Texture.from_array(Grid.square(8, 4.0), source)
    source[2] = 1.0
    assert np.all(user.mz == 0) and user.jacobian is None


def test_bad_input_is_rejected_with_the_parameter_name():
    grid = Grid.square(8, 4.0)
    wall_grid = Grid(8, 8, 4.0, 4.0, periodic=(False, True))
    cases = [
        (lambda: Texture.skyrmion(grid, radius=-1.0, wall_width=1.0), "radius"),
        (lambda: Texture.skyrmion(grid, radius=1.0, wall_width=0.0), "wall_width"),
        (lambda: Texture.skyrmion(grid, radius=1.0, wall_width=1.0, amplitude=np.nan), "amplitude"),
        (lambda: Texture.skyrmion(grid, radius=1.0, wall_width=1.0, core_polarity=0), "core_polarity"),
        (lambda: Texture.skyrmion(grid, radius=1.0, wall_width=1.0, helicity=np.inf), "helicity"),
        (lambda: Texture.skyrmion(grid, radius=1.0, wall_width=1.0, center=(0.0,)), "center"),
        (lambda: Texture.gaussian_bubble(grid, width=-2.0), "width"),
        (lambda: Texture.domain_wall(wall_grid, width=1.0, kind="twisted"), "kind"),
        (lambda: Texture.domain_wall(grid, width=1.0), "periodic"),
        (lambda: Texture.domain_wall(wall_grid, width=1.0, normal_angle=np.pi / 2), "periodic"),
        (lambda: Texture.out_of_plane_gradient(grid, gradient=(0.0, 1.0)), "periodic"),
        (lambda: Texture.out_of_plane_gradient(wall_grid, gradient=(np.nan, 0.0)), "gradient"),
        (lambda: Texture.from_array(grid, np.zeros((2, 8, 8))), "shape"),
        (lambda: Texture.from_array(grid, np.full((3, 8, 8), np.nan)), "finite"),
        (lambda: Texture.from_array(grid, np.zeros((3, 8, 8), complex)), "real"),
        (lambda: Texture.from_array(grid, np.zeros((3, 8, 8)), jacobian=np.zeros((3, 8, 8))), "jacobian"),
        (lambda: Texture.from_array("grid", np.zeros((3, 8, 8))), "grid"),
    ]
    for build, name in cases:
        with pytest.raises(ValueError, match=name):
            build()
    # a wall whose normal is along the non-periodic axis is fine
    Texture.domain_wall(wall_grid, width=1.0, normal_angle=0.0)
