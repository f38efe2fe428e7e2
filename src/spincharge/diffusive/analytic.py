"""Closed forms of paper 002 to leading order in alpha (witnesses for the direct numerics).

Every function uses epsilon = fermi_energy and Delta = Delta_z = exchange m_z, hbar = 1, conductivities in
e^2/h. Where a printed equation did not survive the direct computation the corrected form is implemented
and the printed one is kept behind ``printed=True`` so that the tests can show the disagreement (see
docs/conventions.md, "Diffusive spin-orbit torque (paper 002)").
"""

from __future__ import annotations

import numpy as np

from ..models.dirac_ferromagnet import DiracFerromagnet

__all__ = [
    "drude_conductivity",
    "hall_conductivity",
    "noncrossing_hall_conductivity",
    "crossed_hall_conductivity",
    "diffusion_constant",
    "transport_time",
    "ladder_determinant",
    "bubble_expansion",
    "spin_charge_vector",
    "out_of_plane_correlator",
    "first_order_conductivity",
    "first_order_frame_correlator",
]


def _energies(model: DiracFerromagnet) -> tuple[float, float]:
    """(eps, Delta_z); the closed forms need a metal, eps > |Delta_z|."""
    if model.fermi_energy <= abs(model.exchange_z):
        raise ValueError(f"fermi_energy must exceed |Delta_z| = {abs(model.exchange_z)!r}, got {model.fermi_energy!r}")
    return model.fermi_energy, model.exchange_z


def drude_conductivity(model: DiracFerromagnet) -> float:
    """sigma_0 = (eps^2 - Delta^2) / (pi alpha (eps^2 + 3 Delta^2)) in e^2/h (paper 002, Eq. 10)."""
    e, d = _energies(model)
    return (e**2 - d**2) / (np.pi * model.disorder_alpha * (e**2 + 3 * d**2))


def hall_conductivity(model: DiracFerromagnet) -> float:
    """sigma_H = 8 eps Delta^3 / (eps^2 + 3 Delta^2)^2 in e^2/h, ladder plus X and Psi diagrams (Eq. 10, Ref. 55)."""
    e, d = _energies(model)
    return 8 * e * d**3 / (e**2 + 3 * d**2) ** 2


def noncrossing_hall_conductivity(model: DiracFerromagnet) -> float:
    """Non-crossing (ladder) part 4 eps Delta (eps^2 + Delta^2) / (eps^2 + 3 Delta^2)^2, from Eq. (s15a).

    Derived here: the in-plane block of pi alpha M_0 is r 1 + pi alpha b J with r = (eps^2 - Delta^2) /
    (2 (eps^2 + Delta^2)), b = eps Delta / (eps^2 + Delta^2), J = [[0, 1], [-1, 0]]; the ladder gives
    K_xy = b / (1 - r)^2 + O(alpha).
    """
    e, d = _energies(model)
    return 4 * e * d * (e**2 + d**2) / (e**2 + 3 * d**2) ** 2


def crossed_hall_conductivity(model: DiracFerromagnet) -> float:
    """X + Psi part of sigma_H: Eq. (10) minus the ladder part, -4 eps Delta (eps^2 - Delta^2)/(eps^2 + 3 Delta^2)^2."""
    return hall_conductivity(model) - noncrossing_hall_conductivity(model)


def diffusion_constant(model: DiracFerromagnet) -> float:
    """D = v^2 sigma_0 / eps (paper 002, after Eq. 9); equals v_F^2 tau_p / 2 with v_F = v p_F / eps."""
    return model.v**2 * drude_conductivity(model) / model.fermi_energy


def transport_time(model: DiracFerromagnet) -> float:
    """tau_tr = eps sigma_0 / (eps^2 + Delta^2) (paper 002, after Eq. 10, hbar = 1)."""
    e, d = _energies(model)
    return e * drude_conductivity(model) / (e**2 + d**2)


def ladder_determinant(model: DiracFerromagnet, q: float, omega: float) -> complex:
    """det[1 - pi alpha M] to first order in omega tau_tr and q^2 (paper 002, Eq. s17, verified as printed).

    -eps (eps^2 + 3 Delta^2)^2 / (4 pi alpha (eps^2 + Delta^2)^3)
      * (i omega (1 - i omega tau_tr (eps^2 - 5 Delta^2)/(eps^2 - Delta^2)) - D q^2).
    """
    e, d = _energies(model)
    prefactor = -e * (e**2 + 3 * d**2) ** 2 / (4 * np.pi * model.disorder_alpha * (e**2 + d**2) ** 3)
    tau = transport_time(model)
    correction = 1 - 1j * omega * tau * (e**2 - 5 * d**2) / (e**2 - d**2)
    return prefactor * (1j * omega * correction - diffusion_constant(model) * q**2)


def bubble_expansion(model: DiracFerromagnet, q, omega: float, *, printed: bool = False) -> np.ndarray:
    """M_0 + M_omega + M_omega^2 + M_q omega + M_q^2 of paper 002, Eqs. (s15a-e), a 4x4 matrix.

    With ``printed=False`` (default) two printed misprints are corrected, as the direct integration
    demands (tests/diffusive/test_bubble.py):
    * Eq. (s15d): the first-order q vertex couples sigma_0 to the velocity direction, so the entries
      (0, x), (0, y) are eps (-q_y, q_x) and (x, z), (y, z) are -Delta (-q_y, q_x) (printed: eps (q_x, q_y)).
    * Eq. (s15e): the (0, z) block has the opposite overall sign (-eps^2 q^2, +eps Delta q^2, -Delta^2 q^2),
      and the in-plane block is -(eps^2 - Delta^2)/4 [[q_x^2 + 3 q_y^2, -2 q_x q_y], [-2 q_x q_y, 3 q_x^2 + q_y^2]]
      (printed: [[3 q_x^2 - q_y^2, 2 q_x q_y], [2 q_x q_y, 3 q_y^2 - q_x^2]]).
    """
    e, d = _energies(model)
    v, pa = model.v, np.pi * model.disorder_alpha
    qx, qy = np.asarray(q, dtype=float)
    q2 = qx**2 + qy**2
    g = pa * (e**2 + d**2)
    s = e**2 - d**2
    charge = np.array([[e**2, 0, 0, -e * d], [0, 0, 0, 0], [0, 0, 0, 0], [-e * d, 0, 0, d**2]], dtype=complex)
    static_plane = np.array([[0, 0, 0, 0], [0, s / 2, pa * e * d, 0], [0, -pa * e * d, s / 2, 0], [0] * 4], dtype=complex)
    dynamic_plane = np.array(
        [[0, 0, 0, 0], [0, s / 2, pa * s * d / (2 * e), 0], [0, -pa * s * d / (2 * e), s / 2, 0], [0] * 4],
        dtype=complex,
    )
    x = 1j * omega * e / g
    m_frequency = (charge + static_plane) / g + (charge + dynamic_plane) * (x + x**2) / g
    if printed:
        gx, gy = qx, qy
        q_charge_sign = 1.0
        plane = -s / 4 * np.array([[3 * qx**2 - qy**2, 2 * qx * qy], [2 * qx * qy, 3 * qy**2 - qx**2]])
    else:
        gx, gy = -qy, qx
        q_charge_sign = -1.0
        plane = -s / 4 * np.array([[qx**2 + 3 * qy**2, -2 * qx * qy], [-2 * qx * qy, 3 * qx**2 + qy**2]])
    linear = np.array([[0, e * gx, e * gy, 0], [e * gx, 0, 0, -d * gx], [e * gy, 0, 0, -d * gy], [0, -d * gx, -d * gy, 0]])
    m_linear = v * s / g**2 * (-0.5j + e * omega / g) * linear
    quadratic = q_charge_sign * q2 * charge
    quadratic[1:3, 1:3] = plane
    m_quadratic = v**2 * s / (2 * g**3) * quadratic
    return m_frequency + m_linear + m_quadratic


def spin_charge_vector(model: DiracFerromagnet, q, omega: float) -> np.ndarray:
    """Q(q, omega) = (Delta / v) i D q / (i omega - D q^2) (paper 002, Eq. 11; leading term of Eq. s19a).

    Enters K as K_xz = K_zx = Q_y, K_yz = K_zy = -Q_x (Eq. 8); confirmed in sign and size by the ladder.
    """
    _, d = _energies(model)
    q = np.asarray(q, dtype=float)
    dq2 = diffusion_constant(model) * np.dot(q, q)
    return d / model.v * 1j * diffusion_constant(model) * q / (1j * omega - dq2)


def out_of_plane_correlator(model: DiracFerromagnet, q, omega: float, *, printed: bool = False) -> complex:
    """sigma_zz = K_zz(q, omega) = (Delta^2 / eps) / (D q^2 - i omega) to leading order.

    Paper 002, Eq. (s19b) and Eq. (16) print the opposite sign, (Delta^2/eps) / (i omega - D q^2), i.e.
    Delta^2 / (i eps omega) at q = 0 (returned with ``printed=True``). The direct ladder gives
    K_zz(q = 0) = -Delta^2 / (i eps omega) = i Delta^2 / (eps omega); the static limit is positive,
    K_zz(q, 0) = Delta^2 / (eps D q^2) > 0, as a ladder of positive diffuson rungs must be.
    """
    e, d = _energies(model)
    q = np.asarray(q, dtype=float)
    pole = 1.0 / (1j * omega - diffusion_constant(model) * np.dot(q, q))
    sign = 1.0 if printed else -1.0
    return complex(sign * d**2 / e * pole)


def first_order_conductivity(model: DiracFerromagnet, q: float, omega: float) -> complex:
    """sigma(q, omega) = sigma_0 (1 + i omega tau_p - D q^2 tau / 2), first order in omega tau and D q^2 tau.

    tau_p = 2 eps sigma_0 / (eps^2 - Delta^2) (Drude time), tau = eps / (pi alpha (eps^2 + Delta^2)) (single-particle
    time, tau = tau_tr (eps^2 + 3 Delta^2)/(eps^2 - Delta^2)). Derived (leading order in alpha) in
    scripts/derive_paper002_omega_tau.py: with D(q, omega) = v^2 sigma / eps it gives every O(omega tau) term of
    K(q, omega) (:func:`first_order_frame_correlator`). Replaces the corrections printed in Eqs. (s18), (s19a), (s21).
    """
    e, d = _energies(model)
    sigma_0 = drude_conductivity(model)
    tau_p = 2 * e * sigma_0 / (e**2 - d**2)
    tau = e / (np.pi * model.disorder_alpha * (e**2 + d**2))
    return complex(sigma_0 * (1 + 1j * omega * tau_p - diffusion_constant(model) * q**2 * tau / 2))


def first_order_frame_correlator(model: DiracFerromagnet, q: float, omega: float, *, printed: bool = False) -> np.ndarray:
    """K~ = U^T K U of paper 002, Eq. (s20) (frame x || q, 3x3 x, y, z) to first order in omega tau, D q^2 tau.

    Leading order in alpha; the O(alpha^0) Hall entries are left out (zero here). Derived in
    scripts/derive_paper002_omega_tau.py (sympy; docs/conventions.md, paper 002, item 7):

        K~_xx = sigma,  K~_yy = sigma i omega / (i omega - D q^2),  K~_yz = K~_zy = -Q,  Q = (Delta/v) i D q / (i omega - D q^2),
        K~_zz = (Delta^2 / eps) / (D q^2 - i omega),

    with sigma = sigma(q, omega) of :func:`first_order_conductivity` and D = v^2 sigma / eps: the leading Eqs. (9),
    (11) and the sign-corrected (s19b), whose expansion to first order gives the O(omega tau) terms. ``printed=True``:
    Eqs. (s21a), (s21b), (s19a) and (s19b) as printed (s19b with its sign; K~_yz = -Q as in Eq. 8).
    """
    e, d = _energies(model)
    v = model.v
    if printed:
        sigma_0, diffusion, tau = drude_conductivity(model), diffusion_constant(model), transport_time(model)
        pole = diffusion * q**2 / (1j * omega - diffusion * q**2)
        norm = 2 * np.pi * model.disorder_alpha * (e**2 + d**2)
        xx = sigma_0 - pole * 1j * omega * tau * (7 * e**2 + 11 * d**2) / norm
        yy = sigma_0 + pole * (sigma_0 - 1j * omega * tau * (e**2 + 5 * d**2) / norm)
        charge = d / v * 1j * diffusion * q / (1j * omega - diffusion * q**2) * (1 + 1j * omega * tau * (e**2 + 7 * d**2) / (e**2 + d**2))
        c = (e**2 - 5 * d**2) / (e**2 - d**2)
        zz = d**2 / e / (1j * omega - diffusion * q**2 + omega**2 * tau * c) * (1 - 1j * omega * tau * c)
    else:
        xx = first_order_conductivity(model, q, omega)
        diffusion = v**2 * xx / e
        denominator = 1j * omega - diffusion * q**2
        yy = xx * 1j * omega / denominator
        charge = d / v * 1j * diffusion * q / denominator
        zz = -(d**2) / e / denominator
    return np.array([[xx, 0, 0], [0, yy, -charge], [0, -charge, zz]], dtype=complex)
