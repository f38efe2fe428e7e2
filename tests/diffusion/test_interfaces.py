"""Interfaces between two materials in 2D meshes (issue 9, item 3): doubled nodes along the internal edge,
the current G4 (u_1 - u_2) integrated over the interface facets (docs/conventions.md, "Spin-charge
diffusion", interfaces). Witnesses: the exact layered solver (spin-independent interface resistance and a
spin-active interface), charge conservation, Onsager reciprocity, the transmission-line model of a contact."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spincharge.diffusion import Contact, Device, Interface, modal, rectangles, resistance, solve, triangle_mesh
from spincharge.materials import Material

A = Material(D=1.0, Gamma=2.0, h=(0, 0, 0.4))
B = Material(D=2.5, Gamma=0.8)
WIDTH, L1, L2 = 0.2, 1.0, 1.5
INJECTOR = dict(conductance=2.0, polarization=0.5, magnetization=(1, 0, 0))
CASES = {
    "resistance": (Interface(1 / 0.7), dict(interface_resistance=[0.7])),
    "spin-active": (Interface(1.5, 0.6, (0, 1, 1)), dict(interfaces=[Interface(1.5, 0.6, (0, 1, 1))])),
}


def _strip(h, interface, element="P1", rotation=None):
    """A strip (uniform across its width) of A then B, joined by ``interface``, with a ferromagnetic
    contact at x = 0 (spin injection) and a spin sink at x = L1 + L2; ``rotation``: the same strip turned
    by that angle and meshed through triangle_mesh (a slanted interface)."""
    geometry = rectangles([(0, L1, -WIDTH / 2, WIDTH / 2), (L1, L1 + L2, -WIDTH / 2, WIDTH / 2)], [A, B], h=h,
                          interfaces={(0, 1): interface})  # fmt: skip
    left, right = "left", "right"
    if rotation is not None:
        plain = rectangles([(0, L1, -WIDTH / 2, WIDTH / 2), (L1, L1 + L2, -WIDTH / 2, WIDTH / 2)], [A, B], h=h)
        c, s = np.cos(rotation), np.sin(rotation)
        points = plain.mesh.p.T @ np.array([[c, s], [-s, c]])
        geometry = triangle_mesh(points, plain.mesh.t.T, [A, B], material_index=plain.material_index,
                                 interfaces={(0, 1): interface})  # fmt: skip
        # the two ends of the turned strip: facets whose midpoint projects onto x' = 0 or x' = L1 + L2
        left = lambda mid: np.abs(mid[0] * c + mid[1] * s) < 1e-9  # noqa: E731
        right = lambda mid: np.abs(mid[0] * c + mid[1] * s - L1 - L2) < 1e-9  # noqa: E731
    device = Device(geometry, [Contact("l", left, potential=1.0, **INJECTOR), Contact("r", right, potential=0.0)])
    return solve(device, element=element)


def _exact(kwargs):
    return modal.solve_layers([modal.Layer(A, L1), modal.Layer(B, L2)], axis="x", points_per_layer=5001,
                              left=modal.TunnelContact(potential=1.0, **INJECTOR), right=modal.Ohmic(0.0),
                              **kwargs)  # fmt: skip


def _error(result, exact, rotation=None):
    """Largest nodal deviation of (mu, S) from the exact solution (each side of the interface from its own
    layer), relative to the largest field; nodes on the interface are skipped (they are doubled)."""
    x = result.coordinates[:, 0] if rotation is None else result.coordinates @ [np.cos(rotation), np.sin(rotation)]
    keep = np.abs(x - L1) > 1e-9
    x = x[keep]
    fem = np.vstack([result.mu[keep], result.S[:, keep]])
    sides = [exact.layer == k for k in (0, 1)]
    ref = np.array([np.where(x < L1, np.interp(x, exact.s[sides[0]], f[sides[0]]), np.interp(x, exact.s[sides[1]], f[sides[1]]))
                    for f in [exact.mu, *exact.spin.T]])  # fmt: skip
    return np.abs(fem - ref).max() / np.abs(ref).max()


@pytest.mark.parametrize("case", sorted(CASES))
def test_strip_with_an_interface_equals_the_exact_layered_solution(case):
    """P1 at second order, P2 at third, against solve_layers with the same interface; the interface's
    charge and spin currents against the exact ones at the interface. Measured (h = 0.1, 0.05): P1
    8.6e-5, 2.2e-5 (order 1.97) for the resistance, 7.6e-5, 2.0e-5 spin-active; P2 at h = 0.1: 1.5e-6."""
    interface, kwargs = CASES[case]
    exact = _exact(kwargs)
    errors = [_error(_strip(h, interface), exact) for h in (0.1, 0.05)]
    assert errors[1] < 3e-5 and 3.6 < errors[0] / errors[1] < 4.4
    result = _strip(0.1, interface, element="P2")
    assert _error(result, exact) < 3e-6
    k = np.flatnonzero(exact.layer == 0)[-1]  # the interface, left side
    np.testing.assert_allclose(result.interface_current[0], WIDTH * exact.current[k, 0], rtol=1e-6)
    np.testing.assert_allclose(result.interface_spin_current[0], WIDTH * exact.spin_current[k, 0], rtol=1e-5, atol=1e-9)


def test_slanted_interface_of_a_turned_triangle_mesh_gives_the_same_fields():
    """The spin-active strip turned by 35 degrees (isotropic materials without spin-orbit terms, so the
    spin fields do not turn): the interface runs diagonally through the triangle_mesh, and the fields
    along the strip still match the exact solution at second order."""
    interface, kwargs = CASES["spin-active"]
    exact = _exact(kwargs)
    errors = [_error(_strip(h, interface, rotation=np.radians(35)), exact, np.radians(35)) for h in (0.1, 0.05)]
    assert errors[1] < 3e-5 and errors[0] / errors[1] > 3.6


def test_charge_crosses_the_interface_without_loss():
    """The charge current through the interface (G4 (u_1 - u_2) integrated over its facets) equals the
    current into the device and out of it, to solver precision, also where the current is not uniform
    (an L-shaped device with the contact on a side arm and spin-orbit terms)."""
    metal = Material(D=1.0, Gamma=1.5, theta=0.2, h=(0.3, 0, 0.2))
    ferro = Material(D=0.7, Gamma=3.0)
    boxes = [(0, 2, 0, 0.5), (1.5, 2, 0.5, 1.5)]
    geometry = rectangles(boxes, [metal, ferro], h=0.05, interfaces={(0, 1): Interface(0.8, 0.7, (0, 0, 1))})
    device = Device(geometry, [Contact("a", "left", potential=1.0), Contact("b", "top", potential=0.0)])
    result = solve(device)
    current = result.current("a")
    assert result.interface == ("box 0|1",)
    assert abs(result.interface_current[0] - current) < 1e-12 * abs(current)
    assert abs(result.current("b") + current) < 1e-12 * abs(current)
    assert np.abs(result.interface_spin_current).max() > 1e-3 * abs(current)  # a spin-active interface


def _conductance_matrix(h, m):
    """G_ij = dI_i/dV_j of a three-terminal 2D device: a spin-orbit channel with a ferromagnetic region
    on top, joined by a spin-active interface along m; the channel precesses in the field h."""
    channel = Material(D=1.0, Gamma=1.0, h=h, theta=0.15, gamma=[[0, 0.2, 0], [-0.2, 0, 0], [0, 0, 0]])
    ferro = Material(D=0.5, Gamma=4.0, h=2 * np.asarray(h))
    geometry = rectangles([(0, 2, 0, 0.5), (0.75, 1.25, 0.5, 1.0)], [channel, ferro], h=0.125,
                          interfaces={(0, 1): Interface(1.2, 0.6, m)})  # fmt: skip
    terminals = ["left", "right", "top"]
    matrix = np.zeros((3, 3))
    for j in range(3):
        contacts = [Contact(n, n, potential=float(i == j)) for i, n in enumerate(terminals)]
        matrix[:, j] = solve(Device(geometry, contacts)).terminal_current
    return matrix


vectors = st.lists(st.floats(-1, 1), min_size=3, max_size=3).filter(lambda v: np.linalg.norm(v) > 0.1)


@settings(max_examples=6, deadline=None)
@given(h=vectors, m=vectors)
def test_onsager_reciprocity_with_a_spin_active_interface(h, m):
    """G_ij(h, m) = G_ji(-h, -m) (Onsager-Casimir; h and m odd under time reversal), the columns sum to
    zero (charge conservation), and the interface's spin polarisation makes G depend on m."""
    forward, backward = _conductance_matrix(np.array(h), m), _conductance_matrix(-np.array(h), -np.array(m))
    scale = np.abs(forward).max()
    np.testing.assert_allclose(forward, backward.T, atol=1e-12 * scale)
    np.testing.assert_allclose(forward.sum(axis=0), 0.0, atol=1e-12 * scale)


def test_onsager_test_is_sensitive_to_the_magnetisation():
    """The reciprocity above is not trivial: without reversing m, G is not symmetric."""
    h, m = np.array([0.3, -0.5, 0.4]), (0.2, 0.9, -0.4)
    forward, same_m = _conductance_matrix(h, m), _conductance_matrix(-h, m)
    assert np.abs(forward - same_m.T).max() > 1e-4 * np.abs(forward).max()


@pytest.mark.parametrize(("thickness", "tolerance"), [(0.02, 1e-3), (0.01, 4e-4)])
def test_current_crowding_under_a_contact_follows_the_transmission_line_model(thickness, tolerance):
    """A thin film (thickness t, D = 1) in the xz plane with a near-equipotential pad (D = 1e4) on its last
    stretch Lc, joined by an interface of specific resistance rho_c: the current crowds into the pad's
    front edge over the transfer length L_T = sqrt(rho_c / R_sh), R_sh = 1 / (D t), and the resistance
    is x0 R_sh + sqrt(rho_c R_sh) coth(Lc / L_T) (the transmission-line model, Berger, J. Electrochem.
    Soc. 119, 507 (1972); exact as t / L_T -> 0). Measured deviations 6.8e-4 (t = 0.02, L_T = 0.2) and
    2.3e-4 (t = 0.01): the 2D solution approaches the model as the film thins."""
    film, pad = Material(D=1.0, Gamma=1.0), Material(D=1e4, Gamma=1.0)
    x0, lc, rho_c = 0.3, 0.5, 2.0
    geometry = rectangles([(0, x0 + lc, 0, thickness), (x0, x0 + lc, thickness, thickness + 0.05)], [film, pad],
                          h=thickness / 2, axes="xz", interfaces={(0, 1): Interface(1 / rho_c)})  # fmt: skip
    result = solve(Device(geometry, [Contact("in", "left", potential=1.0), Contact("out", "top", potential=0.0)]))
    sheet = 1 / thickness
    transfer = np.sqrt(rho_c / sheet)
    model = x0 * sheet + np.sqrt(rho_c * sheet) / np.tanh(lc / transfer)
    assert abs(1 / result.current("in") / model - 1) < tolerance
    # a continuous pad (no interface resistance) would short the stretch under it: far below the model
    continuous = rectangles([(0, x0 + lc, 0, thickness), (x0, x0 + lc, thickness, thickness + 0.05)], [film, pad],
                            h=thickness / 2, axes="xz")  # fmt: skip
    shorted = solve(Device(continuous, [Contact("in", "left", potential=1.0), Contact("out", "top", potential=0.0)]))
    assert 1 / shorted.current("in") < 0.7 * model


def test_bad_interfaces_are_refused():
    with pytest.raises(ValueError, match="box 0 and box 1 share no edge"):
        rectangles([(0, 1, 0, 1), (2, 3, 0, 1), (1, 2, 0, 1)], A, h=0.5, interfaces={(0, 1): Interface(1.0)})
    with pytest.raises(ValueError, match="two different box numbers among \\[0, 1\\]"):
        rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], A, h=0.5, interfaces={(0, 2): Interface(1.0)})
    with pytest.raises(ValueError, match="must be an Interface or None"):
        rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], A, h=0.5, interfaces={(0, 1): 3.0})
    with pytest.raises(ValueError, match="interfaces must be a mapping"):
        rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], A, h=0.5, interfaces=[Interface(1.0)])
    with pytest.raises(ValueError, match="interface_resistance or interfaces, not both"):
        modal.solve_layers([modal.Layer(A, 1.0), modal.Layer(B, 1.0)], left=modal.Ohmic(1.0), right=modal.Ohmic(0.0),
                           interface_resistance=[1.0], interfaces=[None])  # fmt: skip


def test_a_continuous_key_keeps_the_nodes_shared_and_contacts_skip_the_interface():
    """``None`` is continuity (no doubled nodes); a contact box that touches the interface selects only
    outer edges (the interface's two sides are boundary facets of the split mesh, not device edges)."""
    plain = rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], [A, B], h=0.25)
    same = rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], [A, B], h=0.25, interfaces={(0, 1): None})
    split = rectangles([(0, 1, 0, 1), (1, 2, 0, 1)], [A, B], h=0.25, interfaces={(1, 0): Interface(2.0)})
    assert same.mesh.nvertices == plain.mesh.nvertices and split.mesh.nvertices == plain.mesh.nvertices + 5
    inside = Device(split, [Contact("a", (0.95, 1.05, 0.1, 0.9), potential=1.0), Contact("b", "right", potential=0.0)])
    with pytest.raises(ValueError, match="selects no boundary edge"):
        solve(inside)  # the box holds the interface only
    result = solve(Device(split, [Contact("a", "left", potential=1.0), Contact("b", "right", potential=0.0)]))
    assert result.interface == ("box 1|0",)  # side 1 is box 1: the current flows from box 0 to box 1
    assert result.interface_current[0] == pytest.approx(-result.current("a"), rel=1e-12)
    assert 1 / result.current("a") == pytest.approx(1 / 1.0 + 1 / 2.0 + 1 / 2.5, rel=1e-12)  # series resistances


def test_an_interface_ending_at_a_triple_point_leaves_no_other_crack():
    """Boxes 0 | 1 joined by an interface along x = 1, 0 < y < 1, and box 2 on top of both, continuous
    with each: the node at the triple point (1, 1) stays shared, the other four interface nodes are
    doubled, and the split mesh's boundary gains exactly the interface's two sides (4 + 4 edges)."""
    boxes = [(0, 1, 0, 1), (1, 2, 0, 1), (0, 2, 1, 2)]
    plain = rectangles(boxes, [A, B, A], h=0.25)
    split = rectangles(boxes, [A, B, A], h=0.25, interfaces={(0, 1): Interface(2.0)})
    assert split.mesh.nvertices == plain.mesh.nvertices + 4
    assert len(split.mesh.boundary_facets()) == len(plain.mesh.boundary_facets()) + 8
    result = solve(Device(split, [Contact("a", "left", potential=1.0), Contact("b", "right", potential=0.0)]))
    assert abs(result.current("a") + result.current("b")) < 1e-12 * abs(result.current("a"))
    assert 0 < result.interface_current[0] < result.current("a")  # part of the current goes round through box 2


def test_lateral_nonlocal_spin_valve_with_ferromagnetic_regions_matches_the_1d_channel():
    """A 2D lateral spin valve: a channel (width 0.1 lambda, field for Hanle precession at 1.2 / tau) with two
    ferromagnetic regions (0.05 wide, 0.025 thick, contacts on top) joined to its edge by spin-active
    interfaces (G = 0.05 per length, P = 0.4, m along x). R_NL = V_det - V_ref per unit current equals the
    1D channel with tunnel contacts of the same total conductance (solve_layers; per unit area G wF / w,
    current 1 / w) within 2.1e-3, and reverses exactly (1e-8) with the detector's magnetisation. With strong
    interfaces (G = 2) the 2D device falls 8-11% below the 1D model: the ferromagnetic layer's own spin
    resistance and the non-uniform absorption across the contact, shrinking as the layer thins
    (docs/conventions.md)."""
    lam, p, separation, half, w, wf, la, g, larmor = 1.0, 0.4, 1.5, 6.0, 0.1, 0.05, 0.025, 0.05, 1.2
    channel, ferro = Material(D=1.0, Gamma=1.0 / lam**2, h=(0, 0, larmor / 2)), Material(D=1.0, Gamma=1.0)
    exact = modal.solve_layers([modal.Layer(channel, 2 * half + separation)], axis="x", left=modal.Ohmic(0.0),
                               right=modal.Insulating(), points_per_layer=2,
                               contacts=[(half, modal.TunnelContact(g * wf / w, p, (1, 0, 0), current=1.0 / w)),
                                         (half + separation, modal.TunnelContact(g * wf / w, p, (1, 0, 0), current=0.0))])  # fmt: skip
    expected = exact.terminal_potential[3] - exact.terminal_potential[1]
    top = w / 2 + la
    boxes = [(-half, separation + half, -w / 2, w / 2), (-wf / 2, wf / 2, w / 2, top),
             (separation - wf / 2, separation + wf / 2, w / 2, top)]  # fmt: skip
    contacts = [Contact("inj", (-wf, wf, top, top)), Contact("det", (separation - wf, separation + wf, top, top)),
                Contact("ground", "left"), Contact("ref", "right")]  # fmt: skip
    signals = []
    for detector in ((1, 0, 0), (-1, 0, 0)):
        geometry = rectangles(boxes, [channel, ferro, ferro], h=0.025,
                              interfaces={(1, 0): Interface(g, p, (1, 0, 0)), (2, 0): Interface(g, p, detector)})  # fmt: skip
        signals.append(resistance(Device(geometry, contacts), source="inj", drain="ground", plus="det", minus="ref").resistance)
    assert abs(signals[0] + signals[1]) < 1e-6 * abs(signals[0])
    assert abs(signals[0] / expected - 1) < 3e-3  # measured -2.1e-3 (h = 0.025), -1.4e-3 (h = 0.0125)
