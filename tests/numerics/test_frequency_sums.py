"""Traces of resolvent products in the eigenbasis vs explicit Matsubara sums and frequency quadrature."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from spincharge.numerics.frequency_sums import (
    fermi_surface_trace_2,
    fermi_surface_trace_3,
    resolvent_traces,
    to_eigenbasis,
)
from spincharge.numerics.graded_quadrature import graded_breakpoints, graded_gauss_legendre
from spincharge.numerics.matsubara import inverse_power_tail, positive_frequencies
from spincharge.numerics.occupation import FermiDirac, LorentzianOccupation, occupation_for


def _hermitian(rng, size=4):
    a = rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))
    return 0.5 * (a + a.conj().T)


def _operators(seed):
    rng = np.random.default_rng(seed)
    h = _hermitian(rng)
    return h, [_hermitian(rng) for _ in range(3)]


def _traces(h, ops, occupation):
    """(Tr[X G Y G], Tr[X G Y G Z G]) frequency-integrated by ``resolvent_traces`` (one node)."""
    energies, vectors = np.linalg.eigh(h)
    return resolvent_traces(energies[None], vectors[None], ops, [(0, 1), (0, 1, 2)], occupation)[:, 0]


def _resolvent_product(h, ops, z):
    g = np.linalg.inv(z * np.eye(len(h)) - h)
    product = np.eye(len(h), dtype=complex)
    for op in ops:
        product = product @ op @ g
    return np.trace(product)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("width", [0.0, 0.15])
def test_matsubara_sum_of_matrix_traces(seed, width):
    """T sum_n Tr[X G Y G Z G] and Tr[X G Y G] at i w_n + i Gamma sgn(w_n) (the broadened frequencies)
    against the divided-difference formulas (Fermi function at Gamma = 0, n_{T,Gamma} otherwise)."""
    h, (x, y, z) = _operators(seed)
    temperature = 0.2
    occupation = occupation_for(temperature, width)
    count = 2000
    w = positive_frequencies(temperature, count) + width
    two = sum(_resolvent_product(h, (x, y), s * 1j * wn) for wn in w for s in (1, -1))
    three = sum(_resolvent_product(h, (x, y, z), s * 1j * wn) for wn in w for s in (1, -1))
    # 1/w^2 tail of the two-resolvent sum: Tr[X Y] (-1/w^2) per frequency, both signs, over w_n + Gamma
    two += -2 * np.trace(x @ y) * inverse_power_tail(temperature, count + width / (2 * np.pi * temperature), 2)
    expected_two, expected_three = _traces(h, (x, y, z), occupation)
    assert temperature * two == pytest.approx(expected_two, abs=1e-7)
    assert temperature * three == pytest.approx(expected_three, abs=1e-7)


@pytest.mark.parametrize("seed", [3, 4])
def test_broadened_frequency_quadrature_of_matrix_traces(seed):
    """int d eps/2pi Tr[X G Y G Z G] with i eps -> i eps + i Gamma sgn(eps), by scipy quad."""
    h, (x, y, z) = _operators(seed)
    width = 0.3
    occupation = LorentzianOccupation(width)

    def integrand(eps, part):
        value = _resolvent_product(h, (x, y, z), 1j * (eps + width * np.sign(eps)))
        return getattr(value, part) / (2 * math.pi)

    direct = sum(
        quad(integrand, lo, hi, args=(part,), epsabs=1e-12, epsrel=1e-11, limit=400)[0] * unit
        for lo, hi in ((-np.inf, 0.0), (0.0, np.inf))
        for part, unit in (("real", 1), ("imag", 1j))
    )
    assert direct == pytest.approx(_traces(h, (x, y, z), occupation)[1], abs=1e-9)


def test_fermi_surface_coefficients_from_the_small_temperature_limit():
    """At T -> 0 the thermal weight -n'(E_j) -> delta(E_j): integrate a band crossing E = 0 at k = 0.

    H(k) = diag(k, 1 + k, -2 + k / 2) plus k-independent couplings; the T = 0 regular part plus the
    delta(E_j) coefficient / |E_j'| must equal the small-T integral over k.
    """
    rng = np.random.default_rng(7)
    x, y, z = [_hermitian(rng, 3) for _ in range(3)]
    y[0, 0] = 0.0  # no delta'(E) term: the crossing band (basis state 0) has <0|Y|0> = 0

    def eigensystem(k):
        h = np.diag([k, 1.0 + k, -2.0 + 0.5 * k]) + 0.05 * np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0]])
        e, u = np.linalg.eigh(h)
        return e, u

    def integral(occupation, lo, hi, width):
        k, w = graded_gauss_legendre(graded_breakpoints(lo, hi, [0.0], [width]), 16)
        energies, vectors = zip(*(eigensystem(node) for node in k))
        traces = resolvent_traces(np.array(energies), np.array(vectors), (x, y, z), [(0, 1), (0, 1, 2)], occupation)
        return traces @ w

    cold2, cold3 = integral(FermiDirac(0.0), -0.5, 0.5, 0.1)
    e, u = eigensystem(0.0)
    band = int(np.argmin(np.abs(e)))
    xe, ye, ze = (to_eigenbasis(op, u) for op in (x, y, z))
    slope = 1.0  # dE/dk of the crossing band (the coupling acts on the other two)
    cold2 += fermi_surface_trace_2(xe, ye, band) / slope
    cold3 += fermi_surface_trace_3(xe, ye, ze, e, band) / slope
    warm = [integral(FermiDirac(t), -0.5, 0.5, t) for t in (0.004, 0.002)]
    # thermal corrections are O(T^2): extrapolate
    for index, cold in enumerate((cold2, cold3)):
        extrapolated = (4 * warm[1][index] - warm[0][index]) / 3
        assert extrapolated == pytest.approx(cold, abs=1e-7)
