"""Sympy derivation of the O(omega tau) corrections to K(q, omega) of paper 002 (Eqs. s18, s19a, s21), hbar = 1.

Leading order in alpha (pole approximation of the R-A bubble; Fermi surface spinors P(phi) = (1 + d.sigma/eps)/2,
d = v (-p_y, p_x) - Delta z, the xi integral done by residues):

    pi alpha M_ab(q, omega) = eps^2/(eps^2 + Delta^2) < Tr[sigma_a P sigma_b P] / (1 - i omega tau + i l q cos phi) >_phi,

tau = eps / (pi alpha (eps^2 + Delta^2)) (single-particle time), l = v_F tau, v_F = v^2 p_F / eps, frame x || q. With
omega tau = mu^2 B, l q = mu A the script expands pi alpha M to O(mu^4), forms K = M (1 - pi alpha M)^-1 = adj / det,
and keeps each component to relative order mu^2 (= one power of omega tau or D q^2 tau; the mu^1 terms vanish).
The result (printed, and asserted against the compact form) is: every component is its leading (Eq. 9, 11, s19b
with corrected sign) expression with sigma_0 and D replaced by

    sigma(q, omega) = sigma_0 (1 + i omega tau_p - D q^2 tau / 2),   D(q, omega) = v^2 sigma(q, omega) / eps,

tau_p = 2 eps sigma_0 / (eps^2 - Delta^2) (the Drude time of docs/conventions.md item 6):

    K~_xx = sigma,   K~_yy = sigma i omega / (i omega - D q^2),   -K~_yz = Q = (Delta / v) i D q / (i omega - D q^2),
    K~_zz = (Delta^2 / eps) / (D q^2 - i omega),

expanded to first order. Run: ``python scripts/derive_paper002_omega_tau.py`` (about a minute). The numerical
check against the ladder is ``tests/diffusive/test_omega_tau.py``; the closed forms are
:func:`spincharge.diffusive.analytic.first_order_frame_correlator`.
"""

from __future__ import annotations

import sympy as sp

I = sp.I
eps, delta = sp.symbols("epsilon Delta", positive=True)
A, B, mu, z, w, u, alpha = sp.symbols("A B mu z w u alpha")  # w = i omega tau_tr, u = D q^2 tau_tr
PAULI = [sp.eye(2), sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -I], [I, 0]]), sp.Matrix([[1, 0], [0, -1]])]
ORDER = 4


def _truncate(expr, order=ORDER):
    expr = sp.expand(expr)
    return sum(expr.coeff(mu, k) * mu**k for k in range(order + 1))


def _angular_average(expr):
    """Average over phi of a Laurent polynomial in z = exp(i phi): its z^0 coefficient."""
    return sum(t for t in sp.Add.make_args(sp.expand(expr)) if not t.has(z))


def rung():
    """pi alpha M to O(mu^ORDER), frame q || x, basis (0, x, y, z)."""
    cos, sin = (z + 1 / z) / 2, (z - 1 / z) / (2 * I)
    speed = sp.sqrt(eps**2 - delta**2) / eps
    projector = (sp.eye(2) - speed * sin * PAULI[1] + speed * cos * PAULI[2] - delta / eps * PAULI[3]) / 2
    x = mu * I * A * cos - mu**2 * I * B  # 1 / (1 + x) = sum (-x)^n
    geometric = _truncate(sum((-x) ** n for n in range(ORDER + 1)))
    return sp.Matrix(4, 4, lambda a, b: _truncate(eps**2 / (eps**2 + delta**2) * _angular_average(
        (PAULI[a] * projector * PAULI[b] * projector).trace() * geometric)))


def expand_correlator():
    """{name: (leading, first-order correction)} of pi alpha K in the physical variables w, u (A, B eliminated)."""
    n = rung()
    one = sp.eye(4) - n
    det = sp.expand(one.det(method="berkowitz"))
    d2, d4 = det.coeff(mu, 2), det.coeff(mu, 4)
    assert all(sp.simplify(det.coeff(mu, k)) == 0 for k in (0, 1, 3))  # the diffusion mode: det = O(mu^2)
    numerator = n * one.adjugate(method="berkowitz")
    rho = (eps**2 + 3 * delta**2) / (eps**2 - delta**2)  # tau / tau_tr
    physical = {B: -I * w * rho, A: sp.sqrt(u * rho * (eps**2 + 3 * delta**2) / (eps**2 + delta**2))}
    out = {}
    for name, (i, j) in {"xx": (1, 1), "yy": (2, 2), "yz": (2, 3), "zz": (3, 3)}.items():
        coefficients = [sp.expand(numerator[i, j]).coeff(mu, k) for k in range(ORDER + 1)]
        lead = next(k for k, c in enumerate(coefficients) if c != 0)
        assert sp.simplify(coefficients[lead + 1]) == 0  # no half-order term
        leading = coefficients[lead] / d2
        first = (coefficients[lead + 2] - coefficients[lead] * d4 / d2) / d2
        out[name] = tuple(sp.simplify(c.subs(physical)) for c in (leading, first))
    return out


def compact_form():
    """The same components from sigma(q, omega), D(q, omega), to first order (pi alpha K, variables w, u)."""
    s = sp.symbols("s")  # bookkeeping parameter of the first-order expansion
    pa_sigma0 = (eps**2 - delta**2) / (eps**2 + 3 * delta**2)
    tau_p = 2 * (eps**2 + delta**2) / (eps**2 - delta**2)  # tau_p / tau_tr
    tau = (eps**2 + 3 * delta**2) / (eps**2 - delta**2)  # tau / tau_tr
    ratio = 1 + s * (w * tau_p - u * tau / 2)  # sigma / sigma_0 = D / D_0
    forms = {
        "xx": pa_sigma0 * ratio,
        "yy": pa_sigma0 * ratio * w / (w - u * ratio),
        "yz": -delta * sp.sqrt(eps**2 - delta**2) / eps * pa_sigma0 * ratio / (w - u * ratio),
        "zz": delta**2 * pa_sigma0 / (eps**2 + delta**2) / (u * ratio - w),
    }
    return {k: tuple(sp.simplify(sp.series(f, s, 0, 2).removeO().coeff(s, n)) for n in (0, 1)) for k, f in forms.items()}


def main():
    derived, compact = expand_correlator(), compact_form()
    rho = (eps**2 + 3 * delta**2) / (eps**2 - delta**2)
    for name in derived:
        lead, first = derived[name]
        ratio = sp.simplify(first / lead)
        print(f"K~_{name}: leading {sp.factor(lead)}\n    relative first-order correction {sp.factor(ratio)}")
        c_lead, c_first = compact[name]
        assert sp.simplify(ratio - sp.simplify(c_first / c_lead)) == 0, name
        if name != "yz":
            assert sp.simplify(lead - c_lead) == 0, name
    print("all components agree with sigma -> sigma_0 (1 + i omega tau_p - D q^2 tau / 2), D -> v^2 sigma / eps;"
          f" tau / tau_tr = {rho}")


if __name__ == "__main__":
    main()
