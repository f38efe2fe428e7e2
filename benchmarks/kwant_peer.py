"""Kwant 1.5 peer for benchmarks/bench_lattice.py: equilibrium bond currents and site spins by Kwant's KPM.

Runs in the Kwant environment made by ``benchmarks/make_kwant_env.sh`` (numpy<2), never in spincharge's
own; it does not import spincharge. The benchmark writes the lattice (blocks and exchange field) to an
``.npz`` file, this script builds the same BdG system with ``kwant.Builder`` and writes its results:

    <kwant-venv>/bin/python benchmarks/kwant_peer.py INPUT.npz OUTPUT.npz [--moments M] [--dense]

Input arrays: ``h0``, ``hx``, ``hy`` (2 x 2: on-site block and bond blocks h_{r,r+x}, h_{r,r+y} of the
normal state), ``exchange`` (3, ny, nx) (electrons feel -M . sigma), ``delta`` (s-wave gap), ``spacing``.
The BdG blocks are [[h, Delta], [Delta, -sigma_y h^* sigma_y]] per site (Nambu basis of paper 000, Eq. 4),
orbitals (particle up, particle down, hole 1, hole 2) on each site, open boundaries.

What a Kwant user would do for a full map at T = 0: ``kwant.kpm.SpectralDensity`` of
``kwant.operator.Current`` (onsite: the particle projector P) and of ``kwant.operator.Density`` (onsite
P sigma_a P), with ``kwant.kpm.LocalVectors`` over every orbital, so that the sum over vectors is the
exact trace Tr[O f(H_BdG)] (random vectors would add a stochastic error far above 0.3 % on local
currents); then ``integrate`` with the zero-temperature Fermi function. One ``SpectralDensity`` per observable: a single
callable returning all four was 4.9x slower here (447 s against 92 s at 8 x 8 sites, 1500 moments). The cost is one Chebyshev
recursion of M moments per orbital: O(N^2 M) for N orbitals.

Output arrays: ``hamiltonian_data/indices/indptr`` (Kwant's CSR matrix, site order ``site_x``,
``site_y``), ``hoppings`` (n_hop, 2) site indices of each hopping (a, b) Kwant reports a current on,
``current`` (n_hop,), ``spin`` (3, n_sites), ``seconds`` (KPM wall time), ``moments``; with ``--dense``
also ``current_dense`` and ``spin_dense`` from a dense diagonalisation of Kwant's own matrix (the
reference for the moment count).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

PAULI = np.array([[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def _bdg(block, pairing=0.0):
    """4 x 4 BdG block [[b, Delta], [Delta, -sigma_y b^* sigma_y]]."""
    hole = -PAULI[2] @ block.conj() @ PAULI[2]
    out = np.zeros((4, 4), dtype=complex)
    out[:2, :2], out[2:, 2:] = block, hole
    out[:2, 2:] = out[2:, :2] = pairing * PAULI[0]
    return out


def build(data):
    import kwant

    exchange = data["exchange"]
    _, ny, nx = exchange.shape
    lattice = kwant.lattice.square(float(data["spacing"]), norbs=4)
    builder = kwant.Builder()
    delta = float(data["delta"])
    for iy in range(ny):
        for ix in range(nx):
            onsite = data["h0"] - np.einsum("a,ars->rs", exchange[:, iy, ix], PAULI[1:])
            builder[lattice(ix, iy)] = _bdg(onsite, delta)
    # Kwant's builder[a, b] is the matrix element H_ab: the hopping from b to a
    hx, hy = _bdg(data["hx"]), _bdg(data["hy"])
    for iy in range(ny):
        for ix in range(nx):
            if ix + 1 < nx:
                builder[lattice(ix, iy), lattice(ix + 1, iy)] = hx
            if iy + 1 < ny:
                builder[lattice(ix, iy), lattice(ix, iy + 1)] = hy
    return builder.finalized()


def _fermi_zero(energy):
    return (np.asarray(energy) < 0).astype(float)


def run(data, moments: int, dense: bool):
    import kwant

    syst = build(data)
    particle = np.diag([1.0, 1.0, 0.0, 0.0]).astype(complex)
    current_op = kwant.operator.Current(syst, onsite=particle)
    spin_ops = [kwant.operator.Density(syst, onsite=_bdg(PAULI[a]) @ particle) for a in (1, 2, 3)]
    n_orbitals = 4 * len(syst.sites)
    matrix = syst.hamiltonian_submatrix(sparse=True).tocsr()
    out = {
        "hamiltonian_data": matrix.data, "hamiltonian_indices": matrix.indices, "hamiltonian_indptr": matrix.indptr,
        "site_x": np.array([s.tag[0] for s in syst.sites]), "site_y": np.array([s.tag[1] for s in syst.sites]),
        "hoppings": np.array(current_op.where), "moments": moments,
    }  # fmt: skip
    start = time.perf_counter()
    results = []
    for op in (current_op, *spin_ops):
        spectrum = kwant.kpm.SpectralDensity(
            syst, operator=op, vector_factory=kwant.kpm.LocalVectors(syst), num_vectors=None,
            num_moments=moments, rng=0,
        )  # fmt: skip
        # SpectralDensity averages over the vectors: times their number it is the trace
        results.append(np.real(spectrum.integrate(distribution_function=_fermi_zero)) * n_orbitals)
    out["seconds"] = time.perf_counter() - start
    out["current"], out["spin"] = results[0], np.array(results[1:])
    if dense:
        energies, vectors = np.linalg.eigh(matrix.toarray())
        occupied = vectors[:, energies < 0]
        out["current_dense"] = np.real(sum(current_op(occupied[:, k]) for k in range(occupied.shape[1])))
        out["spin_dense"] = np.array(
            [np.real(sum(op(occupied[:, k]) for k in range(occupied.shape[1]))) for op in spin_ops]
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--moments", type=int, default=1000, help="Chebyshev moments (default 1000)")
    parser.add_argument("--dense", action="store_true", help="also diagonalise Kwant's matrix (small systems)")
    args = parser.parse_args()
    with np.load(args.input) as data:
        out = run(dict(data), args.moments, args.dense)
    np.savez(args.output, **out)
    print(f"kwant KPM: {len(out['spin'][0])} sites, {args.moments} moments, {out['seconds']:.2f} s")


if __name__ == "__main__":
    main()
