"""The real-arithmetic recursive Green's functions of ``rational.Slices`` (Majorana basis, H = i A with A real
antisymmetric): the basis against the particle-hole operator built from Pauli matrices, and the resolvent
blocks against a dense inverse of H - z, for random textures and vector potentials on both lattices."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spincharge.lattice import RashbaLattice
from spincharge.lattice.rational import MAJORANA, Slices, _accretive_inverse, _site_orbitals
from spincharge.lattice.square import SquareSystem, TISurfaceLattice

SIGMA_Y = np.array([[0, -1j], [1j, 0]])


def test_majorana_basis_is_unitary_and_splits_the_particle_hole_operator():
    """MAJORANA^T MAJORANA = tau_y sigma_y (the unitary part of C = tau_y sigma_y K, C H^* C^-1 = -H)."""
    np.testing.assert_allclose(MAJORANA @ MAJORANA.conj().T, np.eye(4), atol=1e-15)
    np.testing.assert_allclose(MAJORANA.T @ MAJORANA, np.kron(SIGMA_Y, SIGMA_Y), atol=1e-15)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    ti=st.booleans(),
    axis=st.sampled_from([0, 1]),
    shift=st.sampled_from([0.05j, 0.7j, 3.0j, 0.4 + 0.3j]),  # the poles' imaginary shifts, and a complex one
)
@example(seed=0, ti=False, axis=0, shift=0.05j)  # seed % 3 == 0: 17 sites per slice
@example(seed=3, ti=True, axis=1, shift=0.4 + 0.3j)
def test_resolvent_blocks_equal_the_dense_inverse(seed, ti, axis, shift):
    """Every 4 x 4 block the observables read, against np.linalg.inv(H - z) (the complex shift takes the
    complex path of the same sweep); open along ``axis``, periodic or open across it."""
    rng = np.random.default_rng(seed)
    model = (TISurfaceLattice(v=1.0, mu=0.4, delta=0.3, spacing=1.0) if ti
             else RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0))  # fmt: skip
    ny, nx = (5, 4) if seed % 3 else ((3, 17) if axis == 0 else (17, 3))  # 17 sites: m = 68 > 64, block inverse
    periodic = [False, False]
    periodic[1 - axis] = bool(rng.integers(2))
    system = SquareSystem(model, 0.4 * rng.normal(size=(3, ny, nx)), periodic=tuple(periodic),
                          vector_potential=0.5 * rng.normal(size=(2, ny, nx)))  # fmt: skip
    slices = Slices(system, axis=axis)
    dense = np.linalg.inv(system.bdg_hamiltonian().toarray() - shift * np.eye(4 * system.n_sites))
    orbitals = _site_orbitals(np.arange(system.n_sites), system.n_sites)
    for name, (forward, backward) in slices.resolvent(shift).items():
        start, end = slices.pairs[name]
        expected_forward = dense[orbitals[end][:, :, None], orbitals[start][:, None, :]]  # A[r', r]
        expected_backward = dense[orbitals[start][:, :, None], orbitals[end][:, None, :]]  # A[r, r']
        np.testing.assert_allclose(forward, expected_forward, rtol=0, atol=1e-12 * np.abs(dense).max())
        np.testing.assert_allclose(backward, expected_backward, rtol=0, atol=1e-12 * np.abs(dense).max())


def test_slices_refuse_a_periodic_slicing_axis():
    model = RashbaLattice(mass=0.5, mu=1.0, v=0.3, delta=0.2, spacing=1.0)
    system = SquareSystem(model, np.zeros((3, 3, 3)), periodic=(True, False))
    with pytest.raises(ValueError, match="slicing axis 0 must be open"):
        Slices(system, axis=0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(1, 90), z=st.sampled_from([0.02, -0.5, 3.0, 0.1 - 0.7j]),
       leaf=st.sampled_from([1, 4, 16]))  # fmt: skip
def test_accretive_inverse_against_lapack(seed, n, z, leaf):
    """K = A - z, A real antisymmetric, Re z != 0 (the poles' slices): the pivot-free block inverse agrees with
    LAPACK's pivoted one to cond(K)^2 eps (cond <= ||A|| / |Re z| + 1)."""
    b = np.random.default_rng(seed).normal(size=(n, n))
    k = (b - b.T) - z * np.eye(n)
    reference = np.linalg.inv(k)
    condition = np.linalg.norm(k, 2) * np.linalg.norm(reference, 2)
    np.testing.assert_allclose(_accretive_inverse(k.copy(), leaf), reference, rtol=0,
                               atol=10 * condition**2 * 1e-16 * np.abs(reference).max())  # fmt: skip
