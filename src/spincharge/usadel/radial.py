"""Radial vortex equations of paper 003, Appendix E: the derived ones and the printed ones.

Everything is dimensionless: lengths rho = r/xi with xi = sqrt(D / 2 Delta(T)), frequencies
w = omega/Delta(T) (omega > 0), spin-relaxation g = Gamma/(2 Delta(T)). P(rho) = a_s is the singlet
Riccati amplitude (the upper-right Nambu block of g is 2 a/(1 + ab), paper 003, Eq. (S6)), and the
triplet amplitudes are a_1, a_2 in the paper's ansatz (above Eq. (S15)):
    a_rot = P + (i a_1 sigma_x + a_2 sigma_y),  b_rot = P + (i a_1 sigma_x - a_2 sigma_y),
in the frame that co-rotates with the polar angle (sigma_x radial, sigma_y tangential), measured in
units of gamma_o xi / D (gamma_xy = -gamma_yx = gamma_o).

``DERIVED`` is what ``scripts/derive_usadel_vortex.py`` obtains from Eqs. (S3)-(S5) (with the sign of
the torque fixed by g^2 = 1, see docs/conventions.md), ``PAPER`` is Eqs. (S11), (S12), (S17), (S18)
and the spin formula as printed. Each equation is written as

    singlet:  P'' + P'/rho + G(P, P', rho) = 0
    triplet:  a_k'' + p_k a_k' + sum_l C_kl a_l = s_k      (k, l = 1, 2)

and each variant also gives the summands of the current and spin Matsubara sums. ``delta`` is the local
pair-potential magnitude |Delta(r)|/Delta(T) (1 in the paper's non-self-consistent model); Delta enters
the derived equations only through its value (no derivative of Delta appears in Eq. (S3)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SingletTerms:
    """G(P, P', rho) and its partial derivatives in P and P' (arrays broadcast together)."""

    value: np.ndarray
    d_amplitude: np.ndarray
    d_slope: np.ndarray


@dataclass(frozen=True)
class TripletTerms:
    """Coefficients of a_k'' + p_k a_k' + sum_l C_kl a_l = s_k."""

    p1: np.ndarray
    p2: np.ndarray
    c11: np.ndarray
    c12: np.ndarray
    c21: np.ndarray
    c22: np.ndarray
    s1: np.ndarray
    s2: np.ndarray


class DerivedEquations:
    """Radial equations derived from paper 003, Eqs. (S3)-(S5) (``scripts/derive_usadel_vortex.py``).

    Singlet (replaces S11)::

        P'' + P'/rho - n^2 P (1 - P^2) / (rho^2 (1 + P^2)) - 2 P P'^2 / (1 + P^2) = w P - (1 - P^2)/2

    Triplet (replaces S17, S18), with q = 1 + P^2, k = w + g + P::

        a_1'' + (1/rho - 4 P P'/q) a_1' - [(q^2 - n^2 (P^4 + 4P^2 - 1)) / (rho^2 q^2)
              + 2 P'^2 (1 - P^2)/q^2 + k] a_1 - 2 n (1 - P^2)/(rho^2 q) a_2 = n P / rho
        a_2'' + (1/rho - 4 P P'/q) a_2' - [(1 + n^2 (1 - P^2)/q) / rho^2 - 2 P'^2/q + k] a_2
              - 2 n (1 - P^2)/(rho^2 q) a_1 = -P'

    Current summand (replaces S12): F^2 n/rho with F = 2P/(1 + P^2); spin summand P a_1 / (1 + P^2)^2.
    """

    name = "derived"
    #: current summand = current_small_amplitude * n P^2 / rho + O(P^4) (high-frequency core, ``core``)
    current_small_amplitude = 4.0

    @staticmethod
    def singlet(P, dP, rho, w, n, delta=1.0):
        q = 1 + P**2
        value = -(n**2) * P * (1 - P**2) / (rho**2 * q) - 2 * P * dP**2 / q - w * P + delta * (1 - P**2) / 2
        d_amplitude = (
            -(n**2) * (1 - 4 * P**2 - P**4) / (rho**2 * q**2) - 2 * dP**2 * (1 - P**2) / q**2 - w - delta * P
        )
        return SingletTerms(value, d_amplitude, -4 * P * dP / q)

    @staticmethod
    def triplet(P, dP, rho, w, g, n, delta=1.0):
        q = 1 + P**2
        k = w + g + delta * P
        drift = 1 / rho - 4 * P * dP / q
        coupling = -2 * n * (1 - P**2) / (rho**2 * q)
        c11 = -((q**2 - n**2 * (P**4 + 4 * P**2 - 1)) / (rho**2 * q**2) + 2 * dP**2 * (1 - P**2) / q**2 + k)
        c22 = -((1 + n**2 * (1 - P**2) / q) / rho**2 - 2 * dP**2 / q + k)
        return TripletTerms(drift, drift, c11, coupling, coupling, c22, n * P / rho, -dP)

    @staticmethod
    def current_summand(P, rho, n):
        return (2 * P / (1 + P**2)) ** 2 * n / rho

    @staticmethod
    def spin_summand(P, a1):
        return P * a1 / (1 + P**2) ** 2


class PaperEquations:
    """Paper 003, Eqs. (S11), (S12), (S17), (S18) and the spin formula below Fig. 3, as printed.

    In xi(T) units (2|omega|/D -> w, Delta/D -> 1/2, 1/l_so^2 -> g, 2 Delta/D -> 1)::

        S11: P'' + P'/rho - n^2 P/rho^2 - P (P'^2 + n^2 P^2/rho^2) = w P - (1 - P^2)/2
        S17: a_1'' + a_1'/rho - (n^2+1)/rho^2 a_1 - 2n/rho^2 a_2 - P'^2 a_1 - 2 P P' a_1'
             - 3 n^2 P^2/rho^2 a_1 + 2 n P^2 a_2 = (w + g + P) a_1 + n P/rho
        S18: a_2'' + a_2'/rho - (n^2+1)/rho^2 a_2 - 2n/rho^2 a_1 - P'^2 a_2 - 3 n^2 P^2/rho^2 a_2
             = (w + g + 1 + P) a_2 - P'

    (the printed "2 n a_s^2 a_2" has no 1/r^2; the source signs are moved to the left as printed).
    Current summand (S12): n P^2 / (rho (1 + P^2)); spin summand: P a_1 (no (1 + P^2)^-2).
    """

    name = "paper"
    current_small_amplitude = 1.0

    @staticmethod
    def singlet(P, dP, rho, w, n, delta=1.0):
        value = -(n**2) * P / rho**2 - P * (dP**2 + n**2 * P**2 / rho**2) - w * P + delta * (1 - P**2) / 2
        d_amplitude = -(n**2) / rho**2 - dP**2 - 3 * n**2 * P**2 / rho**2 - w - delta * P
        return SingletTerms(value, d_amplitude, -2 * P * dP)

    @staticmethod
    def triplet(P, dP, rho, w, g, n, delta=1.0):
        k = w + g + delta * P
        c11 = -(n**2 + 1) / rho**2 - dP**2 - 3 * n**2 * P**2 / rho**2 - k
        c22 = -(n**2 + 1) / rho**2 - dP**2 - 3 * n**2 * P**2 / rho**2 - (k + delta)
        return TripletTerms(
            1 / rho - 2 * P * dP,
            1 / rho + 0 * P,
            c11,
            -2 * n / rho**2 + 2 * n * P**2,
            -2 * n / rho**2 + 0 * P,
            c22,
            n * P / rho,
            -dP,
        )

    @staticmethod
    def current_summand(P, rho, n):
        return n * P**2 / (rho * (1 + P**2))

    @staticmethod
    def spin_summand(P, a1):
        return P * a1


EQUATIONS = {"derived": DerivedEquations, "paper": PaperEquations}
