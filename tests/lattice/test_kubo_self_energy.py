"""The exact disorder-averaged self-energy of the TI lattice (issue 12, point 3: the witness of the lattice SCBA):
the clean torus, dense diagonalisation on the same realisations, and second-order perturbation theory at w -> 0."""

import numpy as np
import pytest
import xarray as xr

from spincharge.lattice.kubo import DisorderedTILattice, averaged_self_energy, crossed_self_energy
from spincharge.store import ResultStore

PAULI_Z = np.diag([1.0, -1.0])


def _plane_waves(n, modes):
    """|k s> on orbital 2 (iy n + ix) + s, amplitude e^{i (k_x ix + k_y iy) a} / n, built site by site."""
    out = np.zeros((2 * n * n, 2 * len(modes)), dtype=complex)
    for iy in range(n):
        for ix in range(n):
            for j, (mx, my) in enumerate(modes):
                for s in range(2):
                    out[2 * (iy * n + ix) + s, 2 * j + s] = np.exp(2j * np.pi * (mx * ix + my * iy) / n) / n
    return out


def _bloch(lattice, kx, ky):
    """h(k) = v (sin k_x sigma_y - sin k_y sigma_x) + (W (2 - cos k_x - cos k_y) - Delta_z) sigma_z (a = 1),
    written out from ``TISurfaceLattice``'s docstring."""
    w, v = lattice.model.wilson, lattice.v
    mass = w * (2 - np.cos(kx) - np.cos(ky)) - lattice.exchange_z
    off = v * (-np.sin(ky) - 1j * np.sin(kx))  # the (up, down) element of d_x sigma_x + d_y sigma_y
    return np.array([[mass, off], [np.conj(off), -mass]])


def test_clean_torus_has_no_self_energy():
    """Without disorder the plane waves diagonalise the torus: <k|R|k> = (E + i eta - h(k))^-1 with the Bloch
    h(k), so Sigma = 0 to the series tolerance at every momentum and both broadenings (the real-space and
    momentum conventions agree)."""
    lattice = DisorderedTILattice(n=7, exchange_z=0.25, disorder_alpha=0.0, wilson=0.8)
    result = averaged_self_energy(lattice, 0.3, 0.1, [[1, 0], [2, 5], [-3, 1]], multiples=(1.0, 3.0),
                                  realisations=2, tolerance=1e-11)
    assert np.abs(result.sigma).max() < 1e-9
    assert np.abs(result.sigma_error).max() < 1e-12
    assert np.array_equal(result.shifts, [0.0, 0.0])


def test_chebyshev_green_function_equals_dense_diagonalisation():
    """Each realisation's G_ss'(k) = <k s|U diag(1/(E + i eta - e)) U^dagger|k s'> from numpy's eigh of the same
    Hamiltonian (same seed: the realisations are drawn alike), at two broadenings, to the series tolerance; the
    shifts are the realisations' mean potentials."""
    lattice = DisorderedTILattice(n=5, exchange_z=-0.2, disorder_alpha=0.2)
    modes = [[1, 0], [1, 2]]
    energy, eta = 0.3, 0.05
    result = averaged_self_energy(lattice, energy, eta, modes, multiples=(1.0, 2.0), realisations=3, seed=5,
                                  tolerance=1e-10)
    probes = _plane_waves(5, modes)
    rng = np.random.default_rng(5)
    for r in range(3):
        h, _ = lattice.hamiltonian(rng)
        e, u = np.linalg.eigh(h.toarray())
        assert result.shifts[r] == pytest.approx(np.mean(h.diagonal() - lattice.clean_hamiltonian().diagonal()))
        left = probes.conj().T @ u
        for i, broadening in enumerate((eta, 2 * eta)):
            g = (left / (energy + 1j * broadening - e)) @ left.conj().T
            for j in range(2):
                dense = g[2 * j : 2 * j + 2, 2 * j : 2 * j + 2]
                assert np.abs(result.green[r, i, j] - dense).max() < 1e-8 * np.abs(dense).max()


def test_weak_disorder_self_energy_is_second_order_perturbation_theory():
    """At w -> 0 (alpha = 1e-3, w = 0.079 v/a) the averaged Sigma(k) is w^2 (1/N) sum_q G_0(q) over the torus grid
    (second order is exact there; fourth order is ~w^2 |G_0|^2 ~ 1e-3 relative): Sigma_0 and Sigma_z within 4
    jackknife errors, errors below 6% of each, and no in-plane part (white noise: k-independent). The control
    variate takes the uniform shift out of Re Sigma_0: its error is far below the shift's own spread w / (n sqrt R)."""
    n, realisations = 8, 40
    lattice = DisorderedTILattice(n=n, exchange_z=0.2, disorder_alpha=1e-3)
    energy, eta = 0.3, 0.3
    modes = np.array([[1, 0], [0, -1], [1, 1]])  # 6 columns: the block width of the other tests (one compilation)
    result = averaged_self_energy(lattice, energy, eta, modes, realisations=realisations, tolerance=1e-6, threads=1)
    q = 2 * np.pi * np.arange(n) / n
    born = lattice.disorder_std**2 * np.mean(
        [np.linalg.inv((energy + 1j * eta) * np.eye(2) - _bloch(lattice, qx, qy)) for qx in q for qy in q], axis=0)
    expected = np.array([np.trace(born) / 2, np.trace(born @ PAULI_Z) / 2])
    (s0, sz, along, across), (e0, ez, e_along, e_across) = result.shell[0], result.shell_error[0]
    for value, error, target in ((s0, e0, expected[0]), (sz, ez, expected[1])):
        assert abs(value.real - target.real) < 4 * error.real
        assert abs(value.imag - target.imag) < 4 * error.imag
    assert e0.imag < 0.06 * abs(expected[0].imag) and ez.real < 0.06 * abs(expected[1].real)
    for value, error in ((along, e_along), (across, e_across)):
        assert abs(value.real) < 4 * error.real and abs(value.imag) < 4 * error.imag
    assert e0.real < 0.2 * lattice.disorder_std / (n * np.sqrt(realisations))


def test_result_round_trips_and_bad_input_is_rejected(tmp_path):
    lattice = DisorderedTILattice(n=5, exchange_z=0.1, disorder_alpha=0.1)
    result = averaged_self_energy(lattice, 0.3, 0.2, [[1, 0]], realisations=2, tolerance=1e-3)
    ds = result.to_dataset()
    assert list(ds["sigma"].coords["component"].values) == ["0", "x", "y", "z"]
    assert ds["shell"].attrs["units"] == "E0"
    store = ResultStore(tmp_path)
    store.save("results", "self_energy", ds, {}, {})
    back = store.load("results", "self_energy")
    back.attrs = {k: v for k, v in back.attrs.items() if not k.startswith("spincharge_")}
    xr.testing.assert_identical(ds, back)
    for kwargs, name in ((dict(realisations=1), "realisations"), (dict(multiples=(0.0,)), "multiples")):
        with pytest.raises(ValueError, match=name):
            averaged_self_energy(lattice, 0.3, 0.2, [[1, 0]], **kwargs)
    with pytest.raises(ValueError, match="broadening"):
        averaged_self_energy(lattice, 0.3, 0.0, [[1, 0]])
    for modes in ([[1.5, 0]], [1, 0], [[0, 0]]):
        with pytest.raises(ValueError, match="modes"):
            averaged_self_energy(lattice, 0.3, 0.2, modes)


def test_crossed_self_energy_is_the_double_momentum_sum():
    """The FFT form w^4 sum_r e^{-ikr} G(r) G(-r) G(r) = the crossed diagram's explicit double sum
    w^4 (1/N^2) sum_{q,q'} G(q) G(q+q'-k) G(q') over the 6 x 6 grid, with G(q) = (z - Sigma_SCBA - h(q))^-1 built
    from the Bloch h(q) written out here, at a grid momentum and (via the minimum image) the same momentum shifted
    by a reciprocal lattice vector."""
    n_k = 6
    lattice = DisorderedTILattice(n=8, exchange_z=0.15, disorder_alpha=0.05)
    k = 2 * np.pi * np.array([2, 1]) / n_k
    result = crossed_self_energy(lattice, 0.3, [k, k + [2 * np.pi, 0]], 0.1, n_k=n_k)
    s0, sz = result.scba
    q = 2 * np.pi * np.arange(n_k) / n_k
    g = {(a, b): np.linalg.inv((0.3 + 0.1j - s0) * np.eye(2) - sz * PAULI_Z - _bloch(lattice, q[a], q[b]))
         for a in range(n_k) for b in range(n_k)}
    total = sum(g[a1, b1] @ g[(a1 + a2 - 2) % n_k, (b1 + b2 - 1) % n_k] @ g[a2, b2]
                for a1 in range(n_k) for b1 in range(n_k) for a2 in range(n_k) for b2 in range(n_k))
    total *= lattice.disorder_std**4 / n_k**4
    expected = [np.trace(total) / 2, np.trace(total @ np.array([[0, 1], [1, 0]])) / 2,
                np.trace(total @ np.array([[0, -1j], [1j, 0]])) / 2, np.trace(total @ PAULI_Z) / 2]
    for row in result.sigma:
        assert np.allclose(row, expected, rtol=1e-10, atol=1e-14)
    assert abs(expected[0]) > 1e-4
    with pytest.raises(ValueError, match="momenta"):
        crossed_self_energy(lattice, 0.3, [1.0, 0.0])
