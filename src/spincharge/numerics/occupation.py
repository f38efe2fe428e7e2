"""Occupation functions n(E) and their divided differences, evaluated without cancellation.

A product of resolvents (i eps - E_j)^-1 summed over fermionic Matsubara frequencies, or integrated over
eps at T = 0, is a divided difference of the occupation function (``spincharge.numerics.frequency_sums``):

    T sum_n prod_{j=1..N} 1 / (i omega_n - E_j) = n[E_1, ..., E_N],     N >= 2,

with n[a, b] = (n(a) - n(b)) / (a - b), n[a, b, c] = (n[a, b] - n[b, c]) / (a - c), and derivatives at
coinciding points (n[a, a] = n'(a), n[a, a, a] = n''(a) / 2). Three occupations are provided:

``FermiDirac(temperature)``
    n(E) = 1 / (exp(E / T) + 1); at T = 0 the step theta(-E), whose divided differences are exact
    rationals: n[p, q] = +-1/(p - q) across zero, n[p, q, r] = +-1/((p - q)(p - r)) for the argument p
    alone on its side of zero, else 0. The parts carried by delta(E) at T = 0 are not included here;
    ``frequency_sums`` collects them separately.
``LorentzianOccupation(width)``
    n(E) = 1/2 - arctan(E / Gamma) / pi, the T = 0 occupation of a level broadened by
    i eps -> i eps + i Gamma sgn(eps) in every resolvent (derivation in docs/conventions.md);
    -n'(E) = (Gamma / pi) / (E^2 + Gamma^2) is the Lorentzian of paper 000, Eq. (S21).

Stable forms used: the first divided difference in closed form (tanh-difference or arctan-difference
identity), the second one by recursion dividing by the widest spread of its three arguments, switching
to a Taylor expansion about their mean when the spread is below ``1e-4`` of the occupation's energy scale.

The scalar kernels are compiled with numba, so that ``frequency_sums`` can call them inside its compiled
loops; the methods of the classes are their element-wise (broadcasting) versions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from scipy.special import expit

__all__ = ["FermiDirac", "LorentzianOccupation", "occupation_for"]

STEP, FERMI, LORENTZIAN = 0, 1, 2  # kernel codes
_TAYLOR_SPREAD = 1e-4  # relative spread below which n[a, b, c] uses its Taylor series


# Denominators are made nonzero on the branches not taken: the compiled code may evaluate both sides
# of a condition, and a floating-point exception there would be reported by the ufuncs.


@numba.njit(cache=True)
def _step_first(a, b):
    weight = (1.0 if a < 0.0 else 0.0) - (1.0 if b < 0.0 else 0.0)  # +1, -1, or 0 on the same side
    difference = a - b
    return weight / (difference if weight != 0.0 else 1.0)


@numba.njit(cache=True)
def _step_second(a, b, c):
    count = (a < 0.0) + (b < 0.0) + (c < 0.0)
    if count == 0 or count == 3:
        return 0.0
    lone_occupied = count == 1
    # the argument alone on its side of zero, p, and the product of its distances to the other two
    if (a < 0.0) == lone_occupied:
        product = (a - b) * (a - c)
    elif (b < 0.0) == lone_occupied:
        product = (b - a) * (b - c)
    else:
        product = (c - a) * (c - b)
    return (1.0 if lone_occupied else -1.0) / product


@numba.njit(cache=True)
def _fermi_first(a, b, temperature):
    # n(a) - n(b) = -sinh(d) / (2 cosh(A) cosh(B)), A = a/2T, B = b/2T, d = A - B, with exp(-|A|-|B|)
    # factored out: no cancellation, no overflow
    two_t = 2.0 * temperature
    big_a, big_b = abs(a) / two_t, abs(b) / two_t
    d = abs(a - b) / two_t
    sinhc = -math.expm1(-2.0 * d) / (2.0 * d if d > 0.0 else 1.0) if d > 0.0 else 1.0
    return -(
        math.exp(d - big_a - big_b)
        * sinhc
        / (temperature * (1.0 + math.exp(-2.0 * big_a)) * (1.0 + math.exp(-2.0 * big_b)))
    )


@numba.njit(cache=True)
def _lorentzian_first(a, b, width):
    # arctan(a/G) - arctan(b/G) = atan2(G (a - b), G^2 + a b)
    difference = a - b
    if difference == 0.0:
        return -width / (width * width + a * b) / math.pi
    safe = difference if difference != 0.0 else 1.0
    return -math.atan2(width * difference, width * width + a * b) / (safe * math.pi)


@numba.njit(cache=True)
def _first(code, a, b, parameter):
    """n[a, b] for the occupation ``code`` (STEP, FERMI, LORENTZIAN) with its parameter (T or Gamma)."""
    if code == STEP:
        return _step_first(a, b)
    if code == FERMI:
        return _fermi_first(a, b, parameter)
    return _lorentzian_first(a, b, parameter)


@numba.njit(cache=True)
def _even_derivatives(code, energy, parameter):
    """(n''(E), n''''(E)) of the smooth occupations."""
    if code == FERMI:
        t = math.tanh(energy / (2.0 * parameter))
        s = 1.0 - t * t
        return t * s / (4.0 * parameter**2), t * (3.0 * t * t - 2.0) * s / (4.0 * parameter**4)
    # n^(k)(E) = -(1/pi) Im[(-1)^(k-1) (k-1)! (E - i Gamma)^(-k)]
    z = complex(energy, -parameter)
    return (z ** (-2)).imag / math.pi, 6.0 * (z ** (-4)).imag / math.pi


@numba.njit(cache=True)
def _second(code, a, b, c, parameter):
    """n[a, b, c], symmetric in its arguments."""
    if code == STEP:
        return _step_second(a, b, c)
    low, high = min(a, b, c), max(a, b, c)
    middle = a + b + c - low - high
    spread = high - low
    if spread > _TAYLOR_SPREAD * parameter:
        safe = low - high if spread > 0.0 else -1.0
        return (_first(code, low, middle, parameter) - _first(code, middle, high, parameter)) / safe
    # Taylor series about the mean m, y_i = x_i - m (sum y_i = 0):
    # n[x0, x1, x2] = n''(m)/2 + n''''(m)/24 * (sum y_i^2)/2 + O(spread^3)
    mean = (a + b + c) / 3.0
    second, fourth = _even_derivatives(code, mean, parameter)
    squares = (a - mean) ** 2 + (b - mean) ** 2 + (c - mean) ** 2
    return 0.5 * second + fourth * squares / 48.0


@numba.vectorize(["f8(i8, f8, f8, f8)"], cache=True)
def _first_elementwise(code, a, b, parameter):
    return _first(code, a, b, parameter)


@numba.vectorize(["f8(i8, f8, f8, f8, f8)"], cache=True)
def _second_elementwise(code, a, b, c, parameter):
    return _second(code, a, b, c, parameter)


class _Occupation:
    """Element-wise divided differences of an occupation with kernel ``code`` and ``parameter``."""

    code: int
    parameter: float

    @property
    def scale(self) -> float:
        """Energy scale of the occupation's smooth features: T or Gamma (0 for the T = 0 step)."""
        return self.parameter

    def first_divided_difference(self, a, b):
        """n[a, b] = (n(a) - n(b)) / (a - b), n'(a) at a = b; broadcasts."""
        return _first_elementwise(self.code, np.asarray(a, dtype=float), np.asarray(b, dtype=float), self.parameter)

    def second_divided_difference(self, a, b, c):
        """n[a, b, c], symmetric in its arguments; broadcasts."""
        a, b, c = (np.asarray(x, dtype=float) for x in (a, b, c))
        return _second_elementwise(self.code, a, b, c, self.parameter)


@dataclass(frozen=True)
class FermiDirac(_Occupation):
    """Fermi-Dirac occupation at temperature T >= 0 (k_B = 1); T = 0 is the step theta(-E)."""

    temperature: float = 0.0

    def __post_init__(self):
        if not (np.isfinite(self.temperature) and self.temperature >= 0):
            raise ValueError(f"temperature must be finite and >= 0, got {self.temperature!r}")

    @property
    def code(self) -> int:
        return STEP if self.temperature == 0 else FERMI

    @property
    def parameter(self) -> float:
        return float(self.temperature)

    def value(self, energy):
        energy = np.asarray(energy, dtype=float)
        if self.temperature == 0:
            return np.where(energy < 0, 1.0, np.where(energy == 0, 0.5, 0.0))
        return expit(-energy / self.temperature)


@dataclass(frozen=True)
class LorentzianOccupation(_Occupation):
    """T = 0 occupation of a level broadened by Gamma > 0: n(E) = 1/2 - arctan(E / Gamma) / pi."""

    width: float

    def __post_init__(self):
        if not (np.isfinite(self.width) and self.width > 0):
            raise ValueError(f"width (broadening) must be finite and > 0, got {self.width!r}")

    code = LORENTZIAN

    @property
    def parameter(self) -> float:
        return float(self.width)

    def value(self, energy):
        return 0.5 - np.arctan(np.asarray(energy, dtype=float) / self.width) / np.pi


def occupation_for(temperature: float = 0.0, broadening: float = 0.0) -> FermiDirac | LorentzianOccupation:
    """The occupation function for temperature T and broadening Gamma (at most one of them nonzero)."""
    if not (np.isfinite(broadening) and broadening >= 0):
        raise ValueError(f"broadening must be finite and >= 0, got {broadening!r}")
    if broadening == 0:
        return FermiDirac(temperature)
    if temperature != 0:
        raise ValueError(
            "temperature and broadening cannot both be nonzero (supported: temperature >= 0 with "
            f"broadening = 0, or broadening > 0 at temperature = 0); got {temperature!r}, {broadening!r}"
        )
    return LorentzianOccupation(broadening)
