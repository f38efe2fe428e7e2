"""The normal-state diffusion equations (S11)-(S13) as the Keldysh limit of the Usadel current and torque.

Paper 003 derives Eqs. (S10)-(S13) from the Usadel equation with g^R = -g^A = tau3 (normal state) and a
Keldysh component g^K that carries mu = -Tr g^K / 16 and S^l = -Tr tau3 sigma_l g^K / 16. Here the
8x8 Keldysh matrices of Eqs. (S4)-(S5) (gamma terms from ``spincharge.usadel.operator``; theta and
kappa transcribed from (S4)-(S5)) are evaluated on a random g^K(r) with exact first and second
derivatives, and their traces are compared with ``spincharge.diffusion.equations``: the charge current
Tr tau3 J^K / (-16), the spin current Tr sigma_l J^K / (-16), and the torque Tr sigma_l T^K / 16 (the
Usadel equation reads d_k J_k + TORQUE_SIGN T + ... = 0). This is the independent witness of the
index placement of theta (S13's printed slip), of the sign of the Edelstein term (opposite to the
printed S11 once the torque sign compatible with g^2 = 1 is used), and of the statement that spin Hall
and swapping terms give no torque in the normal state.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from spincharge.diffusion.equations import LEVI_CIVITA, currents, torque
from spincharge.materials import Material
from spincharge.usadel.operator import TORQUE_SIGN, Algebra, acomm, comm, matrix_current, matrix_torque

_NAMBU = Algebra("numpy")


def _keldysh(r, k, a):
    return np.block([[r, k], [np.zeros((4, 4)), a]])


def _k_block(m):
    return m[:4, 4:]


# the algebra of 8x8 Keldysh x Nambu x spin matrices that the operator functions need
KELDYSH = SimpleNamespace(
    sigma=[np.kron(np.eye(2), s) for s in _NAMBU.sigma], zeros=np.zeros((8, 8), complex), I=1j
)


def _random_keldysh_field(rng):
    """g(0), d_j g(0), d_j d_k g(0) of g = [[tau3, g^K(r)], [0, -tau3]] with Nambu-diagonal g^K(r)."""

    def nambu_diagonal(coefficients):
        e = sum(c * p for c, p in zip(coefficients[:4], [np.eye(2), *_NAMBU.pauli[1:]]))
        h = sum(c * p for c, p in zip(coefficients[4:], [np.eye(2), *_NAMBU.pauli[1:]]))
        return np.block([[e, np.zeros((2, 2))], [np.zeros((2, 2)), h]])

    zero = np.zeros((4, 4))
    value = nambu_diagonal(rng.normal(size=8))
    first = [nambu_diagonal(rng.normal(size=8)) for _ in range(3)]
    second = [[None] * 3 for _ in range(3)]
    for j in range(3):
        for k in range(j, 3):
            second[j][k] = second[k][j] = nambu_diagonal(rng.normal(size=8))
    t3 = _NAMBU.tau[3]
    g = _keldysh(t3, value, -t3)
    dg = [_keldysh(zero, f, zero) for f in first]
    ddg = [[_keldysh(zero, second[j][k], zero) for k in range(3)] for j in range(3)]
    return g, dg, ddg, value, first


def _observables(value, first):
    """mu, S and their gradients from g^K and d_j g^K (the paper's definitions)."""
    t3 = _NAMBU.tau[3]
    mu = -np.trace(value).real / 16
    spin = np.array([-np.trace(t3 @ s @ value).real / 16 for s in _NAMBU.sigma])
    grad_mu = np.array([-np.trace(f).real / 16 for f in first])
    grad_spin = np.array([[-np.trace(t3 @ s @ f).real / 16 for s in _NAMBU.sigma] for f in first])
    return mu, spin, grad_mu, grad_spin


def _spin_hall_and_swapping(g, dg, ddg, theta, kappa, diffusion):
    """theta and kappa parts of J_k (S4) and T (S5)."""
    sig = KELDYSH.sigma
    current = [np.zeros((8, 8), complex) for _ in range(3)]
    torque_matrix = np.zeros((8, 8), complex)
    for (j, k, l), e in zip(zip(*np.nonzero(LEVI_CIVITA)), LEVI_CIVITA[np.nonzero(LEVI_CIVITA)]):
        for i in range(3):
            swap = comm(comm(sig[i], dg[j]), g)
            current[k] += 1j * diffusion / 4 * kappa[i, l] * e * swap
            current[k] += diffusion / 4 * e * theta[i, l] * acomm(sig[i] + g @ sig[i] @ g, dg[j])
            d_k_swap = comm(comm(sig[i], ddg[k][j]), g) + comm(comm(sig[i], dg[j]), dg[k])
            torque_matrix += -1j * diffusion / 4 * kappa[i, l] * e * d_k_swap
            torque_matrix += -diffusion / 4 * e * theta[i, l] * comm(sig[i], g @ dg[j] @ dg[k])
    return current, torque_matrix


@pytest.mark.parametrize("seed", range(4))
def test_normal_state_currents_and_torque_are_the_keldysh_limit_of_s4_s5(seed):
    rng = np.random.default_rng(seed)
    diffusion = 1.3
    gamma, theta, kappa = (rng.normal(size=(3, 3)) for _ in range(3))
    g, dg, ddg, value, first = _random_keldysh_field(rng)
    _, spin, grad_mu, grad_spin = _observables(value, first)

    current_th_ka, torque_th_ka = _spin_hall_and_swapping(g, dg, ddg, theta, kappa, diffusion)
    material = Material(D=diffusion, Gamma=1.0, gamma=gamma, theta=theta, kappa=kappa)
    j, j_spin = currents(material, grad_mu, spin, grad_spin)
    for k in range(3):
        usadel = matrix_current(KELDYSH, g, dg[k], k, gamma, diffusion) + current_th_ka[k]
        # the Keldysh block of tau3 J and sigma_l J; the R and A blocks carry no current in the normal state
        charge = np.trace(_NAMBU.tau[3] @ _k_block(usadel)) / -16
        spin_current = np.array([np.trace(s @ _k_block(usadel)) for s in _NAMBU.sigma]) / -16
        np.testing.assert_allclose(charge, j[k], atol=1e-12)
        np.testing.assert_allclose(spin_current, j_spin[k], atol=1e-12)

    # torque: Tr sigma_l (TORQUE_SIGN T)^K / 16 is the source of d_k j_kl; theta and kappa give none
    t_gamma = TORQUE_SIGN * matrix_torque(KELDYSH, g, dg, gamma)
    source = np.array([np.trace(s @ _k_block(t_gamma)) for s in _NAMBU.sigma]) / 16
    expected = torque(material, grad_mu, np.zeros(3), grad_spin)  # S = 0: only the Edelstein term (h = alpha = 0)
    np.testing.assert_allclose(source, expected, atol=1e-12)
    np.testing.assert_allclose(torque_th_ka, 0, atol=1e-12)  # every block, the Keldysh one included


def test_the_printed_edelstein_sign_follows_from_the_printed_torque_sign():
    """With the printed S3 sign (T on the right-hand side, TORQUE_SIGN = -1) the limit gives +gamma grad mu,
    Eq. (S11) as printed; the sign compatible with g^2 = 1 gives -gamma grad mu (Onsager)."""
    rng = np.random.default_rng(11)
    gamma = rng.normal(size=(3, 3))
    g, dg, _, value, first = _random_keldysh_field(rng)
    _, _, grad_mu, grad_spin = _observables(value, first)
    material = Material(D=1.0, Gamma=1.0, gamma=gamma)
    printed = -matrix_torque(KELDYSH, g, dg, gamma)
    source = np.array([np.trace(s @ _k_block(printed)) for s in _NAMBU.sigma]) / 16
    np.testing.assert_allclose(source, torque(material, grad_mu, np.zeros(3), grad_spin, equations="printed"), atol=1e-12)
    assert TORQUE_SIGN == 1


def test_precession_at_twice_the_zeeman_energy_and_relaxation_from_the_usadel_local_terms():
    """The local terms [i tau3 h.sigma, g] + (Gamma/8) sum_j [sigma_j g sigma_j, g] of the Usadel equation
    (paper 003, Eq. S3; h does not change under omega -> -i E) in the normal-state Keldysh limit give
    the spin source 2 h x S - R S with R = (Tr Gamma - Gamma)/2 = Gamma for Gamma_jk = Gamma delta_jk:
    spins precess at twice the Zeeman energy h of the Usadel equation (the Larmor frequency), not at
    h as (S11) prints."""
    rng = np.random.default_rng(7)
    h, rate = rng.normal(size=3), 0.37
    g, _, _, value, first = _random_keldysh_field(rng)
    _, spin, _, _ = _observables(value, first)
    t3 = np.kron(np.eye(2), _NAMBU.tau[3])
    zeeman = 1j * t3 @ sum(hi * s for hi, s in zip(h, KELDYSH.sigma))
    local = comm(zeeman, g) + rate / 8 * sum(comm(s @ g @ s, g) for s in KELDYSH.sigma)
    source = np.array([np.trace(s @ _k_block(local)) for s in _NAMBU.sigma]).real / 16
    material = Material(D=1.0, Gamma=rate, h=h)
    np.testing.assert_allclose(source, torque(material, np.zeros(3), spin, np.zeros((3, 3))), atol=1e-12)


def test_su2_precession_terms_are_the_keldysh_limit_of_s4_and_eq9():
    """alpha parts: current i alpha_kj g [sigma_k, g] (S4), torque +i alpha_kj [sigma_k, g d_j g] (main text
    Eq. 9; S5 prints the opposite sign) with TORQUE_SIGN; alpha[spin, gradient]."""
    rng = np.random.default_rng(23)
    alpha = rng.normal(size=(3, 3))
    g, dg, _, value, first = _random_keldysh_field(rng)
    _, spin, grad_mu, grad_spin = _observables(value, first)
    sig = KELDYSH.sigma
    with_alpha, without = Material(D=1.0, Gamma=1.0, alpha=alpha), Material(D=1.0, Gamma=1.0)
    j_spin = currents(with_alpha, grad_mu, spin, grad_spin)[1] - currents(without, grad_mu, spin, grad_spin)[1]
    for j in range(3):
        usadel = sum(1j * alpha[k, j] * g @ comm(sig[k], g) for k in range(3))
        np.testing.assert_allclose([np.trace(s @ _k_block(usadel)).real / -16 for s in _NAMBU.sigma], j_spin[j], atol=1e-12)
    eq9 = TORQUE_SIGN * sum(1j * alpha[k, j] * comm(sig[k], g @ dg[j]) for k in range(3) for j in range(3))
    source = np.array([np.trace(s @ _k_block(eq9)).real for s in _NAMBU.sigma]) / 16
    np.testing.assert_allclose(source, torque(with_alpha, grad_mu, np.zeros(3), grad_spin), atol=1e-12)


def test_persistent_spin_helix_has_one_undamped_mode():
    """Bernevig, Orenstein & Zhang, PRL 97, 236601 (2006): an SU(2) pure-gauge alpha (A = 2 alpha / D along
    one spin axis for gradients along x) with the compensating relaxation Gamma = 2 D A^2 (A^ A^), i.e.
    R = D A^2 (1 - A^ A^), has a spin helix of wavevector |A| that does not decay; besides it only the
    uniform spin along A (q = 0) is conserved. Decay rates of S e^{iqx} from the pointwise equations:
    d_t S = -i q j_x(q) + T(q) = -K(q) S."""
    d, a = 0.8, 0.35
    axis = np.array([0.0, 1.0, 0.0])
    alpha = np.zeros((3, 3))
    alpha[:, 0] = a * axis  # alpha[spin, gradient x]
    big_a = 2 * a / d
    regulator = 1e-12 * np.eye(3)  # Gamma must be positive definite
    material = Material(D=d, Gamma=2 * d * big_a**2 * np.outer(axis, axis) + regulator, alpha=alpha)

    def rates(q):
        k = np.zeros((3, 3), complex)
        for r in range(3):
            spin = np.eye(3)[r].astype(complex)
            grad_spin = np.zeros((3, 3), complex)
            grad_spin[0] = 1j * q * spin
            j_spin = currents(material, np.zeros(3), spin, grad_spin)[1]
            k[:, r] = 1j * q * j_spin[0] - torque(material, np.zeros(3), spin, grad_spin)
        return np.sort(np.linalg.eigvals(k).real)

    qs = np.linspace(0, 2 * big_a, 801)
    lowest = np.array([rates(q)[0] for q in qs])
    assert abs(qs[np.argmin(lowest)] - big_a) < 2e-3 * big_a
    assert abs(lowest.min()) < 1e-9  # undamped up to the 1e-12 regulator of Gamma
    elsewhere = (np.abs(qs - big_a) > 0.1 * big_a) & (qs > 0.1 * big_a)
    assert np.all(lowest[elsewhere] > 1e-3)  # every other mode decays
    assert abs(lowest[0]) < 1e-9  # the conserved uniform spin along A
