"""The finite elements against the paper's equations: coefficient tensors, a manufactured solution
(observed convergence order) and an independent finite-difference discretisation (paper 003, S10-S13)."""

import numpy as np
import pytest
import sympy as sp

from spincharge.diffusion import Device, Fixed, operator_tensors, rectangle, solve
from spincharge.materials import Material

from .paper_equations import finite_difference_rectangle, paper_currents, paper_torque, probe_tensors


def random_material(seed, scale=0.3):
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(3, 3))
    return Material(
        D=1.0, Gamma=0.5 * np.eye(3) + 0.2 * g @ g.T, alpha=scale * rng.normal(size=(3, 3)),
        gamma=scale * rng.normal(size=(3, 3)), theta=scale * rng.normal(size=(3, 3)),
        kappa=scale * rng.normal(size=(3, 3)), h=rng.normal(size=3),
    )  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_operator_tensors_equal_the_transcription_of_s10_to_s13(seed):
    m = random_material(seed)
    for ours, theirs in zip(operator_tensors(m), probe_tensors(m)):
        np.testing.assert_allclose(ours, theirs, atol=1e-14)


X, Y = sp.symbols("x y")
EXACT = [sp.sin(1.3 * X) * sp.cosh(0.7 * Y), sp.cos(0.9 * X + 0.4 * Y), sp.sin(0.5 * X) * sp.sin(1.1 * Y), sp.exp(0.3 * X - 0.5 * Y)]


def manufactured(m):
    """Exact u and the source f = d_k J_k - torque of S10-S13 for it, by sympy from the transcription."""
    du = [[sp.diff(e, X) for e in EXACT], [sp.diff(e, Y) for e in EXACT], [0] * 4]
    j, js = paper_currents(m, EXACT, du)
    flux = [j] + [[js[k][l] for k in range(3)] for l in range(3)]
    torque = paper_torque(m, EXACT, du)
    f = [sp.diff(flux[a][0], X) + sp.diff(flux[a][1], Y) - torque[a] for a in range(4)]
    exact = sp.lambdify((X, Y), EXACT, "numpy")
    source = sp.lambdify((X, Y), f, "numpy")

    def as_array(fun):
        return lambda xy: np.array([np.broadcast_to(v, xy[0].shape) for v in fun(xy[0], xy[1])], dtype=float)

    return as_array(exact), as_array(source)


def manufactured_errors(element, sizes, seed=3):
    m = random_material(seed)
    exact, source = manufactured(m)
    errors = []
    for h in sizes:
        geometry = rectangle(m, 2.0, 1.5, h=h)
        bc = Fixed(lambda mid: np.ones(mid.shape[1], bool), mu=lambda xy: exact(xy)[0], S=lambda xy: exact(xy)[1:])
        result = solve(Device(geometry, [bc], source=source), element=element)
        u = np.vstack([result.mu, result.S])
        errors.append(np.sqrt(np.mean((u - exact(result.coordinates.T)) ** 2)))
    return np.array(errors)


def test_p1_converges_at_second_order_to_a_manufactured_solution():
    sizes = [0.25, 0.125, 0.0625]
    errors = manufactured_errors("P1", sizes)
    order = np.log2(errors[:-1] / errors[1:])
    assert errors[-1] < 2e-3
    assert np.all((order > 1.85) & (order < 2.3)), order


def test_p2_converges_at_third_order_or_better():
    errors = manufactured_errors("P2", [0.5, 0.25, 0.125])
    order = np.log2(errors[:-1] / errors[1:])
    assert errors[-1] < 1e-4
    assert np.all(order > 2.8), order


def test_finite_differences_agree_with_the_finite_elements():
    """Dirichlet rectangle driven by mu = -E x on its boundary, S = 0 there, every tensor non-zero: two
    discretisations of different kinds converge to one solution (difference falls ~4x per halving)."""
    m = random_material(5)
    lx, ly, E = 2.0, 1.0, 1.0
    differences = []
    for n in (16, 32):
        x, y, u_fd = finite_difference_rectangle(m, lx, ly, n, n // 2, lambda x, y: np.array([-E * x, 0, 0, 0]))
        geometry = rectangle(m, lx, ly, h=lx / n)
        bc = Fixed(lambda mid: np.ones(mid.shape[1], bool), mu=lambda xy: -E * xy[0], S=(0, 0, 0))
        result = solve(Device(geometry, [bc]))
        pts = result.coordinates
        ix = np.rint(pts[:, 0] / (lx / n)).astype(int)
        iy = np.rint((pts[:, 1] + ly / 2) / (ly / (n // 2))).astype(int)
        u_fem = np.vstack([result.mu, result.S])
        differences.append(np.max(np.abs(u_fem - u_fd[:, ix, iy])) / np.max(np.abs(u_fd[1:])))
    assert np.max(np.abs(u_fd[1:])) > 0.01  # the spin is driven (spin Hall, Edelstein) and non-trivial
    assert differences[1] < 0.01
    assert differences[1] < 5e-3  # measured 2.7e-3 (n = 32), 1.1e-2 (n = 16)
    assert differences[0] / differences[1] > 3.0, differences
