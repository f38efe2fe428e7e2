"""The Riccati component equations (``usadel.riccati``) against the full 4x4 operator (``usadel.operator``)."""

import mpmath as mp
import numpy as np
import pytest

from spincharge.usadel import riccati
from spincharge.usadel.operator import (
    TORQUE_SIGN,
    Algebra,
    comm,
    gauge_torque,
    local_terms,
    matrix_current,
    matrix_torque,
    riccati_frame,
    riccati_g,
)

MP = Algebra("mpmath")


def _random_profile(rng, n=2, degree=3, scale=0.3):
    """Polynomial a(x), b(x) (n x n complex) with exact derivatives."""
    coefficients = [scale * (rng.normal(size=(degree + 1, n, n)) + 1j * rng.normal(size=(degree + 1, n, n))) for _ in "ab"]

    def at(c, x, order):
        poly = np.polynomial.polynomial
        out = np.empty((n, n), dtype=complex)
        for i in range(n):
            for j in range(n):
                out[i, j] = poly.polyval(x, poly.polyder(c[:, i, j], order) if order else c[:, i, j])
        return out

    return lambda x, order=0: (at(coefficients[0], x, order), at(coefficients[1], x, order))


def _mp(m):
    return np.array([[mp.mpc(complex(v)) for v in row] for row in np.atleast_2d(m)], dtype=object)


def _mp_polyval(profile, x):
    """a(x), b(x) at an mpmath point (the polynomial evaluated in mpmath arithmetic)."""
    # evaluate by Taylor series about 0 with exact derivatives (degree 3: 4 terms)
    a, b = (np.zeros((2, 2), dtype=object) + mp.mpc(0) for _ in range(2))
    for order in range(4):
        da, db = profile(0.0, order)
        a = a + _mp(da) * x**order / mp.factorial(order)
        b = b + _mp(db) * x**order / mp.factorial(order)
    return a, b


def _inverse(m):
    return np.array(mp.inverse(mp.matrix(m.tolist())).tolist(), dtype=object)


def _operator_blocks(profile, x0, s, omega, gap, phase, h, relaxation, gauge, diffusion, gamma=(0, 0, 0)):
    """Off-diagonal blocks of M^-1 E M and M^-1 J_x M of the 4x4 operator at x0 (30-digit finite differences);
    ``gamma`` = (gamma_xx, gamma_yx, gamma_zx)."""
    mp.mp.dps = 40
    step = mp.mpf("1e-12")

    def g_of(x):
        a, b = _mp_polyval(profile, x)
        return riccati_g(MP, s * a, s * b, s, _inverse)

    def dg(x):
        return (g_of(x + step) - g_of(x - step)) / (2 * step)

    table = [[mp.mpf(v)] for v in gamma]

    def J(x):
        return matrix_current(MP, g_of(x), dg(x), 0, table, diffusion, gauge)

    x = mp.mpf(x0)
    g = g_of(x)
    divergence = (J(x + step) - J(x - step)) / (2 * step) + gauge_torque(MP, g, dg(x), gauge, diffusion)
    pair = MP.block(0 * MP.eye2, MP.eye2 * gap * mp.expj(phase), MP.eye2 * gap * mp.expj(-phase), 0 * MP.eye2)
    E = divergence + local_terms(MP, g, pair, omega, relaxation, h) + TORQUE_SIGN * matrix_torque(MP, g, [dg(x)], table)
    a, b = _mp_polyval(profile, x)
    M = riccati_frame(MP, s * a, s * b, s)
    X, K = _inverse(M) @ E @ M, _inverse(M) @ J(x) @ M
    blocks = [np.array(m.tolist(), dtype=complex) for m in (X[:2, 2:], X[2:, :2], K[:2, 2:], K[2:, :2])]
    return blocks


@pytest.mark.parametrize("s, gamma", [(1, (0, 0, 0)), (-1, (0, 0, 0)), (1, (0.6, -0.9, 0.4)), (-1, (-0.5, 0.8, 0.7))])
def test_component_equations_equal_the_4x4_operator(s, gamma):
    """F_a, F_b and the current blocks K_a, K_b against the 4x4 operator with h, Gamma_jk, alpha and gamma
    together (nonlinear in g: random smooth a(x), b(x) of size ~1)."""
    rng = np.random.default_rng(3 + s)
    profile = _random_profile(rng)
    omega, gap, phase, diffusion = 0.7 * s, 1.3, 0.4, 1.7
    h = np.array([0.3, -0.5, 0.8])
    relaxation = rng.normal(size=(3, 3))
    relaxation = relaxation + relaxation.T
    gauge = np.array([0.4, 0.2, -0.3])
    x0 = 0.37
    upper, lower, current_upper, current_lower = _operator_blocks(
        profile, x0, s, omega, gap, phase, list(h), relaxation.tolist(), list(gauge), diffusion, gamma)
    gamma = None if not any(gamma) else gamma
    a, b = profile(x0)
    da, db = profile(x0, 1)
    d2a, d2b = profile(x0, 2)
    hs = riccati.spin_matrix(h)
    local = ((omega * np.eye(2) + 1j * hs), gap * np.exp(1j * phase) * np.eye(2), gap * np.exp(-1j * phase) * np.eye(2),
             -(omega * np.eye(2) + 1j * hs))
    A = riccati.spin_matrix(gauge)
    Fa, Fb = riccati.residual(a, b, da, db, d2a, d2b, s, local, diffusion, A, relaxation, gamma)
    Ka, Kb = riccati.current_blocks(a, b, da, db, s, diffusion, A, gamma)
    N, Nt = riccati.normalisers(a, b)
    scale = np.max(np.abs(upper)) + np.max(np.abs(lower))
    assert scale > 1
    np.testing.assert_allclose(upper, 2 * N @ Fa, atol=1e-11 * scale)
    np.testing.assert_allclose(lower, -2 * Nt @ Fb, atol=1e-11 * scale)
    np.testing.assert_allclose(current_upper, 2 * N @ Ka, atol=1e-11 * scale)
    np.testing.assert_allclose(current_lower, -2 * Nt @ Kb, atol=1e-11 * scale)
    if gamma is not None:  # the gamma part is not small
        plain = riccati.residual(a, b, da, db, d2a, d2b, s, local, diffusion, A, relaxation)[0]
        assert np.max(np.abs(plain - Fa)) > 0.1 * np.max(np.abs(Fa))
        assert np.max(np.abs(riccati.current_blocks(a, b, da, db, s, diffusion, A)[0] - Ka)) > 0.05 * np.max(np.abs(Ka))


def test_current_trace_and_green_function():
    rng = np.random.default_rng(7)
    profile = _random_profile(rng)
    a, b = profile(0.2)
    da, db = profile(0.2, 1)
    gauge = riccati.spin_matrix([0.3, 0.1, -0.2])
    for s in (1, -1):
        g = riccati.green(a, b, s)
        np.testing.assert_allclose(g @ g, np.eye(4), atol=1e-12)
        assert np.allclose(g, riccati_g(Algebra("numpy"), s * a, s * b, s, np.linalg.inv))
        step = 1e-6
        dg = (riccati.green(*[u + step * du for u, du in ((a, da), (b, db))], s)
              - riccati.green(*[u - step * du for u, du in ((a, da), (b, db))], s)) / (2 * step)
        A = np.kron(np.eye(2), gauge)
        Dg = dg - 1j * comm(A, g)
        direct = np.trace(np.kron(np.diag([1, -1]), np.eye(2)) @ g @ Dg)
        Ka, Kb = riccati.current_blocks(a, b, da, db, s, 1.0, gauge)
        assert abs(riccati.current_trace(a, b, Ka, Kb) + direct) < 1e-8  # Tr tau3 J with J = -g D~g
        back = riccati.amplitudes(g[:2, :2], g[:2, 2:], g[2:, :2], g[2:, 2:], s)
        np.testing.assert_allclose(back[0], a, atol=1e-12)
        np.testing.assert_allclose(back[1], b, atol=1e-12)


def test_bulk_amplitudes_solve_the_homogeneous_equation():
    for omega in (0.3, -0.8, 0.01 - 1.7j, 0.01 - 0.4j):
        a, b = riccati.bulk_superconductor(omega, 1.2, 0.7, 2)
        s = 1 if np.real(omega) >= 0 else -1
        local = (omega * np.eye(2), 1.2 * np.exp(0.7j) * np.eye(2), 1.2 * np.exp(-0.7j) * np.eye(2), -omega * np.eye(2))
        zero = np.zeros((2, 2))
        Fa, Fb = riccati.residual(a, b, zero, zero, zero, zero, s, local, 1.0)
        assert np.max(np.abs(Fa)) + np.max(np.abs(Fb)) < 1e-13
        g = riccati.green(a, b, s)
        root = np.sqrt(omega**2 + 1.44 + 0j)
        np.testing.assert_allclose(g[0, 0], omega / root, atol=1e-13)
        assert np.max(np.abs(a)) < 1


def test_sympy_derivation_projection_and_weak_proximity_gamma_terms():
    """``scripts/derive_usadel_riccati.py``: the exact projection identities behind the gamma parts of the residual,
    and the first-order gamma terms (from the operator) that the phi0 closed form uses."""
    import importlib.util
    from pathlib import Path

    import sympy as sp

    script = Path(__file__).resolve().parents[2] / "scripts" / "derive_usadel_riccati.py"
    spec = importlib.util.spec_from_file_location("derive_usadel_riccati", script)
    derivation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derivation)
    upper, lower = derivation.projection_identities()
    assert upper.is_zero_matrix and lower.is_zero_matrix
    derived, expected = derivation.linear_gamma_terms(), derivation.expected_linear_terms()
    for name in expected:
        assert all(sp.simplify(d - e) == 0 for d, e in zip(derived[name], expected[name])), name
