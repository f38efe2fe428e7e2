"""Grid coordinates and validation."""

import numpy as np
import pytest

from spincharge.textures import Grid


def test_periodic_axis_excludes_the_right_end():
    grid = Grid(8, 5, 4.0, 2.0, periodic=True, center=(1.0, -1.0))
    dx, dy = grid.spacing
    assert dx == 0.5 and dy == 0.4
    np.testing.assert_allclose(grid.x, -1.0 + 0.5 * np.arange(8))
    assert grid.x[-1] + dx == pytest.approx(3.0)  # the period's right end is the left end's image
    assert grid.shape == (5, 8)


def test_non_periodic_axis_includes_both_ends():
    grid = Grid(5, 9, 4.0, 2.0, periodic=(True, False))
    assert grid.periodic == (True, False)
    np.testing.assert_allclose(grid.y[[0, -1]], [-1.0, 1.0])
    assert grid.spacing[1] == pytest.approx(0.25)


def test_mesh_is_indexed_y_then_x():
    grid = Grid(4, 3, 1.0, 1.0)
    X, Y = grid.mesh()
    assert X.shape == Y.shape == (3, 4)
    np.testing.assert_array_equal(X[0], grid.x)
    np.testing.assert_array_equal(Y[:, 0], grid.y)
    assert grid.cell_area() == pytest.approx(grid.spacing[0] * grid.spacing[1])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(nx=2), "nx"),
        (dict(ny=4.0), "ny"),
        (dict(nx=True), "nx"),
        (dict(length_x=0.0), "length_x"),
        (dict(length_y=-1.0), "length_y"),
        (dict(length_x=np.inf), "length_x"),
        (dict(length_y=np.nan), "length_y"),
        (dict(periodic="yes"), "periodic"),
        (dict(periodic=(True, False, True)), "periodic"),
        (dict(center=(0.0, np.nan)), "center"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    arguments = dict(nx=8, ny=8, length_x=1.0, length_y=1.0) | kwargs
    with pytest.raises(ValueError, match=name):
        Grid(**arguments)
