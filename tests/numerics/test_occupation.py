"""Divided differences of the occupation functions vs high-precision sums, Matsubara sums and quadrature."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from spincharge.numerics.matsubara import inverse_power_tail, positive_frequencies
from spincharge.numerics.occupation import BroadenedFermiDirac, FermiDirac, LorentzianOccupation, occupation_for

mpmath.mp.dps = 40


def _reference(function, points):
    """Divided difference by its symmetric definition in 40-digit arithmetic (distinct points)."""
    points = [mpmath.mpf(p) for p in points]
    return float(
        sum(function(p) / mpmath.fprod(p - q for q in points if q is not p) for p in points)
    )


def _fermi(temperature):
    return lambda e: 1 / (mpmath.exp(e / temperature) + 1)


def _lorentzian(width):
    return lambda e: mpmath.mpf(1) / 2 - mpmath.atan(e / width) / mpmath.pi


def _broadened_fermi(temperature, width):
    """n(E) = 1/2 - Im psi(1/2 + (Gamma + i E)/(2 pi T)) / pi with mpmath's complex digamma."""
    scale = 2 * mpmath.pi * mpmath.mpf(temperature)
    return lambda e: mpmath.mpf(1) / 2 - mpmath.im(mpmath.digamma(mpmath.mpf(1) / 2 + (width + 1j * e) / scale)) / mpmath.pi


energy = st.floats(-3.0, 3.0)
spread = st.floats(1e-7, 0.5)


@given(a=energy, db=spread, dc=spread, temperature=st.floats(0.01, 1.0))
def test_fermi_divided_differences_match_40_digit_reference(a, db, dc, temperature):
    occupation = FermiDirac(temperature)
    points = (a, a + db, a - dc)
    reference2 = _reference(_fermi(temperature), points[:2])
    reference3 = _reference(_fermi(temperature), points)
    assert occupation.first_divided_difference(*points[:2]) == pytest.approx(reference2, rel=1e-9, abs=1e-12 / temperature)
    assert occupation.second_divided_difference(*points) == pytest.approx(reference3, rel=1e-7, abs=1e-10 / temperature**2)


@given(a=energy, db=spread, dc=spread, width=st.floats(0.01, 1.0))
def test_lorentzian_divided_differences_match_40_digit_reference(a, db, dc, width):
    occupation = LorentzianOccupation(width)
    points = (a, a + db, a - dc)
    assert occupation.first_divided_difference(*points[:2]) == pytest.approx(_reference(_lorentzian(width), points[:2]), rel=1e-9, abs=1e-12 / width)
    assert occupation.second_divided_difference(*points) == pytest.approx(_reference(_lorentzian(width), points), rel=1e-7, abs=1e-10 / width**2)


@given(
    a=energy,
    db=st.floats(1e-9, 3.0),
    dc=st.floats(1e-9, 3.0),
    temperature=st.floats(1e-3, 1.0),
    width=st.floats(1e-3, 1.0),
)
def test_broadened_fermi_divided_differences_match_40_digit_reference(a, db, dc, temperature, width):
    """n_{T,Gamma}[...] (shifted digamma + asymptotic series, cancellation-free pieces) vs 40-digit
    divided differences of mpmath's complex digamma, from nearly coincident to widely spread points."""
    occupation = BroadenedFermiDirac(temperature, width)
    points = (a, a + db, a - dc)
    function = _broadened_fermi(temperature, width)
    scale = max(temperature, width)
    first, second = _reference(function, points[:2]), _reference(function, points)
    assert occupation.first_divided_difference(*points[:2]) == pytest.approx(first, rel=1e-9, abs=1e-13 / scale)
    assert occupation.second_divided_difference(*points) == pytest.approx(second, rel=1e-8, abs=1e-12 / scale**2)


@pytest.mark.parametrize("occupation", [FermiDirac(0.3), LorentzianOccupation(0.2), BroadenedFermiDirac(0.1, 0.07)])
def test_confluent_limits_are_derivatives(occupation):
    """n[a, a] = n'(a), n[a, a, a] = n''(a)/2 (central finite differences as the witness)."""
    a, h = 0.17, 1e-4
    value = occupation.value
    derivative = (value(a + h) - value(a - h)) / (2 * h)
    second = (value(a + h) - 2 * value(a) + value(a - h)) / h**2
    assert occupation.first_divided_difference(a, a) == pytest.approx(derivative, rel=1e-7)
    assert occupation.second_divided_difference(a, a, a) == pytest.approx(second / 2, rel=1e-5)
    assert occupation.second_divided_difference(a, a + 1e-9, a - 2e-9) == pytest.approx(second / 2, rel=1e-5)


def test_zero_temperature_step_is_exact_and_rational():
    step = FermiDirac(0.0)
    assert step.first_divided_difference(-1.0, 2.0) == pytest.approx(-1 / 3)
    assert step.first_divided_difference(-1.0, -2.0) == 0.0
    assert step.second_divided_difference(-1.0, 2.0, 3.0) == pytest.approx(1 / ((-1 - 2) * (-1 - 3)))
    assert step.second_divided_difference(-1.0, -2.0, 3.0) == pytest.approx(-1 / ((3 + 1) * (3 + 2)))
    assert step.second_divided_difference(1.0, 1.0, 1.0) == 0.0


@given(energies=st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=3), temperature=st.floats(0.05, 0.5))
def test_matsubara_sum_equals_divided_difference(energies, temperature):
    """T sum_n prod_j 1/(i w_n - E_j) = n[E_1, ..., E_N] (explicit sum, closed-form power tails)."""
    count = 4000
    w = positive_frequencies(temperature, count)
    terms = np.ones_like(w, dtype=complex)
    for e in energies:
        terms = terms / (1j * w - e)
    # negative frequencies give the complex conjugate; tail beyond count from the 1/w^N asymptote
    total = 2 * temperature * np.sum(terms.real)
    power = len(energies)
    if power % 2 == 0:
        total += 2 * temperature * (1j) ** (-power) * inverse_power_tail(temperature, count, power).real
    occupation = FermiDirac(temperature)
    expected = (
        occupation.first_divided_difference(*energies)
        if power == 2
        else occupation.second_divided_difference(*energies)
    )
    assert total == pytest.approx(expected, abs=2e-6 / temperature ** (power - 1))


@pytest.mark.parametrize("energies", [(-0.4, 0.7), (0.3, 0.9, -1.1), (0.2, 0.2 + 1e-5, -0.5), (0.1, 0.1, 0.1)])
@pytest.mark.parametrize("temperature, width", [(0.1, 0.05), (0.02, 0.3), (0.5, 0.01)])
def test_broadened_matsubara_sum_equals_divided_difference(energies, temperature, width):
    """T sum_n prod_j 1/(i w_n + i Gamma sgn(w_n) - E_j) = n_{T,Gamma}[E_1, ...]: explicit sum over the
    broadened frequencies w_n + Gamma, tail sum_{n >= N} (w_n + Gamma)^-p = (2 pi T)^-p zeta(p, N + 1/2 +
    Gamma/(2 pi T)) for the 1/w^2 asymptote; the 1/w^3 and 1/w^4 remainders are below the tolerance."""
    count = 20000
    shifted = positive_frequencies(temperature, count) + width
    terms = np.ones_like(shifted, dtype=complex)
    for e in energies:
        terms = terms / (1j * shifted - e)
    total = 2 * temperature * np.sum(terms.real)  # negative frequencies: complex conjugates
    if len(energies) == 2:
        total -= 2 * temperature * inverse_power_tail(temperature, count + width / (2 * math.pi * temperature), 2)
    occupation = BroadenedFermiDirac(temperature, width)
    expected = (
        occupation.first_divided_difference(*energies)
        if len(energies) == 2
        else occupation.second_divided_difference(*energies)
    )
    assert total == pytest.approx(expected, rel=1e-9, abs=1e-10)


@pytest.mark.parametrize("temperature, width", [(0.1, 0.05), (0.02, 0.3), (0.5, 0.01)])
def test_broadened_fermi_is_the_fermi_function_smeared_by_a_lorentzian(temperature, width):
    """n_{T,Gamma}[E_1, ...] = int dx (Gamma/pi)/(x^2 + Gamma^2) n_F[E_1 - x, ...]: the Lorentzian-broadened
    resolvent 1/(i w_n + i Gamma sgn w_n - E) is the Lorentzian average of 1/(i w_n - E + x). Direct quadrature
    over x = Gamma tan(theta), of the Fermi-function divided differences."""
    fermi, broadened = FermiDirac(temperature), BroadenedFermiDirac(temperature, width)
    functions = [
        ("value", (0.13,)),
        ("first_divided_difference", (-0.2, 0.35)),
        ("first_divided_difference", (0.1, 0.1)),
        ("second_divided_difference", (-0.2, 0.05, 0.4)),
        ("second_divided_difference", (0.3, 0.3 + 1e-7, 0.3)),
    ]
    for name, energies in functions:

        def smeared(theta):
            shift = width * math.tan(theta)
            return float(getattr(fermi, name)(*(e - shift for e in energies))) / math.pi

        edges = np.arctan((np.array(energies) + np.array([[-5.0], [0.0], [5.0]]) * temperature) / width).ravel()
        direct = quad(smeared, -math.pi / 2, math.pi / 2, points=np.unique(edges), epsabs=1e-13, epsrel=1e-11, limit=400)[0]
        assert float(getattr(broadened, name)(*energies)) == pytest.approx(direct, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("ratio", [1e-3, 1e-5])
def test_broadened_fermi_tends_to_the_fermi_and_lorentzian_occupations(ratio):
    """Gamma -> 0 at fixed T gives the Fermi function (first order in Gamma/T); T -> 0 at fixed Gamma the
    Lorentzian n_Gamma (the 1/z terms of psi cancel: second order in T/Gamma)."""
    energies = np.array([-0.9, -0.05, 0.0, 0.03, 0.4, 2.0])
    a, b, c = energies, np.roll(energies, 1), np.roll(energies, 2)
    pairs = [
        (BroadenedFermiDirac(0.1, 0.1 * ratio), FermiDirac(0.1), 0.1, ratio),
        (BroadenedFermiDirac(0.1 * ratio, 0.1), LorentzianOccupation(0.1), 0.1, 10 * ratio**2),
    ]
    functions = [
        ("value", (energies,)),
        ("first_divided_difference", (a, b)),
        ("second_divided_difference", (a, b, c)),
        ("second_divided_difference", (a, a, a)),
    ]
    for broadened, limit, scale, tolerance in pairs:
        for name, args in functions:
            expected = getattr(limit, name)(*args)
            assert np.allclose(getattr(broadened, name)(*args), expected, rtol=0, atol=tolerance / scale ** (len(args) - 1))


@pytest.mark.parametrize("energies", [(-0.4, 0.7), (0.3, 0.9, -1.1), (0.2, 0.2 + 1e-5, -0.5)])
def test_broadened_frequency_integral_equals_lorentzian_divided_difference(energies):
    """int d eps/2pi prod_j 1/(i eps + i Gamma sgn(eps) - E_j) = n_Gamma[E_1, ...] (direct quadrature)."""
    width = 0.15

    def integrand(eps, part):
        z = np.prod([1 / (1j * (eps + width * np.sign(eps)) - e) for e in energies])
        return getattr(z, part) / (2 * math.pi)

    total = sum(
        quad(integrand, lo, hi, args=("real",), epsabs=1e-13, epsrel=1e-12, limit=400)[0]
        for lo, hi in ((-np.inf, 0.0), (0.0, np.inf))
    )
    occupation = LorentzianOccupation(width)
    expected = (
        occupation.first_divided_difference(*energies)
        if len(energies) == 2
        else occupation.second_divided_difference(*energies)
    )
    assert total == pytest.approx(expected, rel=1e-8)


def test_occupation_for_validates():
    assert isinstance(occupation_for(0.1, 0.0), FermiDirac)
    assert isinstance(occupation_for(0.0, 0.1), LorentzianOccupation)
    assert occupation_for(0.1, 0.2) == BroadenedFermiDirac(0.1, 0.2)
    with pytest.raises(ValueError, match="temperature"):
        occupation_for(-1.0, 0.0)
    with pytest.raises(ValueError, match="broadening"):
        occupation_for(0.0, -1.0)
    with pytest.raises(ValueError, match="temperature"):
        BroadenedFermiDirac(0.0, 0.1)
    with pytest.raises(ValueError, match="width"):
        BroadenedFermiDirac(0.1, float("nan"))
