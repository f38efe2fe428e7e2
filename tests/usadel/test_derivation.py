"""The radial equations against the full 4x4 Usadel operator (S3)-(S5) of paper 003.

The operator is evaluated in 40-digit arithmetic with finite differences by
``scripts/derive_usadel_vortex.py``; the numerical solver's equations (``spincharge.usadel.radial``)
must agree with it. The symbolic derivation itself (about a minute of sympy) is a slow test.
"""

import importlib.util
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.usadel.radial import DerivedEquations, PaperEquations

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "derive_usadel_vortex.py"


@pytest.fixture(scope="module")
def derivation():
    spec = importlib.util.spec_from_file_location("derive_usadel_vortex", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_printed_torque_sign_breaks_normalisation(derivation):
    """{E, g} must vanish for g^2 = 1 to be preserved: only with the sign of T flipped relative to S3."""
    assert derivation.anticommutator_residual(torque_sign=-1) > 1e-2  # as printed: T on the right of S3
    assert derivation.anticommutator_residual(torque_sign=+1) < 1e-15


@pytest.mark.parametrize("sign, winding", [(1, 1), (-1, 2), (1, -1)])
def test_rotating_frame_equals_lab_frame(derivation, sign, winding):
    assert derivation.rotating_frame_residual(sign, winding) < 1e-15


# units: D = 1, Delta = 1/2 so that xi = 1, w = omega/Delta = 2 omega, g = Gamma/(2 Delta) = Gamma
OMEGA, GAMMA, GAMMA_O = mp.mpf("0.35"), mp.mpf("1.3"), mp.mpf("0.7")


def operator_at(derivation, winding, r0, jets, gamma, sign=1):
    """M^-1 E M at r0 for Taylor polynomials of (a_s, u, v): a = P + i u s_x + v s_y, b = P + i u s_x - v s_y."""
    alg = derivation.Algebra("mpmath", winding)
    sx, sy, one = alg.pauli[1], alg.pauli[2], alg.pauli[0]

    def taylor(c, rr):
        return c[0] + c[1] * (rr - r0) + c[2] * (rr - r0) ** 2 / 2

    def amplitudes(rr):
        P, u, v = (taylor(c, rr) for c in jets)
        return P * one + 1j * u * sx + v * sy, P * one + 1j * u * sx - v * sy

    def g_of(rr):
        return derivation.riccati_g(alg, *amplitudes(rr), sign, derivation._inverse_mp)

    params = dict(frequency=OMEGA, gap=mp.mpf("0.5"), diffusion=mp.mpf(1), relaxation=GAMMA, gamma=gamma)
    E = derivation.rotating_operator(alg, g_of, r0, derivation.TORQUE_SIGN, params)
    a, b = amplitudes(r0)
    M = derivation.riccati_frame(alg, a, b, sign)
    return np.array((mp.inverse(mp.matrix(M.tolist())) * mp.matrix((E @ M).tolist())).tolist(), dtype=object)


def spin_component(block, i):
    pauli = [np.eye(2), np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]])]
    return complex(sum(np.conj(pauli[i]).T[k, m] * block[m, k] for k in range(2) for m in range(2)) / 2)


@pytest.mark.parametrize("winding, r0, P", [(1, "0.7", ("0.31", "0.4", "-0.9")), (2, "1.9", ("0.62", "0.1", "0.3"))])
def test_singlet_equation(derivation, winding, r0, P):
    """Upper-right block of M^-1 E M = 2 D/(1 + P^2) (P'' + P'/r + G) for any P: DerivedEquations, not S11."""
    r0, P = mp.mpf(r0), [mp.mpf(p) for p in P]
    X = operator_at(derivation, winding, r0, (P, [0, 0, 0], [0, 0, 0]), gamma=0)
    expected = {}
    for equations in (DerivedEquations, PaperEquations):
        G = equations.singlet(float(P[0]), float(P[1]), float(r0), 2 * float(OMEGA), winding).value
        expected[equations] = 2 / (1 + float(P[0]) ** 2) * (float(P[2]) + float(P[1] / r0) + G)
    computed = spin_component(X[0:2, 2:4], 0)
    assert computed == pytest.approx(expected[DerivedEquations], rel=1e-12, abs=1e-14)
    assert abs(computed - expected[PaperEquations]) > 1e-3


@pytest.mark.parametrize("winding, r0", [(1, "0.8"), (-1, "2.3"), (2, "1.1")])
def test_triplet_equations(derivation, winding, r0):
    """First order in (u, v, gamma) on shell (P'' from the singlet equation at r0):
    x / y components of the upper-right block = 2D/(1+P^2) (i R_u, R_v), R the DerivedEquations residuals."""
    r0 = mp.mpf(r0)
    P0, P1 = mp.mpf("0.45"), mp.mpf("0.3")
    G = DerivedEquations.singlet(float(P0), float(P1), float(r0), 2 * float(OMEGA), winding).value
    P2 = mp.mpf(-float(P1 / r0) - G)
    u = [mp.mpf("0.2"), mp.mpf("-0.3"), mp.mpf("0.5")]
    v = [mp.mpf("-0.1"), mp.mpf("0.25"), mp.mpf("0.4")]
    step = mp.mpf("1e-15")
    plus, minus = (
        operator_at(derivation, winding, r0, ([P0, P1, P2], [s * c for c in u], [s * c for c in v]), s * GAMMA_O)
        for s in (step, -step)
    )
    X1 = (plus - minus) / (2 * step)
    t = DerivedEquations.triplet(float(P0), float(P1), float(r0), 2 * float(OMEGA), float(GAMMA), winding)
    uf, vf, g = [float(c) for c in u], [float(c) for c in v], float(GAMMA_O)
    residual_u = uf[2] + t.p1 * uf[1] + t.c11 * uf[0] + t.c12 * vf[0] - g * t.s1
    residual_v = vf[2] + t.p2 * vf[1] + t.c22 * vf[0] + t.c21 * uf[0] - g * t.s2
    scale = 2 / (1 + float(P0) ** 2)
    assert spin_component(X1[0:2, 2:4], 1) == pytest.approx(1j * scale * residual_u, rel=1e-10)
    assert spin_component(X1[0:2, 2:4], 2) == pytest.approx(scale * residual_v, rel=1e-10)
    # the lower-left block (normalisation -2D/(1+P^2)) gives the same equations: the reduction
    # A_x = B_x = i u, A_y = -B_y = v closes
    assert spin_component(X1[2:4, 0:2], 1) == pytest.approx(-1j * scale * residual_u, rel=1e-10)
    assert spin_component(X1[2:4, 0:2], 2) == pytest.approx(scale * residual_v, rel=1e-10)


@given(
    theta=st.floats(0.05, 3.0),
    d_theta=st.floats(-2, 2),
    dd_theta=st.floats(-2, 2),
    r=st.floats(0.1, 5),
    w=st.floats(0.01, 10),
    n=st.integers(0, 3),
)
def test_singlet_equation_is_the_theta_form(theta, d_theta, dd_theta, r, w, n):
    """P = tan(theta/2) turns the derived singlet equation into the textbook vortex equation
    theta'' + theta'/r - (n^2/r^2) sin(theta) cos(theta) = w sin(theta) - cos(theta)  (xi(T) units)."""
    P = np.tan(theta / 2)
    dP = d_theta / (2 * np.cos(theta / 2) ** 2)
    ddP = dd_theta / (2 * np.cos(theta / 2) ** 2) + d_theta**2 * np.tan(theta / 2) / (2 * np.cos(theta / 2) ** 2)
    riccati = ddP + dP / r + DerivedEquations.singlet(P, dP, r, w, n).value
    textbook = dd_theta + d_theta / r - n**2 / r**2 * np.sin(theta) * np.cos(theta) - w * np.sin(theta) + np.cos(theta)
    assert riccati * 2 / (1 + P**2) == pytest.approx(textbook, rel=1e-9, abs=1e-9)
    paper = ddP + dP / r + PaperEquations.singlet(P, dP, r, w, n).value
    if n > 0:  # the printed S11 differs (for n = 0 only through P'^2 (P^2 - 1), zero at theta = pi/2)
        assert abs(paper * 2 / (1 + P**2) - textbook) > 1e-6


@pytest.mark.slow
def test_symbolic_derivation_agrees_with_the_solver(derivation):
    """The sympy derivation (Riccati projection of (S3)-(S5), first order) gives the solver's equations."""
    import sympy as sp

    eqs = derivation.derived_equations(1)
    a, (u, v) = derivation.a_s, (eqs["u"], eqs["v"])
    rng = np.random.default_rng(3)
    for _ in range(3):
        values = dict(zip([a[0], a[1], derivation.r], rng.uniform(0.2, 1.5, 3)))
        values.update({derivation.omega: 0.4, derivation.Delta: 0.5, derivation.D: 1, derivation.Gamma: 1.3})
        values.update({derivation.gamma_o: 0.7, derivation.n: 1})
        values.update(dict(zip(u + v, rng.uniform(-1, 1, 6))))
        P, dP, r = (float(values[k]) for k in (a[0], a[1], derivation.r))
        t = DerivedEquations.triplet(P, dP, r, 0.8, 1.3, 1)
        U, V = [float(values[k]) for k in u], [float(values[k]) for k in v]
        residual_u = U[2] + t.p1 * U[1] + t.c11 * U[0] + t.c12 * V[0] - 0.7 * t.s1
        residual_v = V[2] + t.p2 * V[1] + t.c22 * V[0] + t.c21 * U[0] - 0.7 * t.s2
        scale = 2 / (1 + P**2)
        computed_u = complex(sp.N(eqs["reduced"][("12", 1)].subs(values)))
        computed_v = complex(sp.N(eqs["reduced"][("12", 2)].subs(values)))
        assert computed_u == pytest.approx(1j * scale * residual_u, rel=1e-10)
        assert computed_v == pytest.approx(scale * residual_v, rel=1e-10)
