"""Bad input raises ValueError saying what to change; results are labelled and round-trip the store."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import skfem
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from spincharge.diffusion import (
    Contact, Device, Geometry, MagneticInsulator, cross, h_bar, hall_bar, plot_map, rectangle, segment, solve, solve_transient,
    triangle_mesh,
)  # fmt: skip
from spincharge.materials import Material
from spincharge.store import ResultStore

from .test_discretisation import random_material

METAL = Material(D=1.0, Gamma=1.0, theta=0.1)


def two_squares():
    points = [(0, 0), (1, 0), (1, 1), (0, 1), (2, 0), (3, 0), (3, 1), (2, 1)]
    triangles = [(0, 1, 2), (0, 2, 3), (4, 5, 6), (4, 6, 7)]
    return triangle_mesh(points, triangles, METAL)


def test_no_contact_fixing_the_potential_is_refused():
    device = Device(rectangle(METAL, 2.0, 1.0), [Contact("a", "left", current=1.0), Contact("b", "right")])
    with pytest.raises(ValueError, match="no contact fixes the potential.*potential=0.0"):
        solve(device)


def test_a_floating_region_is_refused():
    device = Device(two_squares(), [Contact("a", (0, 0, 0, 1), potential=1.0), Contact("b", (1, 1, 0, 1), potential=0.0)])
    with pytest.raises(ValueError, match="floating part of the mesh around \\[2.5, 0.5\\]"):
        solve(device)


def test_a_degenerate_mesh_is_refused():
    with pytest.raises(ValueError, match="degenerate mesh: element 1 .* zero area"):
        triangle_mesh([(0, 0), (1, 0), (0, 1), (2, 0)], [(0, 1, 2), (0, 1, 3)], METAL)
    with pytest.raises(ValueError, match="zero length"):  # a 1D mesh with a repeated node
        Geometry(skfem.MeshLine(np.array([0.0, 1.0, 1.0])), (METAL,), np.zeros(2, int), (0,))
    square = [(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5)]
    # a repeated triangle (it hid the edges it covers: the contacts found no boundary there) and one folded
    # over its neighbour's edge count their area twice
    for cells in ([(0, 1, 2), (0, 2, 3), (2, 1, 0)], [(0, 1, 2), (0, 2, 3), (0, 1, 4)]):
        with pytest.raises(ValueError, match="degenerate mesh: triangles \\[0, 2\\] overlap .* nodes 0 and 1"):
            triangle_mesh(square, cells, METAL)


def test_a_contact_outside_the_domain_is_refused():
    device = Device(rectangle(METAL, 2.0, 1.0), [Contact("far", (5, 6, 5, 6), potential=0.0)])
    with pytest.raises(ValueError, match="contact 'far'.*selects no boundary edge.*bounding box"):
        solve(device)


def test_a_forbidden_tensor_component_is_refused():
    with pytest.raises(ValueError, match="gamma_xx.*forbidden by point group C4v"):
        Material(D=1.0, Gamma=1.0, gamma=np.diag([0.1, 0.1, 0]), group="C4v")


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Device(segment(METAL, 1.0), electric_field=(1, 0, 0)), "perpendicular to the mesh"),
        (lambda: Contact("x", "left", polarization=0.5), "needs a finite conductance"),
        (lambda: Contact("x", "left", conductance=1.0, polarization=2.0), "polarization must lie in"),
        (lambda: MagneticInsulator("left", g_r=-1.0), "g_r must be"),
        (lambda: solve(Device(rectangle(METAL, 1, 1), [Contact("a", "left", potential=0), Contact("b", "left")])), "overlap"),
        (lambda: solve(Device(rectangle(METAL, 1, 1), [Contact("a", "middle", potential=0)])), "is not one of"),
        (lambda: solve(Device(rectangle(METAL, 1, 1), [Contact("a", "left", potential=0)]), element="P3"), "'P1' or 'P2'"),
        (lambda: solve_transient(Device(segment(METAL, 1.0)), t_end=1.0, dt=0.3), "whole number of steps"),
    ],
)
def test_other_bad_input_names_the_parameter(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.floats(-2, 2), st.floats(0.1, 3))
def test_any_valid_set_up_conserves_charge_and_gives_finite_fields(seed, current, conductance):
    m = random_material(seed)
    contacts = [Contact("a", "left", current=current), Contact("b", "right", potential=0.0),
                Contact("c", "top", conductance=conductance, polarization=0.3), Contact("d", "bottom")]  # fmt: skip
    result = solve(Device(cross(m, 1.0, 1.0, h=0.25), contacts))
    assert all(np.all(np.isfinite(v)) for v in (result.mu, result.S, result.j, result.j_s))
    assert abs(result.terminal_current.sum()) < 1e-11 * (1 + abs(current))


def test_results_round_trip_the_store_and_plot(tmp_path):
    device = Device(rectangle(METAL, 2.0, 1.0, h=0.25), [Contact("s", "left", potential=1.0), Contact("d", "right", potential=0.0)])
    store = ResultStore(tmp_path)
    for key, result in (("steady", solve(device)), ("transient", solve_transient(device, t_end=0.2, dt=0.1))):
        ds = result.to_dataset()
        assert not [d for d in ds.dims if "_dim" in d]
        store.save("diffusion", key, ds, {}, {})
        back = store.load("diffusion", key)
        back.attrs = {k: v for k, v in back.attrs.items() if not k.startswith("spincharge_")}
        xr.testing.assert_identical(ds, back)
    ds = solve(device).to_dataset()
    assert ds["j_s"].dims == ("direction", "component", "node") and list(ds["terminal"].values) == ["s", "d"]
    ax = plot_map(solve(device), "S_z", arrows="j")
    assert ax.get_xlabel() == "x"


def test_plot_map_colour_bar_carries_units_and_the_scale():
    device = Device(rectangle(METAL, 2.0, 1.0, h=0.25), [Contact("s", "left", potential=1.0), Contact("d", "right", potential=0.0)])
    result = solve(device)
    default = plot_map(result, "mu", arrows=None)
    assert default.figure.axes[-1].get_ylabel() == "mu (E0)"
    assert plot_map(result, "j_x", arrows=None).figure.axes[-1].get_ylabel() == "j_x (D E0 / L0)"
    scaled = plot_map(result, "mu", arrows=None, scale=0.5, label="mu / (V / 2)")
    assert scaled.figure.axes[-1].get_ylabel() == "mu / (V / 2)"
    # the colours are the field divided by the scale: the potential spans [0, 1], so [0, 2] at scale 1/2
    lo, hi = scaled.collections[0].get_array().min(), scaled.collections[0].get_array().max()
    assert abs(lo) < 1e-9 and abs(hi - 2.0) < 1e-9
    with pytest.raises(ValueError, match="scale"):
        plot_map(result, "mu", scale=0.0)


def test_the_iterative_solver_agrees_with_the_direct_one():
    m = random_material(21, scale=0.2)
    contacts = [Contact("s", "left", potential=1.0), Contact("d", "right", potential=0.0),
                Contact("p", "top", conductance=1.0, polarization=0.5, magnetization=(1, 0, 0))]  # fmt: skip
    device = Device(cross(m, 1.5, 1.0, h=0.1), contacts)
    direct, iterative = solve(device), solve(device, solver="iterative", tol=1e-12)
    assert iterative.residual < 1e-11
    scale = np.max(np.abs(direct.S))
    assert np.max(np.abs(iterative.S - direct.S)) < 1e-9 * scale
    np.testing.assert_allclose(iterative.terminal_current, direct.terminal_current, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "geometry, area",
    [
        (lambda: hall_bar(METAL, 4.0, 1.0, arm_width=0.5, arm_length=1.0, arm_positions=(0.25, 0.75), h=0.125), 4.0 + 4 * 0.5),
        (lambda: h_bar(METAL, leg_length=3.0, leg_width=0.5, separation=2.0, bridge_width=0.5, h=0.125), 2 * 1.5 + 1.5 * 0.5),
        (lambda: cross(METAL, 1.0, 0.5, h=0.125), 2.5 * 0.5 * 2 - 0.25),
    ],
)
def test_shapes_made_of_rectangles_are_conforming_and_conduct(geometry, area):
    """Each shape's triangles tile its area, it is one connected region, and a current through it is
    conserved (the mesh is conforming where rectangles meet)."""
    g = geometry()
    p, t = g.mesh.p, g.mesh.t
    a, b, c = (p[:, t[i]] for i in range(3))
    assert np.sum(0.5 * np.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))) == pytest.approx(area)
    assert g.components()[0] == 1
    result = solve(Device(g, [Contact("s", "left", potential=1.0), Contact("d", "right", potential=0.0)]))
    assert result.current("s") > 0 and abs(result.terminal_current.sum()) < 1e-12


def test_p2_elements_give_the_same_terminal_current_as_fine_p1():
    device = lambda h: Device(cross(METAL, 1.0, 0.5, h=h), [Contact("s", "left", potential=1.0), Contact("d", "bottom", potential=0.0)])  # noqa: E731
    p2 = solve(device(0.125), element="P2").current("s")
    p1 = solve(device(0.03125)).current("s")
    assert p2 == pytest.approx(p1, rel=5e-3)
