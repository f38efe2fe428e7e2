"""Which root of the nonlinear collocation equations the junction solver returns (``usadel.junction._solve``).

At low T the Newton iteration from the zero start reaches, at some low Matsubara frequencies, roots that are not
the equilibrium solution: some violate spectral positivity (||ab|| > 1), some are unresolved (their spectral
current varies along a layer without pair potential). The witnesses: the admissibility laws themselves, the
returned roots against an independent branch selection (sequential continuation from the highest frequency
downwards, each frequency started from the solution at the one above), and two discretisations.
"""

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.usadel import riccati
from spincharge.usadel.gap import GAP0_OVER_TC
from spincharge.usadel.junction import Layer, Reservoir, junction
from spincharge.numerics.matsubara import matsubara_nodes

module = importlib.import_module("spincharge.usadel.junction")  # the module (the package exports the function)
_COMPLEX = st.complex_numbers(max_magnitude=3.0, allow_nan=False, allow_infinity=False)


@given(st.lists(_COMPLEX, min_size=8, max_size=8))
def test_positivity_of_the_normal_block_is_the_contraction_of_ab(values):
    """Herm(s g11) >= 0 (the spectral density, ``_unphysical``) iff ||ab||_2 <= 1 (Cayley transform), for 2x2 and
    1x1 amplitudes; g11 from ``riccati.green_blocks``, its smallest Hermitian eigenvalue."""
    z = np.array(values).reshape(1, 1, 1, 8)
    for n, u in ((2, z), (1, z[..., [0, 4]])):
        a, b = (u[..., : n * n].reshape(n, n), u[..., n * n:].reshape(n, n))
        norm = np.linalg.norm(a @ b, 2)
        if abs(norm - 1) < 1e-2 or np.linalg.cond(np.eye(n) + a @ b) > 1e8:
            continue  # too close to the boundary (the margin) or to a pole of g
        g11 = riccati.green_blocks(a, b, 1.0)[0]
        positive = np.linalg.eigvalsh((g11 + g11.conj().T) / 2).min() >= 0
        assert positive == (norm <= 1)
        assert module._unphysical(u, n)[0] == (norm > 1)


@given(st.floats(0.001, 50.0), st.floats(0.05, 3.0), st.floats(-np.pi, np.pi), st.sampled_from([1.0, -1.0]))
def test_bulk_superconductor_amplitudes_are_admissible(omega, gap, phase, sign):
    for n in (1, 2):
        a, b = riccati.bulk_superconductor(sign * omega, gap, phase, n)
        z = np.concatenate([a.reshape(-1), b.reshape(-1)]).reshape(1, 1, 1, 2 * n * n)
        assert not module._unphysical(z, n)[0]


@pytest.mark.parametrize("layers", [
    [Layer(0.7, exchange=(1.0, -2.0, 1.5), gauge=(0.4, -0.3, 0.6),
           relaxation=((0.3, 0.1, 0.0), (0.1, 0.2, 0.05), (0.0, 0.05, 0.4)))],
    [Layer(0.7, exchange=(0.5, 0.3, 0.0), gamma=(0.2, -0.4, 0.3), relaxation=0.2)],
    [Layer(0.5, gap=0.8, phase=0.3), Layer(0.7, exchange=(0.0, 0.5, 0.0))],
])
def test_spectral_current_is_conserved_where_there_is_no_pair_potential(layers):
    """d/dx Tr[tau3 J_x] = -Tr tau3 [X, g] vanishes with omega, h, A, Gamma_jk and gamma (``_defects``): the spread
    of the spectral current over the nodes of the layers without pair potential falls spectrally with the points."""
    ends = (Reservoir(), Reservoir())
    gaps, interfaces = module._validated(layers, ends, [0.1] * (len(layers) + 1), 0.3)
    omega, phase = np.array([0.55, 1.6, 4.0], dtype=complex), np.full(3, 1.3)
    relative = []
    for points in (8, 20):
        n, z, _, _ = module._solve(layers, ends, gaps, interfaces, omega, phase, points, 1e-12, 30, 8)
        stack = module._Stack(layers, ends, interfaces, points, n, omega, phase, gaps)
        unphysical, spread, scale = module._defects(stack, z)
        assert not np.any(unphysical) and np.all(scale > 0.01)
        relative.append(np.max(spread / scale))
    assert relative[1] < 1e-9 < relative[0]


def _from_the_top(layers, ends, interfaces, t, phase, points, count, steps=4):
    """The lowest ``count`` frequencies of ``junction``'s grid at one phase, each by continuation in omega from the
    solution at the next higher one (the highest from the zero start): (solve's roots, these roots)."""
    gaps, interfaces = module._validated(layers, ends, interfaces, t)
    w = matsubara_nodes(t / GAP0_OVER_TC, 10.0)[0][:count].astype(complex)
    n, z, _, continued = module._solve(layers, ends, gaps, interfaces, w, np.full(count, phase), points, 1e-11, 30, 8)
    assert continued > 0
    stack = lambda frequency: module._Stack(layers, ends, interfaces, points, n, np.array([frequency]),  # noqa: E731
                                            np.array([phase]), gaps)
    top, ok, _, _ = module._newton(stack(w[-1]), np.zeros_like(z[-1:]), 1e-11, 30)
    assert ok[0]
    roots = [top[0]]
    for above, below in zip(w[:0:-1], w[-2::-1]):
        path = (stack(above + (below - above) * k / steps) for k in range(1, steps + 1))
        roots.append(module._continued(path, roots[-1][None].copy(), 1e-11, 30, lambda i, k: "", "")[0][0])
    return z, np.array(roots[::-1])


@pytest.mark.parametrize("layer, r, phase, points, count", [
    (Layer(0.2), 0.002, 0.7 * np.pi, 32, 16),                  # ||ab|| > 1 roots
    (Layer(0.5, exchange=(0.0, 0.0, 3.0)), 0.01, 0.7 * np.pi, 20, 16),  # unresolved roots (||ab|| < 1)
])
def test_returned_roots_are_those_continued_from_high_frequency(layer, r, phase, points, count):
    solved, continued = _from_the_top([layer], (Reservoir(gap=1.0), Reservoir(gap=1.0)), [r, r], 0.01, phase, points,
                                      count)
    assert np.max(np.abs(solved - continued)) < 1e-8


def test_low_temperature_sfs_junction_converges_and_agrees_with_a_finer_discretisation():
    """S/F/S (L = 1 xi0, h = 3 Delta0 along z, G_B/G_N = 100) at T = 0.01 Tc, refused before the roots at low
    omega were continued (GENEUS: 1.0139, docs/benchmarks.md): two grids and frequency cutoffs agree within the
    coarse error estimate."""
    case = dict(left=Reservoir(gap=1.0), right=Reservoir(gap=1.0), interfaces=[0.01, 0.01])
    coarse = junction(Layer(1.0, exchange=(0.0, 0.0, 3.0)), 0.01, [np.pi / 2], points=20, frequency_cutoff=3.0, **case)
    fine = junction(Layer(1.0, exchange=(0.0, 0.0, 3.0)), 0.01, [np.pi / 2], points=26, frequency_cutoff=5.0, **case)
    assert coarse.continued > 0
    assert abs(coarse.current[0] - fine.current[0]) <= coarse.error[0]
    assert coarse.error[0] < 1e-5 * abs(coarse.current[0])
