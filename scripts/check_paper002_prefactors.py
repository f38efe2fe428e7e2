"""Sympy derivation of the prefactors and signs of paper 002, Eqs. (1), (3), (16), (17) (hbar = 1).

Run ``python scripts/check_paper002_prefactors.py`` to print each derived quantity next to what it must
equal; ``tests/diffusive/test_independent_witness.py`` runs :func:`derive` and requires every pair to agree.
Each entry of :func:`derive` is ``name -> (derived, expected)``:

1. ``precession``: Heisenberg equation for a spin S in H = -B . S (the form of H_ex = -J_sd S . sigma):
   dS/dt = S x B. Hence T = (J_sd A) m x s in Eq. (1), and a magnet with energy E(m) precesses as
   dm/dt = m x F, F = -(1/S) dE/dm.
2. ``gilbert_dissipation``: with dm/dt = m x F + a m x dm/dt, dE/dt = S a |F_perp|^2 / (1 + a^2): damping
   dissipates only for a < 0 in the model's own precession sense.
3. ``velocity``: v = dH/dp = v (sigma_y, -sigma_x), so z x j / (e v) = sigma_par: s_par = z x J / (e v).
4. ``lorentzian_identity``: pi Tr[A delta B delta] = (1/2 pi) Re Tr[A G^R B G^A] - (1/2 pi) Re Tr[A G^R B G^R],
   delta = (G^A - G^R)/(2 pi i). With the Lehmann form Im chi_AB = -pi omega Tr[A delta B delta] (response
   to dH = h B), the R-A part of the response is delta<A> = -(i omega / 2 pi) Tr[A G^R B G^A] h.
5. ``eq3_from_kubo``: with dH = -e v (A x sigma)_z - Delta_sd dm . sigma and E = i omega A this gives
   s = -(1/(2 pi v^2)) K [e v (E x z) - i omega Delta_sd m]: -1/(2 pi) times the printed Eq. (3).
6. ``ohm``: at q = 0, K_par = sigma_0: corrected Eq. (3) gives s_par = z x J/(e v) with J = sigma_0 (e^2/h) E.
7. ``gilbert_prefactor``: T = (J A) m x s with s from item 5 at q = 0 (-i omega m = dm/dt, K_zz dropped) is
   -(J^2 S A/(2 pi v^2)) m x (sigma_0 dm_par/dt + (sigma_H/m_z) dm_par/dt x m_perp); printed: +1/pi.
   ``electron_heating``: P = -Delta_sd dm/dt . s = Delta_sd^2 sigma_0 |dm_par/dt|^2 / (2 pi v^2) >= 0.
8. ``kzz_residue``: the (0, z) block of Eqs. (s15a, s15b) summed as K = M (1 - pi alpha M)^-1 gives
   lim omega K_zz(0, omega) = i Delta^2/eps (Eq. 16 prints Delta^2/(i eps), the opposite sign); the in-plane
   block of Eq. (s15a) gives sigma_0 (Eq. 10) and the ladder Hall part 4 eps Delta (eps^2+Delta^2)/(eps^2+3 Delta^2)^2.
9. ``fixed_n_minus_fixed_mu``: thermodynamics, chi_N - chi_mu = (d s_z/d mu)^2 / nu = Delta^2/(2 pi eps v^2) for
   the clean Dirac band (nu = eps/(2 pi v^2), <sigma_z> = -Delta/eps on the Fermi surface); the corrected
   Eq. (3) with the residue of item 8 gives the same, -(i omega/(2 pi v^2)) (i Delta^2/(eps omega)).
10. ``static_spin_density``: the static limit of Eq. (11) in the corrected Eq. (3), s_z = (e/(2 pi v)) (-Q_x) E_x,
   equals the local-equilibrium value -e rho_z i E_x / q (delta mu = -e phi, E = -i q phi).
"""

from __future__ import annotations

import sympy as sp

I = sp.I
e, v, omega, q, alpha = sp.symbols("e v omega q alpha", positive=True)
eps, S, J_A, sigma_0 = sp.symbols("epsilon S J_A sigma_0", positive=True)
delta, sigma_h, a = sp.symbols("Delta sigma_H a", real=True)
PAULI = [sp.eye(2), sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -I], [I, 0]]), sp.Matrix([[1, 0], [0, -1]])]


def _vec(name):
    return sp.Matrix(sp.symbols(f"{name}_x {name}_y {name}_z", real=True))


def _precession():
    b = _vec("B")
    spin = [PAULI[i] / 2 for i in (1, 2, 3)]
    hamiltonian = -sum((b[i] * spin[i] for i in range(3)), sp.zeros(2))
    rate = [I * (hamiltonian * s_i - s_i * hamiltonian) for s_i in spin]  # dS/dt = i [H, S]
    cross = [spin[1] * b[2] - spin[2] * b[1], spin[2] * b[0] - spin[0] * b[2], spin[0] * b[1] - spin[1] * b[0]]
    return sp.Matrix.vstack(*rate), sp.Matrix.vstack(*cross)


def _gilbert_dissipation():
    """m = z (any m by rotation), F general, dm/dt = (x, y, 0) solves dm/dt = m x F + a m x dm/dt."""
    f = _vec("F")
    x, y = sp.symbols("x y")
    z_hat = sp.Matrix([0, 0, 1])
    rate = sp.Matrix([x, y, 0])
    solution = sp.solve(list(rate - z_hat.cross(f) - a * z_hat.cross(rate))[:2], [x, y], dict=True)[0]
    energy_rate = (-S * f).dot(rate.subs(solution))  # dE/dt = dE/dm . dm/dt, dE/dm = -S F
    return sp.simplify(energy_rate), S * a * (f[0] ** 2 + f[1] ** 2) / (1 + a**2)


def _velocity():
    px, py = sp.symbols("p_x p_y", real=True)
    hamiltonian = v * (px * PAULI[2] - py * PAULI[1]) - delta * PAULI[3]
    velocity = [sp.diff(hamiltonian, px), sp.diff(hamiltonian, py)]
    z_cross_j_over_ev = [-velocity[1] / v, velocity[0] / v]  # z x (j_x, j_y) = (-j_y, j_x), j = e v
    return sp.Matrix.hstack(*z_cross_j_over_ev), sp.Matrix.hstack(PAULI[1], PAULI[2])


def _lorentzian_identity():
    energy, eta = sp.symbols("E eta", positive=True)
    g_r, g_a = 1 / (energy + I * eta), 1 / (energy - I * eta)
    spectral = (g_a - g_r) / (2 * sp.pi * I)
    derived = sp.pi * spectral**2
    expected = (sp.re(sp.expand_complex(g_r * g_a)) - sp.re(sp.expand_complex(g_r * g_r))) / (2 * sp.pi)
    return sp.simplify(derived), sp.simplify(expected)


def _k_matrix():
    return sp.Matrix(3, 3, sp.symbols("K_11:14 K_21:24 K_31:34"))


def _eq3_from_kubo():
    k = _k_matrix()
    field, dm = _vec("E"), _vec("dm")
    field[2] = 0
    potential = field / (I * omega)  # E = -dA/dt = i omega A
    h = e * v * sp.Matrix([potential[1], -potential[0], 0]) - delta * dm  # dH = h . sigma
    kubo = -(I * omega / (2 * sp.pi * v**2)) * k * h
    e_cross_z = sp.Matrix([field[1], -field[0], 0])
    printed = k * (e * v * e_cross_z - I * omega * delta * dm) / v**2
    return sp.simplify(kubo + printed / (2 * sp.pi)), sp.zeros(3, 1)


def _ohm():
    field = _vec("E")
    field[2] = 0
    k = sp.diag(sigma_0, sigma_0, 0)
    spin = -(1 / (2 * sp.pi * v**2)) * k * e * v * sp.Matrix([field[1], -field[0], 0])
    current = sigma_0 * e**2 / (2 * sp.pi) * field  # e^2/h = e^2/(2 pi) with hbar = 1
    return spin, sp.Matrix([0, 0, 1]).cross(current) / (e * v)


def _gilbert():
    """Torque and electron heating at q = 0; returns (prefactor c of T = c J^2 S A / v^2 m x (...), heating)."""
    m, rate = _vec("m"), _vec("mdot")
    k = sp.Matrix([[sigma_0, sigma_h, 0], [-sigma_h, sigma_0, 0], [0, 0, 0]])
    exchange = J_A * S  # Delta_sd = J S; J A = J_A
    spin = -(exchange / (2 * sp.pi * v**2)) * k * rate  # corrected Eq. (3), -i omega m -> dm/dt
    torque = J_A * m.cross(spin)
    rate_par, m_perp = sp.Matrix([rate[0], rate[1], 0]), sp.Matrix([0, 0, m[2]])
    shape = J_A**2 * S / v**2 * m.cross(sigma_0 * rate_par + sigma_h / m[2] * rate_par.cross(m_perp))  # Eq. (17)
    c = sp.Symbol("c")
    prefactor = sp.solve(torque[0] - c * shape[0], c)[0]
    assert sp.simplify(torque - prefactor * shape) == sp.zeros(3, 1)
    heating = -exchange * rate.dot(spin)
    return sp.simplify(prefactor), sp.simplify(heating)


def _ladder_limits():
    g = sp.pi * alpha * (eps**2 + delta**2)
    charge = sp.Matrix([[eps**2, -eps * delta], [-eps * delta, delta**2]])
    bubble = charge / g * (1 + I * omega * eps / g)  # (0, z) block of Eqs. (s15a) + (s15b)
    k = bubble * (sp.eye(2) - sp.pi * alpha * bubble).inv()
    residue = sp.limit(sp.simplify(omega * k[1, 1]), omega, 0)
    plane = sp.Matrix([[(eps**2 - delta**2) / 2, sp.pi * alpha * eps * delta],
                       [-sp.pi * alpha * eps * delta, (eps**2 - delta**2) / 2]]) / g  # Eq. (s15a)
    k_plane = plane * (sp.eye(2) - sp.pi * alpha * plane).inv()
    sigma_xx = sp.limit(sp.simplify(alpha * k_plane[0, 0]), alpha, 0) / alpha
    sigma_xy = sp.limit(sp.simplify(k_plane[0, 1]), alpha, 0)
    return residue, sigma_xx, sigma_xy


def _fermi_surface_spin():
    """<sigma_z> of the upper-band eigenstate at p = (p, 0) and energy eps = sqrt(v^2 p^2 + Delta^2)."""
    p = sp.symbols("p", positive=True)
    hamiltonian = v * p * PAULI[2] - delta * PAULI[3]
    energy = sp.sqrt(v**2 * p**2 + delta**2)
    projector = (sp.eye(2) + hamiltonian / energy) / 2  # onto the band E = +energy
    return sp.simplify((PAULI[3] * projector).trace()), -delta / energy


def derive() -> dict:
    residue, sigma_xx, sigma_xy = _ladder_limits()
    spin_z, spin_z_expected = _fermi_surface_spin()
    rho_0 = eps / (2 * sp.pi * v**2)  # Dirac density of states (one cone)
    rho_z = rho_0 * (-delta / eps)  # d s_z / d mu = nu <sigma_z>_FS
    diffusion = v**2 * sigma_0 / eps
    q_x_static = delta / v * I * diffusion * q / (-diffusion * q**2)  # Eq. (11) at omega = 0
    prefactor, heating = _gilbert()
    return {
        "precession": _precession(),
        "gilbert_dissipation": _gilbert_dissipation(),
        "velocity": _velocity(),
        "lorentzian_identity": _lorentzian_identity(),
        "eq3_from_kubo": _eq3_from_kubo(),
        "ohm": _ohm(),
        "gilbert_prefactor": (prefactor, -1 / (2 * sp.pi)),
        "electron_heating": (heating, (J_A * S) ** 2 * sigma_0 * (sp.Symbol("mdot_x", real=True) ** 2
                                                                  + sp.Symbol("mdot_y", real=True) ** 2)
                             / (2 * sp.pi * v**2)),
        "printed_eq17_over_derived": ((1 / sp.pi) / prefactor, -2),
        "kzz_residue": (residue, I * delta**2 / eps),
        "kzz_residue_printed_eq16_is_opposite": (delta**2 / (I * eps), -residue),
        "sigma_0_eq10": (sigma_xx, (eps**2 - delta**2) / (sp.pi * alpha * (eps**2 + 3 * delta**2))),
        "ladder_hall": (sigma_xy, 4 * eps * delta * (eps**2 + delta**2) / (eps**2 + 3 * delta**2) ** 2),
        "fermi_surface_spin": (spin_z, spin_z_expected),
        "fixed_n_minus_fixed_mu": (-(I * omega / (2 * sp.pi * v**2)) * (I * delta**2 / (eps * omega)),
                                   rho_z**2 / rho_0),
        "static_spin_density": (e / (2 * sp.pi * v) * (-q_x_static), -e * rho_z * I / q),
    }


def main():
    for name, (derived, expected) in derive().items():
        ok = sp.simplify(derived - expected)
        ok = ok.is_zero_matrix if isinstance(ok, sp.MatrixBase) else ok == 0
        print(f"{name:40s} {'ok' if ok else 'MISMATCH'}\n    derived:  {derived}\n    expected: {expected}")


if __name__ == "__main__":
    main()
