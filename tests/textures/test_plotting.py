"""The texture figures draw what they say: M_z map, current streamlines, spin arrows, diode cut."""

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection, QuadMesh  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

from spincharge.magnetoelectric.texture_response import induced_response  # noqa: E402
from spincharge.textures import Grid, Texture  # noqa: E402
from spincharge.textures.plotting import plot_current_streamlines, plot_diode_current, plot_spin_arrows  # noqa: E402

COEFFICIENTS = SimpleNamespace(chi=0.08, g_spin=0.08)


def _skyrmion_response():
    return induced_response(Texture.neel_skyrmion(Grid.square(48, 30.0), radius=5.0, wall_width=2.0), COEFFICIENTS)


def test_current_streamlines_over_mz():
    figure = plot_current_streamlines(_skyrmion_response())
    axes = figure.axes[0]
    assert any(isinstance(c, QuadMesh) for c in axes.collections)
    assert any(isinstance(c, LineCollection) for c in axes.collections)
    assert "Eq. 2" in axes.get_title()
    plt.close(figure)


def test_spin_arrows_over_mz_subsample_the_grid():
    response = _skyrmion_response()
    figure = plot_spin_arrows(response, arrows=12)
    quiver = next(c for c in figure.axes[0].collections if isinstance(c, Quiver))
    assert quiver.N == 12 * 12
    # the arrows are the data: at the sampled points they equal (S_x, S_y)
    assert np.allclose(np.sort(quiver.U.ravel()), np.sort(response.S_x.values[2::4, 2::4].ravel()))
    plt.close(figure)


def test_diode_figure_shows_the_uniform_current():
    grid = Grid(16, 21, 8.0, 6.0, periodic=(True, False))
    response = induced_response(Texture.out_of_plane_gradient(grid, gradient=(0.0, 0.1)), COEFFICIENTS)
    figure = plot_diode_current(response)
    cut = figure.axes[1].lines[0].get_ydata()
    np.testing.assert_allclose(cut, -0.08 * 0.1, rtol=1e-12)
    # every line of the cut, the M_z of the twin axis included, is in the legend
    assert [t.get_text() for t in figure.axes[1].get_legend().get_texts()] == ["$J_x$", "$J_y$", "$M_z$ (right axis)"]
    plt.close(figure)
