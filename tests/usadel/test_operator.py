"""The 4x4 operator with every tensor (``usadel.operator``): compatibility with g^2 = 1 and the 1D limit of
the spin Hall (theta) and swapping (kappa) terms (paper 003, Eqs. (S4), (S5), (S37), (S38), (S45), (S46))."""

import mpmath as mp
import numpy as np
import pytest

from spincharge.usadel.operator import (
    TORQUE_SIGN,
    Algebra,
    acomm,
    comm,
    covariant,
    gauge_torque,
    local_terms,
    matrix_current,
    matrix_torque,
    riccati_g,
)

MP = Algebra("mpmath")
NP = Algebra("numpy")
STEP = mp.mpf("1e-12")


def _inverse(m):
    return np.array(mp.inverse(mp.matrix(m.tolist())).tolist(), dtype=object)


def _field(seed, dimensions=3):
    """A generic smooth normalised g(r) (Riccati form, quadratic a(r), b(r)) in mpmath, and its gradients."""
    rng = np.random.default_rng(seed)
    coefficients = 0.4 * (rng.normal(size=(2, 1 + dimensions + dimensions**2, 2, 2))
                          + 1j * rng.normal(size=(2, 1 + dimensions + dimensions**2, 2, 2)))
    conv = np.vectorize(lambda v: mp.mpc(complex(v)), otypes=[object])
    coefficients = conv(coefficients)

    def g_of(r):
        monomials = [mp.mpf(1), *r, *[r[j] * r[k] for j in range(dimensions) for k in range(dimensions)]]
        a, b = (sum(c * m for c, m in zip(coefficients[n], monomials)) for n in range(2))
        return riccati_g(MP, a, b, 1, _inverse)

    def shifted(r, k, h):
        out = list(r)
        out[k] = out[k] + h
        return out

    def dg(r):
        return [(g_of(shifted(r, k, STEP)) - g_of(shifted(r, k, -STEP))) / (2 * STEP) for k in range(dimensions)]

    return g_of, dg, shifted


def _operator(seed, tensors, dimensions=3, theta_sign=1, covariant_gamma=False):
    """E[g] at a point (all tensors of ``tensors``: D, h, Gamma, A (3 x dimensions), gamma, theta, kappa) and g;
    ``theta_sign`` multiplies the theta torque only, ``covariant_gamma`` applies D~_k to the whole current."""
    mp.mp.dps = 40
    g_of, dg, shifted = _field(seed, dimensions)
    p = tensors
    theta = None if p["theta"] is None else (np.asarray(p["theta"]) * theta_sign).tolist()

    def gauge(k):
        return None if p["A"] is None else [p["A"][j][k] for j in range(3)]

    def current(r, k):
        return matrix_current(MP, g_of(r), dg(r)[k], k, p["gamma"], p["D"], gauge(k), theta=p["theta"],
                              kappa=p["kappa"], dg=dg(r))

    r0 = [mp.mpf(v) for v in (0.21, -0.13, 0.08)[:dimensions]]
    g, gradients = g_of(r0), dg(r0)
    E = local_terms(MP, g, MP.tau[1] * mp.mpf(1.2), mp.mpf(0.7), p["Gamma"], p["h"])
    for k in range(dimensions):
        divergence = (current(shifted(r0, k, STEP), k) - current(shifted(r0, k, -STEP), k)) / (2 * STEP)
        if covariant_gamma:  # D~_k on the whole current, gamma part included
            E = E + covariant(MP, current(r0, k), divergence, gauge(k))
        else:
            E = E + divergence + gauge_torque(MP, g, gradients[k], gauge(k), p["D"])
    E = E + TORQUE_SIGN * matrix_torque(MP, g, gradients, p["gamma"], theta=theta, kappa=p["kappa"], diffusion=p["D"])
    return E, g


def _tensors(seed, dimensions=3, **zero):
    rng = np.random.default_rng(100 + seed)
    relaxation = rng.normal(size=(3, 3))
    tensors = dict(D=1.3, h=list(rng.normal(size=3)), Gamma=(relaxation @ relaxation.T).tolist(),
                   A=rng.normal(size=(3, dimensions)).tolist(), gamma=rng.normal(size=(3, dimensions)).tolist(),
                   theta=rng.normal(size=(3, 3)).tolist(), kappa=rng.normal(size=(3, 3)).tolist())
    tensors.update({name: None for name in zero})
    return tensors


def _relative_anticommutator(E, g):
    return max(abs(v) for v in np.ravel(acomm(E, g))) / max(abs(v) for v in np.ravel(E))


@pytest.mark.parametrize("seed", [0, 1])
def test_every_tensor_together_is_compatible_with_normalisation(seed):
    """{E, g} = 0 for a generic g(r) in 3D with D, h, Gamma_jk, alpha, gamma, theta, kappa all nonzero."""
    E, g = _operator(seed, _tensors(seed))
    assert _relative_anticommutator(E, g) < 1e-12


def test_theta_torque_sign_is_fixed_by_normalisation():
    """The printed (S46)/(S5) theta torque (T on the left with TORQUE_SIGN = +1: minus ours) breaks g^2 = 1."""
    tensors = _tensors(2, gamma=None, kappa=None, A=None)
    derived, g = _operator(2, tensors)
    printed, _ = _operator(2, tensors, theta_sign=-1)  # same theta current, torque of (S46)
    plain, _ = _operator(2, dict(tensors, theta=None))
    assert _relative_anticommutator(derived, g) < 1e-12
    assert _relative_anticommutator(printed, g) > 0.1
    assert max(abs(v) for v in np.ravel(derived - plain)) > 0.1 * max(abs(v) for v in np.ravel(plain))  # theta acts


def test_covariant_divergence_of_the_gamma_current_breaks_normalisation():
    """D~_k acting on J^gamma (an alpha * gamma cross term absent from the action) violates {E, g} = 0."""
    tensors = _tensors(3, theta=None, kappa=None)
    assert _relative_anticommutator(*_operator(3, tensors)) < 1e-12
    assert _relative_anticommutator(*_operator(3, tensors, covariant_gamma=True)) > 1e-3


def test_kappa_drops_out_of_the_bulk_equation():
    """d_k J^kappa_k + T^kappa = 0 identically (S36): E does not depend on kappa, J does."""
    with_kappa = _tensors(4, A=None, gamma=None, theta=None)
    E1, g = _operator(4, with_kappa)
    E0, _ = _operator(4, dict(with_kappa, kappa=None))
    assert max(abs(v) for v in np.ravel(E1 - E0)) < 1e-12 * max(abs(v) for v in np.ravel(E0))


def test_theta_and_kappa_in_one_dimension_give_only_transverse_currents():
    """Gradients along x only: eps_jkl d_j g d_k g = 0, so no torque and no J_x from theta, kappa; J_y, J_z
    (the spin Hall and swapping currents flowing across the stack) are nonzero (numpy, random g(x))."""
    rng = np.random.default_rng(5)
    theta, kappa = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    a, b, da, db = (0.4 * (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))) for _ in range(4))
    step = 1e-6
    g = riccati_g(NP, a, b, 1, np.linalg.inv)
    dgx = (riccati_g(NP, a + step * da, b + step * db, 1, np.linalg.inv)
           - riccati_g(NP, a - step * da, b - step * db, 1, np.linalg.inv)) / (2 * step)
    zero = np.zeros((4, 4))
    dg = [dgx, zero, zero]
    torque = matrix_torque(NP, g, dg, None, theta=theta, kappa=kappa, diffusion=1.0)
    assert np.max(np.abs(torque)) == 0
    currents = [matrix_current(NP, g, dg[k], k, None, 1.0, theta=theta, kappa=kappa, dg=dg)
                - matrix_current(NP, g, dg[k], k, None, 1.0) for k in range(3)]
    assert np.max(np.abs(currents[0])) == 0
    assert min(np.max(np.abs(currents[1])), np.max(np.abs(currents[2]))) > 0.1
    # the transverse currents anticommute with g, as every matrix current does
    for current in currents[1:]:
        assert np.max(np.abs(acomm(current, g))) < 1e-8
    assert np.max(np.abs(comm(g, g))) == 0
