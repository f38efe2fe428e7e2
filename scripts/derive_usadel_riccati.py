"""Derive the Riccati (two 2x2 matrices) form of the 1D Usadel equation with gamma from the 4x4 operator.

Run ``python scripts/derive_usadel_riccati.py`` to print the derivation; ``tests/usadel/test_riccati.py``
imports it. Paper 003, Eqs. (8), (9), (S4), (S5) with TORQUE_SIGN = +1 (``spincharge.usadel.operator``),
one gradient direction x, gamma column (gamma_x, gamma_y, gamma_z) = gamma_lx.

1. Projection identities (exact, symbolic 2x2 blocks): for M = [[1, a], [b, -1]] and any 4x4 X,
   (M^-1 X M)_12 = N R(X; a) and (M^-1 X M)_21 = Nt Rt(X; b), R = X11 a - X12 + a X21 a - a X22,
   Rt = b X11 - X21 + b X12 b - X22 b (``riccati.project``): this is how ``riccati.residual`` and
   ``riccati.current_blocks`` take the gamma parts of E and J_x without further algebra.
2. Weak-proximity (linear) equations with gamma and h in a normal layer: a = eps (A0 + A.sigma), b likewise,
   g = s tau3 + O(eps); the first-order gamma parts of F_a, F_b, K_a, K_b, which give the band equations of
   ``spincharge.usadel.phi0`` (docs/conventions.md, "Junctions").
"""

from __future__ import annotations

import sympy as sp

from spincharge.usadel.operator import Algebra, gamma_current_derivative, matrix_current, matrix_torque

ALG = Algebra("sympy")
s, eps = sp.symbols("s epsilon")
GAMMA = sp.symbols("gamma_x gamma_y gamma_z")


def _matrix(name):
    return sp.Matrix(2, 2, sp.symbols(f"{name}11 {name}12 {name}21 {name}22"))


def projection_identities():
    """(upper, lower) residuals of the identities in item 1 for symbolic 2x2 a, b and 4x4 X (both zero)."""
    a, b = _matrix("a"), _matrix("b")
    X = [_matrix(f"X{k}") for k in range(4)]
    one = sp.eye(2)
    M = ALG.block(one, a, b, -one)
    N, Nt = (one + a * b).inv(), (one + b * a).inv()
    Minv = ALG.block(N, N * a, Nt * b, -Nt)
    assert sp.simplify(Minv * M - sp.eye(4)) == sp.zeros(4, 4)
    Y = Minv * ALG.block(*X) * M
    R = X[0] * a - X[1] + a * X[2] * a - a * X[3]
    Rt = b * X[0] - X[2] + b * X[1] * b - X[3] * b
    return sp.simplify(Y[:2, 2:] - N * R), sp.simplify(Y[2:, :2] - Nt * Rt)


def linear_gamma_terms():
    """First-order (in eps) gamma parts of F_a, F_b, K_a, K_b as (singlet, x, y, z) components, s^2 = 1."""
    pauli = ALG.pauli
    names = ("A", "B", "dA", "dB")
    c = {n: sp.symbols(f"{n}0:4") for n in names}
    matrices = {n: eps * sum((c[n][i] * pauli[i] for i in range(4)), sp.zeros(2, 2)) for n in names}
    one = sp.eye(2)
    g = ALG.block(s * one, 2 * s * matrices["A"], 2 * s * matrices["B"], -s * one)  # N = Nt = 1 + O(eps^2)
    dg = ALG.block(0 * one, 2 * s * matrices["dA"], 2 * s * matrices["dB"], 0 * one)
    table = [[GAMMA[0]], [GAMMA[1]], [GAMMA[2]]]
    J = matrix_current(ALG, g, dg, 0, table, 0)
    E = gamma_current_derivative(ALG, g, dg, 0, table) + matrix_torque(ALG, g, [dg], table)

    def first_order(m):
        return m.applyfunc(lambda v: sp.expand(v).coeff(eps, 1))

    # at first order R(X; a) -> -X12 and Rt(X; b) -> -X21 (X = O(eps)): F_a += R/2, F_b -= Rt/2, K likewise
    parts = {"F_a": -E[:2, 2:] / 2, "F_b": E[2:, :2] / 2, "K_a": -J[:2, 2:] / 2, "K_b": J[2:, :2] / 2}
    out = {}
    for name, m in parts.items():
        m = first_order(m)
        out[name] = [sp.factor(sp.expand((pauli[i] * m).trace() / 2).subs(s**3, s).subs(s**2, 1)) for i in range(4)]
    return out


def expected_linear_terms():
    """The forms used in ``spincharge.usadel.phi0`` (singlet, spin x, y, z): F_a: -s gamma.A_t', -s gamma A0';
    F_b: +s gamma.B_t', +s gamma B0'; K_a: -s gamma.A_t; K_b: +s gamma.B_t."""
    A, B, dA, dB = (sp.symbols(f"{n}0:4") for n in ("A", "B", "dA", "dB"))
    dot = lambda u: sum(GAMMA[i] * u[i + 1] for i in range(3))  # noqa: E731
    return {"F_a": [-s * dot(dA)] + [-s * GAMMA[i] * dA[0] for i in range(3)],
            "F_b": [s * dot(dB)] + [s * GAMMA[i] * dB[0] for i in range(3)],
            "K_a": [-s * dot(A), 0, 0, 0], "K_b": [s * dot(B), 0, 0, 0]}


def main():
    upper, lower = projection_identities()
    print("1. projection identities: (M^-1 X M)_12 - N R =", upper.applyfunc(sp.simplify).is_zero_matrix,
          "; (M^-1 X M)_21 - Nt Rt =", lower.applyfunc(sp.simplify).is_zero_matrix)
    derived, expected = linear_gamma_terms(), expected_linear_terms()
    print("2. first-order gamma terms (singlet, x, y, z):")
    for name in derived:
        same = all(sp.simplify(d - e) == 0 for d, e in zip(derived[name], expected[name]))
        print(f"   {name}: {derived[name]}  (as used in phi0: {same})")


if __name__ == "__main__":
    main()
