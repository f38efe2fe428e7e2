"""Graded composite Gauss-Legendre (numerics.graded_quadrature) on integrands with near-real poles."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre


@given(centre=st.floats(0.1, 0.9), log_width=st.floats(-8, -2))
def test_lorentzian_to_machine_precision(centre, log_width):
    """int_0^1 w / ((x - c)^2 + w^2) dx = arctan((1 - c)/w) + arctan(c/w), for widths down to 1e-8.

    Tolerance: 1e-13 plus the rounding of x - c near the pole, ~1e-16 c / w relative."""
    width = 10.0**log_width
    nodes, weights = graded_gauss_legendre(graded_breakpoints(0.0, 1.0, [centre], [width]), 24)
    numeric = np.sum(weights * width / ((nodes - centre) ** 2 + width**2))
    exact = np.arctan((1 - centre) / width) + np.arctan(centre / width)
    assert numeric == pytest.approx(exact, rel=1e-13 + 1e-15 / width)


def test_breakpoints_cover_the_interval_once():
    points = graded_breakpoints(0.0, 2.0, [0.5, 0.5000001, 3.0], [1e-3, 1e-3, 1e-3])
    assert points[0] == 0.0 and points[-1] == 2.0 and np.all(np.diff(points) > 0)
    nodes, weights = graded_gauss_legendre(points, 8)
    assert weights.sum() == pytest.approx(2.0, rel=1e-14)


@pytest.mark.parametrize("args", [(1.0, 0.0, [0.5], [0.1]), (0.0, 1.0, [0.5], [0.0]), (0.0, 1.0, [0.5, 0.6], [0.1])])
def test_invalid(args):
    with pytest.raises(ValueError):
        graded_breakpoints(*args)
