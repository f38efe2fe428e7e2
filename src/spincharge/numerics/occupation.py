"""Occupation functions n(E) and their divided differences, evaluated without cancellation.

A product of resolvents (i eps - E_j)^-1 summed over fermionic Matsubara frequencies, or integrated over
eps at T = 0, is a divided difference of the occupation function (``spincharge.numerics.frequency_sums``):

    T sum_n prod_{j=1..N} 1 / (i omega_n - E_j) = n[E_1, ..., E_N],     N >= 2,

with n[a, b] = (n(a) - n(b)) / (a - b), n[a, b, c] = (n[a, b] - n[b, c]) / (a - c), and derivatives at
coinciding points (n[a, a] = n'(a), n[a, a, a] = n''(a) / 2). Four occupations are provided:

``FermiDirac(temperature)``
    n(E) = 1 / (exp(E / T) + 1); at T = 0 the step theta(-E), whose divided differences are exact
    rationals: n[p, q] = +-1/(p - q) across zero, n[p, q, r] = +-1/((p - q)(p - r)) for the argument p
    alone on its side of zero, else 0. The parts carried by delta(E) at T = 0 are not included here;
    ``frequency_sums`` collects them separately.
``LorentzianOccupation(width)``
    n(E) = 1/2 - arctan(E / Gamma) / pi, the T = 0 occupation of a level broadened by
    i eps -> i eps + i Gamma sgn(eps) in every resolvent (derivation in docs/conventions.md);
    -n'(E) = (Gamma / pi) / (E^2 + Gamma^2) is the Lorentzian of paper 000, Eq. (S21).
``BroadenedFermiDirac(temperature, width)``
    n(E) = 1/2 - Im psi(1/2 + (Gamma + i E) / (2 pi T)) / pi, psi the digamma function: the Matsubara sum
    with i w_n -> i w_n + i Gamma sgn(w_n) in every resolvent (T > 0, Gamma > 0). Pairing w_n with -w_n,
    w~_n = w_n + Gamma = 2 pi T (n + z) - i E: T sum_{n >= 0} 2 Re[1/(i w~_n - E)] = (1/pi) Im sum_n
    1/(n + z) = -(1/pi) Im psi(z) (sum_n [1/(n + z) - 1/(n + 1)] = -psi(z) - gamma_E), with
    z = 1/2 + (Gamma + i E)/(2 pi T); the constant 1/2 makes n(-inf) = 1. Gamma -> 0: Im psi(1/2 + i y) = (pi/2) tanh(pi y) gives the Fermi
    function; T -> 0: psi(z) ~ log z gives 1/2 - arctan(E / Gamma)/pi. It is also the Fermi function
    smeared by the Lorentzian (Gamma/pi)/(x^2 + Gamma^2), whose average of 1/(i w_n - E + x) is the
    broadened resolvent: the occupation of a level with a Lorentzian spectral function. For N >= 2 points,
    n[E_1, ..., E_N] = -(1/pi) Im[(i/(2 pi T))^(N-1) psi[z_1, ..., z_N]]; the divided differences of psi at
    complex points are evaluated piece by piece without cancellation (see ``_digamma_divided_difference``),
    so coincident and close arguments need no special case.

Stable forms used for the Fermi and Lorentzian occupations: the first divided difference in closed form
(tanh-difference or arctan-difference identity), the second one by recursion dividing by the widest
spread of its three arguments, switching to a Taylor expansion about their mean when the spread is below
``1e-4`` of the occupation's energy scale.

The scalar kernels are compiled with numba, so that ``frequency_sums`` can call them inside its compiled
loops; the methods of the classes are their element-wise (broadcasting) versions.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numba
import numpy as np
from scipy.special import digamma, expit

__all__ = ["BroadenedFermiDirac", "FermiDirac", "LorentzianOccupation", "occupation_for"]

STEP, FERMI, LORENTZIAN, BROADENED_FERMI = 0, 1, 2, 3  # kernel codes
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


# --- T > 0 and Gamma > 0: n(E) = 1/2 - Im psi(z(E)) / pi, z(E) = 1/2 + (Gamma + i E) / (2 pi T) ---
#
# Divided differences of psi at complex points z_j sharing the real part: the recurrence
# psi(z) = psi(z + M) - sum_{k<M} 1/(z + k) moves them to w_j = z_j + M with Re w >= _ASYMPTOTIC_FROM,
# where psi(w) = log w - 1/(2w) - sum_{k<=8} B_2k / (2k w^2k) (next term B_18/(18 w^18) < 4e-18). Each
# piece has a divided difference without cancellation: (-1)^N prod_j 1/(z_j + k) for -1/(z + k); for w^-p,
# (-1)^(N-1) prod_j (1/w_j) h_(p-1)(1/w_1, ..., 1/w_N) (h the complete homogeneous symmetric polynomial);
# for log w a Taylor series about the mean when the points are close, else the recursion.

_ASYMPTOTIC_FROM = 10.0
_BERNOULLI_OVER_2K = np.array([1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510]) / (
    2.0 * np.arange(1, 9)
)  # B_2k / (2k), k = 1..8
_LOG_TAYLOR_SPREAD = 0.2  # spread / |mean| below which log[w...] uses its Taylor series: |y_j| <= 0.134 |m|,
_LOG_TAYLOR_TERMS = 26  # so 26 terms leave < C(27, 2) 0.134^26 < 1e-20


@numba.njit(cache=True)
def _log_first(w1, w2):
    """log[w1, w2] for Re w > 0."""
    d = w1 - w2
    mean = 0.5 * (w1 + w2)
    if abs(d) < _LOG_TAYLOR_SPREAD * abs(mean):
        return _log_taylor(w1, w2, w2, 2, mean)
    return (cmath.log(w1) - cmath.log(w2)) / d


@numba.njit(cache=True)
def _log_taylor(w1, w2, w3, count, mean):
    """log[w_1, ..., w_count] (count = 2 or 3) = sum_{k >= count-1} (-1)^(k-1) / (k m^k) h_(k-count+1)(y),
    y_j = w_j - m: the divided differences of the Taylor series of log about m."""
    y1, y2, y3 = w1 - mean, w2 - mean, w3 - mean
    h1, h2, h3 = 1.0 + 0j, 1.0 + 0j, 1.0 + 0j  # h_j of (y1), (y1, y2), (y1, y2, y3), from j = 0
    inverse = 1.0 / mean
    power = inverse ** (count - 1)
    total = 0j
    for j in range(_LOG_TAYLOR_TERMS):
        k = j + count - 1
        h = h2 if count == 2 else h3
        total += (1.0 if k % 2 == 1 else -1.0) * power * h / k
        power *= inverse
        h1 = y1 * h1
        h2 = h1 + y2 * h2
        h3 = h2 + y3 * h3
    return total


@numba.njit(cache=True)
def _digamma_divided_difference(z1, z2, z3, count):
    """psi[z_1, ..., z_count] for count = 2 or 3 points with a common real part >= 1/2 (for 2, z3 = z2)."""
    shift = max(0, int(math.ceil(_ASYMPTOTIC_FROM - z1.real)))
    sign = 1.0 if count == 2 else -1.0
    total = 0j
    for k in range(shift):
        term = 1.0 / ((z1 + k) * (z2 + k))
        total += sign * (term if count == 2 else term / (z3 + k))
    w1, w2, w3 = z1 + shift, z2 + shift, z3 + shift
    x1, x2, x3 = 1.0 / w1, 1.0 / w2, 1.0 / w3
    # h_j(x_1, ..., x_count) for j = 0..15 by the recursion over the variables; pieces -1/(2w) and -B_2k/(2k w^2k)
    product = -sign * x1 * x2 * (1.0 if count == 2 else x3)  # (-1)^(count-1) prod x_j
    h1, h2, h3 = 1.0 + 0j, 1.0 + 0j, 1.0 + 0j
    for j in range(16):
        h = h2 if count == 2 else h3
        if j == 0:
            total -= 0.5 * product * h
        elif j % 2 == 1:
            total -= _BERNOULLI_OVER_2K[j // 2] * product * h
        h1 = x1 * h1
        h2 = h1 + x2 * h2
        h3 = h2 + x3 * h3
    if count == 2:
        return total + _log_first(w1, w2)
    # log[w1, w2, w3]: Taylor about the mean when the points are close, else divide by the widest pair
    d12, d13, d23 = abs(w1 - w2), abs(w1 - w3), abs(w2 - w3)
    mean = (w1 + w2 + w3) / 3.0
    widest = max(d12, d13, d23)
    if widest < _LOG_TAYLOR_SPREAD * abs(mean):
        return total + _log_taylor(w1, w2, w3, 3, mean)
    if widest == d13:
        return total + (_log_first(w1, w2) - _log_first(w2, w3)) / (w1 - w3)
    if widest == d12:
        return total + (_log_first(w1, w3) - _log_first(w3, w2)) / (w1 - w2)
    return total + (_log_first(w2, w1) - _log_first(w1, w3)) / (w2 - w3)


@numba.njit(cache=True)
def _broadened_fermi_first(a, b, temperature, width):
    # n[a, b] = -Re psi[z_a, z_b] / (2 pi^2 T), z_E = 1/2 + (Gamma + i E) / (2 pi T)
    scale = 2.0 * math.pi * temperature
    real = 0.5 + width / scale
    z_b = complex(real, b / scale)
    value = _digamma_divided_difference(complex(real, a / scale), z_b, z_b, 2)
    return -value.real / (math.pi * scale)


@numba.njit(cache=True)
def _broadened_fermi_second(a, b, c, temperature, width):
    # n[a, b, c] = +Im psi[z_a, z_b, z_c] / (pi (2 pi T)^2)
    scale = 2.0 * math.pi * temperature
    real = 0.5 + width / scale
    value = _digamma_divided_difference(
        complex(real, a / scale), complex(real, b / scale), complex(real, c / scale), 3
    )
    return value.imag / (math.pi * scale * scale)


@numba.njit(cache=True)
def _first(code, a, b, temperature, width):
    """n[a, b] for the occupation ``code`` (STEP, FERMI, LORENTZIAN, BROADENED_FERMI) at T and Gamma."""
    if code == STEP:
        return _step_first(a, b)
    if code == FERMI:
        return _fermi_first(a, b, temperature)
    if code == LORENTZIAN:
        return _lorentzian_first(a, b, width)
    return _broadened_fermi_first(a, b, temperature, width)


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
def _second(code, a, b, c, temperature, width):
    """n[a, b, c], symmetric in its arguments."""
    if code == STEP:
        return _step_second(a, b, c)
    if code == BROADENED_FERMI:
        return _broadened_fermi_second(a, b, c, temperature, width)
    parameter = temperature if code == FERMI else width
    low, high = min(a, b, c), max(a, b, c)
    middle = a + b + c - low - high
    spread = high - low
    if spread > _TAYLOR_SPREAD * parameter:
        safe = low - high if spread > 0.0 else -1.0
        return (_first(code, low, middle, temperature, width) - _first(code, middle, high, temperature, width)) / safe
    # Taylor series about the mean m, y_i = x_i - m (sum y_i = 0):
    # n[x0, x1, x2] = n''(m)/2 + n''''(m)/24 * (sum y_i^2)/2 + O(spread^3)
    mean = (a + b + c) / 3.0
    second, fourth = _even_derivatives(code, mean, parameter)
    squares = (a - mean) ** 2 + (b - mean) ** 2 + (c - mean) ** 2
    return 0.5 * second + fourth * squares / 48.0


@numba.vectorize(["f8(i8, f8, f8, f8, f8)"], cache=True)
def _first_elementwise(code, a, b, temperature, width):
    return _first(code, a, b, temperature, width)


@numba.vectorize(["f8(i8, f8, f8, f8, f8, f8)"], cache=True)
def _second_elementwise(code, a, b, c, temperature, width):
    return _second(code, a, b, c, temperature, width)


class _Occupation:
    """Element-wise divided differences of an occupation with kernel ``code`` at (temperature, width)."""

    code: int

    @property
    def parameters(self) -> tuple[float, float]:
        """(T, Gamma) passed to the compiled kernels (the one an occupation does not use is 0)."""
        return float(getattr(self, "temperature", 0.0)), float(getattr(self, "width", 0.0))

    @property
    def scale(self) -> float:
        """Energy scale of the occupation's smooth features: max(T, Gamma) (0 for the T = 0 step)."""
        return max(self.parameters)

    def first_divided_difference(self, a, b):
        """n[a, b] = (n(a) - n(b)) / (a - b), n'(a) at a = b; broadcasts."""
        a, b = (np.asarray(x, dtype=float) for x in (a, b))
        return _first_elementwise(self.code, a, b, *self.parameters)

    def second_divided_difference(self, a, b, c):
        """n[a, b, c], symmetric in its arguments; broadcasts."""
        a, b, c = (np.asarray(x, dtype=float) for x in (a, b, c))
        return _second_elementwise(self.code, a, b, c, *self.parameters)


def _require_positive(name, value, description):
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} ({description}) must be finite and > 0, got {value!r}")


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
        _require_positive("width", self.width, "broadening")

    code = LORENTZIAN

    def value(self, energy):
        return 0.5 - np.arctan(np.asarray(energy, dtype=float) / self.width) / np.pi


@dataclass(frozen=True)
class BroadenedFermiDirac(_Occupation):
    """Occupation at T > 0 of a level broadened by Gamma > 0 in every Matsubara resolvent:
    n(E) = 1/2 - Im psi(1/2 + (Gamma + i E) / (2 pi T)) / pi (psi the digamma function).

    It is T sum_n of 1/(i w_n + i Gamma sgn(w_n) - E), symmetrically summed (docs/conventions.md); the
    Fermi function at Gamma = 0, the Lorentzian occupation at T = 0.
    """

    temperature: float
    width: float

    def __post_init__(self):
        _require_positive("temperature", self.temperature, "k_B T")
        _require_positive("width", self.width, "broadening")

    code = BROADENED_FERMI

    def value(self, energy):
        z = 0.5 + (self.width + 1j * np.asarray(energy, dtype=float)) / (2 * np.pi * self.temperature)
        return 0.5 - digamma(z).imag / np.pi


def occupation_for(
    temperature: float = 0.0, broadening: float = 0.0
) -> FermiDirac | LorentzianOccupation | BroadenedFermiDirac:
    """The occupation function for temperature T >= 0 and broadening Gamma >= 0."""
    if not (np.isfinite(temperature) and temperature >= 0):
        raise ValueError(f"temperature must be finite and >= 0, got {temperature!r}")
    if not (np.isfinite(broadening) and broadening >= 0):
        raise ValueError(f"broadening must be finite and >= 0, got {broadening!r}")
    if broadening == 0:
        return FermiDirac(temperature)
    if temperature == 0:
        return LorentzianOccupation(broadening)
    return BroadenedFermiDirac(temperature, broadening)
