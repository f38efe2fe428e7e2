"""Derive the vortex equations of paper 003, Appendix E, from the general Usadel equation (S3)-(S5).

Run ``python scripts/derive_usadel_vortex.py`` to print every derived equation, the checks, and the
differences from the printed Eqs. (S7), (S11), (S12), (S15)-(S18) and the spin-density formula.
The tests import this file (``tests/usadel/test_derivation.py``) and compare the numerical
implementation in ``spincharge.usadel.vortex`` with the expressions derived here.

Conventions (all in the 4x4 Nambu (x) spin space, Nambu outer: kron(tau_i, sigma_j)):
- Matsubara Usadel operator (paper 003, Eq. (S3), alpha = h = 0, isotropic Gamma_jk = Gamma delta_jk):
      E[g] = d_k J_k + [omega tau3 + Delta_hat, g] + torque_sign T + (Gamma/8) sum_j [sigma_j g sigma_j, g] = 0,
      J_k  = -D g d_k g + (i/16) eps_ijl gamma_lk {[sigma_i, g], sigma_j + g sigma_j g}     (S4)
      T    = -(i/8) eps_ijl gamma_lk [{d_k g, g sigma_i g}, sigma_j]                       (S5)
  written as E = ... + torque_sign * T: the printed S3 has T on the right-hand side, i.e.
  torque_sign = -1; the derivation fixes torque_sign = +1 (``TORQUE_SIGN``) by requiring {E, g} = 0
  (compatibility with g^2 = 1). The operator itself is ``spincharge.usadel.operator``.
- Riccati parametrisation (S6): g = [[s N(1-ab), 2Na], [2 Nt b, -s Nt(1-ba)]], N = (1+ab)^-1,
  Nt = (1+ba)^-1, s = sign(omega).
- Vortex: g_lab(r, phi) = U g_rot(r) U^dagger, U = exp(i phi Lambda), Lambda = (n tau3 - sigma_z)/2:
  the Nambu phase winds as exp(i n phi) in the Riccati amplitude a (as in S9) and the spin frame
  rotates with the polar angle, so that the Rashba-like tensor gamma_lk = gamma_o eps_zlk
  (gamma_xy = -gamma_yx = gamma_o) leaves g_rot independent of phi. In the rotating frame
  Delta_hat = Delta tau1, d_r -> d_r, d_phi -> (i/r)[Lambda, .], div J = (1/r) d_r(r J_r) + (i/r)[Lambda, J_phi].
"""

from __future__ import annotations

import functools

import mpmath as mp
import numpy as np
import sympy as sp

from spincharge.usadel.operator import (
    TORQUE_SIGN,
    Algebra,
    acomm,
    comm,
    local_terms,
    matrix_current,
    matrix_torque,
    rashba,
    riccati_frame,
    riccati_g,
)

I = sp.I
eps = sp.Symbol("epsilon")
omega, Delta, D, Gamma, gamma_o, r = sp.symbols("omega Delta D Gamma gamma_o r", positive=True)
n = sp.Symbol("n", integer=True)

# ---------------------------------------------------------------------------------------------
# Numerical (mpmath, 40 digits) evaluation of the operator: lab frame and rotating frame
# ---------------------------------------------------------------------------------------------

mp.mp.dps = 40
STEP = mp.mpf("1e-12")
PARAMETERS = dict(frequency=mp.mpf("0.7"), gap=mp.mpf(1), diffusion=mp.mpf(1), relaxation=mp.mpf("1.3"), gamma=mp.mpf("0.3"))


def _diff(f, z):
    """Central difference of a matrix-valued function, error O(STEP^2) = 1e-24 at 40 digits."""
    return (f(z + STEP) - f(z - STEP)) / (2 * STEP)


def _inverse_mp(m):
    inv = mp.inverse(mp.matrix(m.tolist()))
    return np.array(inv.tolist(), dtype=object)


def test_amplitudes(z, w=0):
    """Generic 2x2 complex amplitudes a, b (smooth in z, w) for the exact operator checks."""
    a = np.array([[z / (1 + z * z) + 0.2j * z * w, z * z / 7 - 1j * z / 3], [z / 4 + w / 5, z / (2 + z) - 1j * w**3 / 9]], dtype=object)
    b = np.array([[z / 3 - 1j * z * z / 6 + w / 2, z * z / 5], [-z / 7 + 0.5j * w, z / (1 + z) + w * z / 3]], dtype=object)
    conv = np.vectorize(mp.mpc, otypes=[object])
    return conv(a), conv(b)


def lab_operator(alg, g_of, point, torque_sign=1, printed="S5", p=PARAMETERS):
    """E[g](x, y) in Cartesian coordinates; g_of(x, y) -> 4x4; pair potential U Delta tau1 U^+."""
    x0, y0 = point

    def dg(xx, yy):
        return [_diff(lambda t: g_of(t, yy), xx), _diff(lambda t: g_of(xx, t), yy)]

    def current(k):
        def f(t):
            xx, yy = (t, y0) if k == 0 else (x0, t)
            return matrix_current(alg, g_of(xx, yy), dg(xx, yy)[k], k, rashba(p["gamma"]), p["diffusion"])

        return f

    divergence = _diff(current(0), x0) + _diff(current(1), y0)
    U = rotation(alg, mp.atan2(y0, x0))
    pair = U @ (alg.tau[1] * p["gap"]) @ U.conj().T
    g = g_of(x0, y0)
    local = local_terms(alg, g, pair, p["frequency"], p["relaxation"])
    return divergence + local + torque_sign * matrix_torque(alg, g, dg(x0, y0), rashba(p["gamma"]), printed)


def rotating_operator(alg, g_of, r0, torque_sign=1, p=PARAMETERS, derivative=None):
    """E in the rotating frame at r0 for g_rot = g_of(r): d_phi -> (i/r)[Lambda, .], Delta_hat = Delta tau1.

    ``derivative(f, r0)`` differentiates a matrix function at r0 (central differences by default; the
    symbolic derivation passes the total derivative on jet symbols).
    """
    derivative = derivative or _diff

    def dg(rr):
        return [derivative(g_of, rr), alg.I / rr * comm(alg.Lambda, g_of(rr))]

    def current(k):
        return lambda rr: matrix_current(alg, g_of(rr), dg(rr)[k], k, rashba(p["gamma"]), p["diffusion"])

    divergence = derivative(lambda rr: rr * current(0)(rr), r0) / r0 + alg.I / r0 * comm(alg.Lambda, current(1)(r0))
    g = g_of(r0)
    local = local_terms(alg, g, alg.tau[1] * p["gap"], p["frequency"], p["relaxation"])
    return divergence + local + torque_sign * matrix_torque(alg, g, dg(r0), rashba(p["gamma"]))


def rotation(alg, phi):
    return np.diag([mp.exp(alg.I * phi * alg.Lambda[m, m]) for m in range(4)]).astype(object)


def _max_abs(m):
    return max(abs(v) for v in np.ravel(m))


def anticommutator_residual(torque_sign=1, printed="S5"):
    """max |{E[g], g}| / max |E| for a generic g(x, y) (g^2 = 1): zero iff E is compatible with g^2 = 1."""
    alg = Algebra("mpmath")

    def g_of(xx, yy):
        a, b = test_amplitudes(xx + yy / 3, yy - xx / 4)
        return riccati_g(alg, a, b, 1, _inverse_mp)

    E = lab_operator(alg, g_of, (mp.mpf("0.6"), mp.mpf("0.4")), torque_sign, printed)
    return float(_max_abs(acomm(E, g_of(mp.mpf("0.6"), mp.mpf("0.4")))) / _max_abs(E))


def rotating_frame_residual(sign=1, winding=1):
    """max |E_lab - U E_rot U^+| / max |E_lab| for a generic phi-independent g_rot(r) (reduction check)."""
    alg = Algebra("mpmath", winding)

    def g_rot(rr):
        a, b = test_amplitudes(rr)
        return riccati_g(alg, a, b, sign, _inverse_mp)

    def g_lab(xx, yy):
        U = rotation(alg, mp.atan2(yy, xx))
        return U @ g_rot(mp.sqrt(xx * xx + yy * yy)) @ U.conj().T

    x0, y0 = mp.mpf("0.6"), mp.mpf("0.8")
    lab = lab_operator(alg, g_lab, (x0, y0))
    U = rotation(alg, mp.atan2(y0, x0))
    rot = U @ rotating_operator(alg, g_rot, mp.mpf(1)) @ U.conj().T
    return float(_max_abs(lab - rot) / _max_abs(lab))


# ---------------------------------------------------------------------------------------------
# Symbolic derivation in the rotating frame (jets: a_s, a_s', a_s'', ... as symbols)
# ---------------------------------------------------------------------------------------------

JET_ORDER = 4
a_s = sp.symbols("a_s0:%d" % JET_ORDER, real=True)
TRIPLET_NAMES = ("A_x", "A_y", "B_x", "B_y")
TRIPLET = {name: sp.symbols(f"{name}_0:{JET_ORDER}") for name in TRIPLET_NAMES}
N0 = sp.Symbol("N_0", positive=True)  # 1 / (1 + a_s^2)
_RULES = {N0: -2 * a_s[0] * a_s[1] * N0**2}
for jets in [a_s, *TRIPLET.values()]:
    _RULES.update({jets[m]: jets[m + 1] for m in range(JET_ORDER - 1)})


def total_derivative(expr):
    """d/dr of an expression in r and the jet symbols (the top jet must not occur)."""
    out = sp.diff(expr, r)
    for symbol, derivative in _RULES.items():
        out += sp.diff(expr, symbol) * derivative
    return out


def _jet_derivative(f, z):
    return f(z).applyfunc(total_derivative)


def _expand(m):
    return m.applyfunc(sp.expand)


@functools.lru_cache(maxsize=None)
def rotating_jets(sign=1):
    """(g0, g1): g_rot = g0 + eps g1 + O(eps^2) from (S6) with a = a_s + eps A, b = a_s + eps B (symbolic).

    A = A_x s_x + A_y s_y, B = B_x s_x + B_y s_y (rotating frame: x = radial, y = tangential spin);
    (1 + ab)^-1 = N0 - eps N0^2 a_s (A + B) + O(eps^2), N0 = 1/(1 + a_s^2).
    """
    alg = Algebra("sympy", n)
    sx, sy = alg.pauli[1], alg.pauli[2]
    A = TRIPLET["A_x"][0] * sx + TRIPLET["A_y"][0] * sy
    B = TRIPLET["B_x"][0] * sx + TRIPLET["B_y"][0] * sy
    a = a_s[0] * sp.eye(2) + eps * A
    b = a_s[0] * sp.eye(2) + eps * B
    g = riccati_g(alg, a, b, sign, lambda _m: N0 * sp.eye(2) - eps * N0**2 * a_s[0] * (A + B))
    g = _expand(g)
    return alg, g.applyfunc(lambda e: e.coeff(eps, 0)), g.applyfunc(lambda e: e.coeff(eps, 1))


@functools.lru_cache(maxsize=None)
def linearised_operator(sign=1, torque_sign=TORQUE_SIGN):
    """(E0, E1): the rotating-frame operator at orders eps^0 and eps^1 (gamma = eps gamma_o).

    E1 = div[-D (g1 d g0 + g0 d g1)] + [omega tau3 + Delta tau1, g1] + (Gamma/8) sum [s g s, g]_lin
         + div J_gamma[g0] + torque_sign T[g0]   (the gamma terms need only g0).
    """
    alg, g0, g1 = rotating_jets(sign)
    L = alg.Lambda

    def d_phi(m):
        return alg.I / r * comm(L, m)

    def d_r(m):
        return m.applyfunc(total_derivative)

    def divergence(j_r, j_phi):
        return _expand((r * j_r).applyfunc(total_derivative) / r + d_phi(j_phi))

    zero_gamma = dict(frequency=omega, gap=Delta, diffusion=D, relaxation=Gamma, gamma=0)
    E0 = rotating_operator(alg, lambda _r: g0, r, torque_sign, zero_gamma, derivative=_jet_derivative)
    dg0, dg1 = [d_r(g0), d_phi(g0)], [d_r(g1), d_phi(g1)]
    j_lin = [-D * (g1 @ dg0[k] + g0 @ dg1[k]) for k in range(2)]
    j_gamma = [matrix_current(alg, g0, dg0[k], k, rashba(gamma_o), 0) for k in range(2)]
    spin_flip = sp.zeros(4, 4)
    for S in alg.sigma:
        spin_flip += comm(S @ g1 @ S, g0) + comm(S @ g0 @ S, g1)
    E1 = (
        divergence(j_lin[0] + j_gamma[0], j_lin[1] + j_gamma[1])
        + comm(omega * alg.tau[3] + Delta * alg.tau[1], g1)
        + Gamma / 8 * spin_flip
        + torque_sign * matrix_torque(alg, g0, dg0, rashba(gamma_o))
    )
    return _expand(E0), _expand(E1)


def _spin_component(block, alg, i):
    """Component along (1, s_x, s_y, s_z)[i] of a 2x2 spin block."""
    return sp.expand((alg.pauli[i].H @ block).trace() / 2)


@functools.lru_cache(maxsize=None)
def derived_equations(sign=1):
    """The radial equations (sympy, jets) from Eqs. (S3)-(S5), for omega of sign ``sign``.

    Returns dict with 'singlet' (residual normalised to a_s'' + ..., an expression in a_s0..a_s2),
    'a_s2' (a_s'' on shell), 'triplet' {(block, component): normalised on-shell equation} for the four
    amplitudes, and 'reduced' (u-eq, v-eq) for A_x = B_x = i s u, A_y = -B_y = s v (the reduction that
    closes; s = sign), all with N0 replaced by 1/(1 + a_s^2).
    """
    E0, E1 = linearised_operator(sign)
    alg = Algebra("sympy", n)
    P = a_s[0]
    one = sp.eye(2)
    M0 = alg.block(one, sign * P * one, sign * P * one, -one)
    M0_inv = alg.block(N0 * one, sign * N0 * P * one, sign * N0 * P * one, -N0 * one)
    X0 = _expand(M0_inv @ E0 @ M0)
    X1 = _expand(M0_inv @ E1 @ M0)
    q = 1 / (1 + P**2)
    singlet = sp.expand(_spin_component(X0[0:2, 2:4], alg, 0).subs(N0, q))
    lead = sp.simplify(singlet.coeff(a_s[2]))
    singlet = sp.simplify(singlet / lead)
    a2 = sp.solve(singlet, a_s[2])[0]

    def on_shell(e):
        return sp.simplify(e.subs(N0, q).subs(a_s[2], a2))

    triplet = {}
    for block, (rows, cols) in {"12": (slice(0, 2), slice(2, 4)), "21": (slice(2, 4), slice(0, 2))}.items():
        for comp in (1, 2):
            triplet[(block, comp)] = on_shell(_spin_component(X1[rows, cols], alg, comp))
    u = sp.symbols("u0:3")
    v = sp.symbols("v0:3")
    ansatz = {}
    for m in range(3):
        ansatz.update({TRIPLET["A_x"][m]: I * sign * u[m], TRIPLET["B_x"][m]: I * sign * u[m]})
        ansatz.update({TRIPLET["A_y"][m]: sign * v[m], TRIPLET["B_y"][m]: -sign * v[m]})
    reduced = {key: sp.simplify(sp.expand(e.subs(ansatz))) for key, e in triplet.items()}
    return dict(singlet=singlet, a_s2=a2, normalisation=lead, triplet=triplet, reduced=reduced, u=u, v=v)


def observables(sign=1):
    """Traces entering the current and the spin, in the rotating frame (sympy, N0 -> 1/(1 + a_s^2)).

    current: Tr[tau3 J_phi] at zeroth order (J_phi = -D g0 (i/r)[Lambda, g0]);
    spin:    Tr[tau3 sigma_x g] and Tr[tau3 sigma_y g] at first order with the reduced ansatz.
    """
    alg, g0, g1 = rotating_jets(sign)
    q = 1 / (1 + a_s[0] ** 2)
    current = sp.simplify((alg.tau[3] @ (-D * g0 @ (I / r * comm(alg.Lambda, g0)))).trace().subs(N0, q))
    u, v = sp.symbols("u0 v0")
    ansatz = {
        TRIPLET["A_x"][0]: I * sign * u,
        TRIPLET["B_x"][0]: I * sign * u,
        TRIPLET["A_y"][0]: sign * v,
        TRIPLET["B_y"][0]: -sign * v,
    }
    spin = [sp.simplify((alg.tau[3] @ alg.sigma[i] @ g1).trace().subs(N0, q).subs(ansatz)) for i in range(2)]
    return current, spin


def normal_state_spin_relaxation_rate():
    """Keldysh normal state: (Gamma/8) [sigma_k g sigma_k, g]^K for g^R = tau3, g^A = -tau3, g^K = 2 tau3 F.

    Returns the matrix divided by the time-derivative term's normalisation (2 dF/dt from
    [tau3 omega_hat, g]^K), i.e. the relaxation rate operator acting on F = F0 + F.sigma: Gamma for the
    spin part, 0 for the charge part, so Gamma = 1/tau_s (the spin relaxation rate).
    """
    alg = Algebra("sympy")
    F0, Fx, Fz = sp.symbols("F0 F_x F_z")
    F = F0 * alg.tau[0] + Fx * alg.sigma[0] + Fz * alg.sigma[2]
    gR, gA, gK = alg.tau[3], -alg.tau[3], 2 * alg.tau[3] @ F
    flip = sp.zeros(4, 4)
    for S in alg.sigma:
        # [S g S, g]^K = (S g S)^R g^K + (S g S)^K g^A - g^R (S g S)^K - g^K (S g S)^A
        flip += S @ gR @ S @ gK + S @ gK @ S @ gA - gR @ S @ gK @ S - gK @ S @ gA @ S
    return _expand(Gamma / 8 * flip / 2)


def main():
    print("1. Compatibility with g^2 = 1: max|{E, g}|/max|E| at a generic point")
    for sign in (1, -1):
        print(f"   torque sign {sign:+d} (S5 bracket order): {anticommutator_residual(sign):.2e}")
        print(f"   torque sign {sign:+d} (Eq. 9 bracket order): {anticommutator_residual(sign, 'Eq9'):.2e}")
    print("2. Rotating frame vs lab frame, relative residual:", f"{rotating_frame_residual(1, 1):.1e}")
    print("3. Radial equations (rotating frame, omega > 0, torque sign", TORQUE_SIGN, ")")
    eqs = derived_equations(1)
    print("   singlet:", sp.factor(eqs["singlet"]))
    for key, e in eqs["reduced"].items():
        print(f"   block {key[0]}, sigma_{'xy'[key[1] - 1]}:", sp.factor(e))
    minus = derived_equations(-1)
    same = sp.simplify(minus["singlet"].subs(omega, -omega) - eqs["singlet"]) == 0
    print("   omega < 0 singlet equation = omega > 0 one with |omega|:", same)
    current, spin = observables(1)
    print("   Tr[tau3 J_phi] =", sp.factor(current))
    print("   Tr[tau3 sigma_x g], Tr[tau3 sigma_y g] =", [sp.factor(s) for s in spin])
    print("   omega < 0:", [sp.factor(s) for s in observables(-1)[1]])
    print("4. Normal-state spin relaxation operator (units of dF/dt):", normal_state_spin_relaxation_rate())


if __name__ == "__main__":
    main()
