"""Spectral and finite-difference derivatives: exactness, textbook stencils, observed convergence order."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.textures import Grid, gradient, partial_derivative, stencil_weights


def test_central_stencils_are_the_textbook_ones():
    np.testing.assert_allclose(stencil_weights((-1, 0, 1)), [-0.5, 0, 0.5], atol=1e-15)
    np.testing.assert_allclose(stencil_weights((-2, -1, 0, 1, 2)), [1 / 12, -2 / 3, 0, 2 / 3, -1 / 12], atol=1e-14)
    np.testing.assert_allclose(
        stencil_weights((-3, -2, -1, 0, 1, 2, 3)), [-1 / 60, 3 / 20, -3 / 4, 0, 3 / 4, -3 / 20, 1 / 60], atol=1e-14
    )
    # one-sided second order: numpy.gradient's edge_order=2 weights
    np.testing.assert_allclose(stencil_weights((0, 1, 2)), [-1.5, 2.0, -0.5], atol=1e-14)


def test_second_order_equals_numpy_gradient_with_edge_order_2():
    rng = np.random.default_rng(1)
    field = rng.normal(size=(7, 11))
    grid = Grid(11, 7, 3.0, 2.0, periodic=False)
    ours, _ = gradient(field, grid, derivative="finite_difference", order=2)
    reference = np.gradient(field, grid.spacing[1], grid.spacing[0], edge_order=2)
    np.testing.assert_allclose(ours[0], reference[1], atol=1e-12)
    np.testing.assert_allclose(ours[1], reference[0], atol=1e-12)


@given(order=st.sampled_from([2, 4, 6, 8]), seed=st.integers(0, 2**31), n=st.integers(11, 30))
def test_finite_differences_of_order_p_are_exact_for_degree_p_polynomials(order, seed, n):
    """The shifted edge stencils keep the interior's order: exact for x^p, including the edges."""
    coefficients = np.random.default_rng(seed).normal(size=order + 1)
    x = np.linspace(-1.0, 1.0, n)
    values = np.polynomial.polynomial.polyval(x, coefficients)
    exact = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients))
    derivative, _ = partial_derivative(
        values, x[1] - x[0], axis=0, periodic=False, method="finite_difference", order=order
    )
    np.testing.assert_allclose(derivative, exact, atol=1e-9 * np.abs(coefficients).sum() * n**2)


@given(kx=st.integers(-7, 7), ky=st.integers(-7, 7), phase=st.floats(0, 2 * np.pi))
def test_spectral_derivative_is_exact_for_resolved_trigonometric_polynomials(kx, ky, phase):
    grid = Grid(16, 15, 2.0, 3.0, center=(0.3, 0.1))
    X, Y = grid.mesh()
    qx, qy = 2 * np.pi * kx / grid.length_x, 2 * np.pi * ky / grid.length_y
    field = np.cos(qx * X + qy * Y + phase)
    derivative, error = gradient(field, grid, derivative="spectral")
    slope = -np.sin(qx * X + qy * Y + phase)
    np.testing.assert_allclose(derivative[0], qx * slope, atol=1e-11)
    np.testing.assert_allclose(derivative[1], qy * slope, atol=1e-11)


def test_spectral_derivative_of_the_nyquist_mode_is_zero():
    grid = Grid(8, 8, 8.0, 8.0)
    X, _ = grid.mesh()
    derivative, _ = gradient(np.cos(np.pi * X), grid, derivative="spectral")  # alternating +-1 along x
    np.testing.assert_allclose(derivative, 0.0, atol=1e-13)


def _smooth(X, Y):
    """exp(sin x) cos(0.7 y) and its two partial derivatives."""
    bump = np.exp(np.sin(X))
    return bump * np.cos(0.7 * Y), np.cos(X) * bump * np.cos(0.7 * Y), -0.7 * bump * np.sin(0.7 * Y)


@pytest.mark.parametrize("order", [2, 4, 6, 8])
def test_observed_convergence_order_on_a_non_periodic_grid(order):
    """max-norm error vs the analytic derivative, halving h: log2(e(h)/e(h/2)) -> order."""
    errors = []
    for n in (41, 81):
        grid = Grid.square(n, 4.0, periodic=False, center=(0.2, 0.0))
        X, Y = grid.mesh()
        field, d_x, d_y = _smooth(X, Y)
        derivative, estimate = gradient(field, grid, order=order)
        errors.append(max(np.abs(derivative[0] - d_x).max(), np.abs(derivative[1] - d_y).max()))
        assert 0.2 < estimate / errors[-1] < 5  # the estimate |D_p - D_{p+2}| tracks the true error
    observed = np.log2(errors[0] / errors[1])
    assert observed == pytest.approx(order, abs=0.5)


def test_spectral_convergence_is_exponential_on_a_periodic_grid():
    errors = []
    for n in (16, 32):
        grid = Grid.square(n, 2 * np.pi)
        X, Y = grid.mesh()
        field, d_x, _ = _smooth(X, np.zeros_like(Y))
        derivative, estimate = gradient(field, grid, derivative="spectral")
        errors.append(np.abs(derivative[0] - d_x).max())
        assert errors[-1] <= estimate
    assert errors[0] < 1e-3 and errors[1] < 1e-12


def test_periodic_finite_differences_wrap_around():
    grid = Grid(40, 12, 2 * np.pi, 1.0, periodic=(True, False))
    X, _ = grid.mesh()
    derivative, _ = gradient(np.sin(X), grid, derivative="finite_difference", order=8)
    np.testing.assert_allclose(derivative[0], np.cos(X), atol=2e-9)
    np.testing.assert_allclose(derivative[1], 0.0, atol=1e-12)


def test_bad_input():
    grid = Grid(12, 12, 1.0, 1.0, periodic=(True, False))
    field = np.zeros(grid.shape)
    with pytest.raises(ValueError, match="spectral"):
        gradient(field, grid, derivative="spectral")
    with pytest.raises(ValueError, match="derivative"):
        gradient(field, grid, derivative="magic")
    with pytest.raises(ValueError, match="order"):
        gradient(field, grid, order=3)
    with pytest.raises(ValueError, match="shape"):
        gradient(np.zeros((3, 4)), grid)
    with pytest.raises(ValueError, match="points"):
        gradient(np.zeros((6, 12)), Grid(12, 6, 1.0, 1.0, periodic=False), order=4)
