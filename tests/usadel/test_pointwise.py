"""The compiled spinful residual and its exact Jacobian (``usadel.pointwise``) against ``usadel.riccati``.

``riccati.residual`` is itself checked against the 4x4 operator in 30-digit arithmetic (``test_riccati``);
here the compiled residual must equal it, its forward-mode Jacobian must equal central differences of it,
and Newton on the assembled junction system must converge quadratically (an inexact Jacobian converges
linearly)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spincharge.usadel import pointwise, riccati
from spincharge.usadel.junction import Layer, Reservoir, _Stack, junction

_FIELDS = {"none": {}, "gauge": {"gauge": 1}, "relaxation": {"relaxation": 1}, "gamma": {"gamma": 1},
           "all": {"gauge": 1, "relaxation": 1, "gamma": 1}}


def _state(seed, scale, count=40):
    """Random unknowns, both signs of omega, h, a pair potential varying over the nodes, and every field."""
    rng = np.random.default_rng(seed)

    def cm(*shape):
        return scale * (rng.normal(size=shape) + 1j * rng.normal(size=shape))

    u, du, d2u = cm(count, 8), cm(count, 8), cm(count, 8)
    s = np.where(rng.random(count) > 0.5, 1.0, -1.0)[:, None, None]
    omega = s * (0.05 + rng.random((count, 1, 1)))
    x11 = omega * np.eye(2) + 1j * riccati.spin_matrix(rng.normal(size=3))
    pair = (rng.random((count, 1, 1)) + 0.2) * np.exp(1j * rng.normal(size=(count, 1, 1)))
    local = (x11, pair * np.eye(2), np.conj(pair) * np.eye(2), -x11)
    relaxation = rng.normal(size=(3, 3))
    fields = {"gauge": riccati.spin_matrix(0.5 * rng.normal(size=3)), "relaxation": 0.2 * relaxation @ relaxation.T,
              "gamma": tuple(0.5 * rng.normal(size=3))}
    return u, du, d2u, s, local, 0.7 + rng.random(), fields


def _numpy_residual(u, du, d2u, s, local, diffusion, **fields):
    def split(v):
        return v[..., :4].reshape(v.shape[:-1] + (2, 2)), v[..., 4:].reshape(v.shape[:-1] + (2, 2))

    (a, b), (da, db), (d2a, d2b) = split(u), split(du), split(d2u)
    Fa, Fb = riccati.residual(a, b, da, db, d2a, d2b, s, local, diffusion, **fields)
    return np.concatenate([Fa.reshape(u.shape[:-1] + (4,)), Fb.reshape(u.shape[:-1] + (4,))], -1)


def _chosen(fields, name):
    return {key: fields[key] for key in _FIELDS[name]}


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.floats(0.05, 0.6), name=st.sampled_from(sorted(_FIELDS)))
def test_compiled_residual_equals_the_riccati_residual(seed, scale, name):
    u, du, d2u, s, local, diffusion, fields = _state(seed, scale)
    fields = _chosen(fields, name)
    expected = _numpy_residual(u, du, d2u, s, local, diffusion, **fields)
    compiled = pointwise.residual(u, du, d2u, s, local, diffusion, **fields)
    assert np.max(np.abs(compiled - expected)) < 1e-12 * np.max(np.abs(expected))
    value, _, _ = pointwise.jacobian(u, du, d2u, s, local, diffusion, **fields)
    assert np.max(np.abs(value - compiled)) < 1e-13 * np.max(np.abs(expected))


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.floats(0.05, 0.6), name=st.sampled_from(["gamma", "all", "none"]))
def test_exact_jacobian_equals_central_differences(seed, scale, name):
    """dF/du and dF/du' against central differences (step 1e-5, truncation ~1e-10) of ``riccati.residual``."""
    u, du, d2u, s, local, diffusion, fields = _state(seed, scale, count=12)
    fields = _chosen(fields, name)
    _, jac_u, jac_du = pointwise.jacobian(u, du, d2u, s, local, diffusion, **fields)
    step = 1e-5
    for exact, slot in ((jac_u, 0), (jac_du, 1)):
        columns = []
        for e in np.eye(8):
            plus, minus = [u, du, d2u], [u, du, d2u]
            plus[slot], minus[slot] = plus[slot] + step * e, minus[slot] - step * e
            columns.append((_numpy_residual(*plus, s, local, diffusion, **fields)
                            - _numpy_residual(*minus, s, local, diffusion, **fields)) / (2 * step))
        differences = np.stack(columns, -1)
        assert np.max(np.abs(exact - differences)) < 1e-7 * np.max(np.abs(differences))


def _every_tensor_layer(length=2.0):
    rng = np.random.default_rng(10)
    relaxation = rng.normal(size=(3, 3))
    return Layer(length, diffusion=1.1, exchange=(0.2, -0.3, 0.1), relaxation=tuple(map(tuple, 0.05 * relaxation @ relaxation.T)),
                 gauge=tuple(0.3 * rng.normal(size=3)), gamma=tuple(0.3 * rng.normal(size=3)))


def test_newton_on_the_assembled_system_converges_quadratically():
    """Full Newton (a fresh Jacobian every step) on an S/N/S stack with every 1D tensor and transparent ends
    (whose conditions u = u_reservoir are linear, so every row of the Jacobian is exact): once the step is
    below 1e-2 the next one is below 10 step^2 (an error e in the Jacobian would leave a linear rate ~ e)."""
    omega = np.array([0.09, 0.27, 0.8], dtype=complex)
    stack = _Stack([_every_tensor_layer()], (Reservoir(gap=1.0), Reservoir(gap=1.0)), np.zeros(2), 16, 2, omega,
                   np.full(3, 1.3), (1.0, 1.0))
    z = np.zeros((3, 1, 17, 8), dtype=complex)
    steps = []
    for _ in range(8):
        F = stack.residual(z).reshape(3, -1)
        step = np.linalg.solve(stack.jacobian(z), -F[..., None])[..., 0]
        z += step.reshape(z.shape)
        steps.append(np.max(np.abs(step), axis=1))
        if np.all(steps[-1] < 1e-13):
            break
    steps = np.array(steps)
    pairs = [(before, after) for before, after in zip(steps[:-1].ravel(), steps[1:].ravel()) if 1e-9 < before < 1e-2]
    assert len(pairs) >= 3
    assert all(after < 10 * before**2 + 1e-14 for before, after in pairs)
    assert np.max(np.abs(stack.residual(z))) < 1e-10


def test_matrix_current_in_blocks_equals_the_4x4_product():
    """``riccati.matrix_current_4x4`` (2x2 blocks) against M [[0, 2N K_a], [-2Nt K_b, 0]] M^-1 with 4x4 matmul."""
    rng = np.random.default_rng(2)
    a, b, Ka, Kb = (0.5 * (rng.normal(size=(300, 2, 2)) + 1j * rng.normal(size=(300, 2, 2))) for _ in range(4))
    N, Nt = riccati.normalisers(a, b)
    one = np.broadcast_to(np.eye(2), a.shape)
    M = riccati.nambu(one, a, b, -one)
    direct = M @ riccati.nambu(0 * Ka, 2 * N @ Ka, -2 * Nt @ Kb, 0 * Kb) @ np.linalg.inv(M)
    assert np.max(np.abs(riccati.matrix_current_4x4(a, b, Ka, Kb) - direct)) < 1e-14 * np.max(np.abs(direct))


def test_kept_lu_factors_solve_and_flag_singular_systems():
    from spincharge.usadel.junction import _Factored

    rng = np.random.default_rng(5)
    matrices = rng.normal(size=(3, 6, 6)) + 1j * rng.normal(size=(3, 6, 6))
    matrices[1] = 0.0  # singular
    rhs = rng.normal(size=(3, 6)) + 0j
    expected = [np.linalg.solve(matrices[i], rhs[i]) for i in (0, 2)]
    factored = _Factored(matrices.copy())
    step = factored.solve(rhs)
    assert np.allclose(step[0], expected[0], atol=1e-12) and np.allclose(step[2], expected[1], atol=1e-12)
    assert np.all(np.isnan(step[1]))
    assert np.allclose(factored[np.array([2])].solve(rhs[2:])[0], expected[1], atol=1e-12)


def test_every_tensor_junction_with_kupriyanov_lukichev_ends_converges_in_the_grid():
    """S/N/S with every 1D tensor and h in N, KL interfaces r = 0.2 at both ends (their rows by differences, the
    bulk rows exact): two collocation grids agree within the solver's own error estimate, and the current is
    the same at every node (an exact solution conserves it)."""
    layer = _every_tensor_layer(1.5)
    phases = np.array([-2.0, 0.7, 2.2])
    coarse, fine = (junction(layer, 0.2, phases, interfaces=[0.2, 0.2], points=p) for p in (16, 28))
    scale = np.max(np.abs(fine.current))
    assert scale > 1e-2
    assert np.all(np.abs(coarse.current - fine.current) <= coarse.error + 1e-12)
    assert np.max(fine.grid_error) < 1e-8 * scale
    assert np.max(np.abs(coarse.current - fine.current)) < 1e-6 * scale
