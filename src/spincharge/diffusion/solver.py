"""Finite-element solution of paper 003, Eqs. (S10)-(S13): assembly, boundary conditions, linear solves.

Weak form (docs/conventions.md, "Spin-charge diffusion"): for test functions v_a and u = (mu, S),

    int v_a d_t u_a + int d_k v_a C^ab_kj d_j u_b + int d_k v_a B^ab_k u_b - int v_a A^ab_k d_k u_b
        + int v_a R^ab u_b = int v_a f_a - oint v_a n.J^a,

with the tensors of :func:`spincharge.diffusion.equations.operator_tensors`; the boundary integral carries every
boundary condition (zero on insulating edges). Contacts add one potential unknown each (a terminal):
transparent contacts tie mu on their facets to it and fix S = 0; contacts with a conductance couple
to it through a Robin term. The unknowns are ordered node-major (4 i + a).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import skfem
from scipy import sparse
from scipy.sparse import linalg as spla
from scipy.spatial import cKDTree
from skfem import BilinearForm, LinearForm, asm

from .boundary import Contact, Fixed, Injection, MagneticInsulator, select_facets
from .equations import operator_tensors
from .geometry import Geometry
from .iterative import solve_block_preconditioned
from .results import DiffusionResult, ResistanceResult, TransientResult

__all__ = ["Device", "solve", "solve_transient", "resistance"]

_ELEMENTS = {
    ("P1", 1): skfem.ElementLineP1,
    ("P2", 1): skfem.ElementLineP2,
    ("P1", 2): skfem.ElementTriP1,
    ("P2", 2): skfem.ElementTriP2,
}
_SOLVERS = ("direct", "iterative")


@dataclass(frozen=True)
class Device:
    """A geometry with boundary conditions and drives (paper 003, Appendix D).

    Parameters
    ----------
    geometry : Geometry
    boundaries : sequence of Contact, Injection, MagneticInsulator, Fixed
        Contacts are the terminals, in order; edges with no condition are insulating.
    electric_field : 3-vector
        A uniform field E perpendicular to the mesh directions (e.g. in-plane for a 1D film across its
        thickness): mu = -E.r + (the solved mu), so d mu = -E enters every term of Eqs. (S11)-(S13).
    source : callable, optional
        Volume generation rate f(x) (x of shape (dim, n)) -> (4, n) added to the right of
        d_t u + d_k J_k - torque = f (charge, then spin components).
    gauge : None or "mean"
        "mean": where no contact fixes the potential, fix the mean of mu to zero instead (films with the
        field E only); None: such a set-up raises ValueError.
    """

    geometry: Geometry
    boundaries: Sequence = ()
    electric_field: Sequence[float] = (0.0, 0.0, 0.0)
    source: Callable | None = None
    gauge: str | None = None

    def __post_init__(self):
        if not isinstance(self.geometry, Geometry):
            raise ValueError("geometry must be a spincharge.diffusion.Geometry (use segment, layers, rectangles, ...)")
        object.__setattr__(self, "boundaries", tuple(self.boundaries))
        for b in self.boundaries:
            if not isinstance(b, (Contact, Injection, MagneticInsulator, Fixed)):
                raise ValueError(f"boundaries must be Contact, Injection, MagneticInsulator or Fixed, got {type(b).__name__}")
        names = [c.name for c in self.contacts]
        if len(set(names)) != len(names):
            raise ValueError(f"contact names must be distinct, got {names}")
        e = np.asarray(self.electric_field, dtype=float)
        if e.shape != (3,) or not np.all(np.isfinite(e)):
            raise ValueError(f"electric_field must be a finite 3-vector, got {self.electric_field!r}")
        if np.any(e[list(self.geometry.axes)] != 0):
            raise ValueError("electric_field must be perpendicular to the mesh directions "
                             f"(axes {self.geometry.axes}); along the mesh drive the device with contacts")  # fmt: skip
        object.__setattr__(self, "electric_field", e)
        if self.gauge not in (None, "mean"):
            raise ValueError(f"gauge must be None or 'mean', got {self.gauge!r}")

    @property
    def contacts(self) -> tuple[Contact, ...]:
        return tuple(b for b in self.boundaries if isinstance(b, Contact))

    def with_drives(self, **drives) -> Device:
        """A copy with contacts re-driven: ``name=("potential", V)`` or ``name=("current", I)``."""
        contacts = {c.name: c for c in self.contacts}
        unknown = sorted(set(drives) - set(contacts))
        if unknown:
            raise ValueError(f"no contact named {unknown}; contacts: {sorted(contacts)}")
        new = []
        for b in self.boundaries:
            if isinstance(b, Contact) and b.name in drives:
                kind, value = drives[b.name]
                b = replace(b, potential=value, current=0.0) if kind == "potential" else replace(b, potential=None, current=value)
            new.append(b)
        return replace(self, boundaries=tuple(new))


@dataclass
class _Assembly:
    """The discrete operator of a device: K u = F (+ terminal currents), mass M, reduction x = P y + x0."""

    device: Device
    element: str
    basis: skfem.Basis = field(init=False)

    def __post_init__(self):
        geometry = self.device.geometry
        if (self.element, geometry.dim) not in _ELEMENTS:
            raise ValueError(f"element must be 'P1' or 'P2', got {self.element!r}")
        mesh = geometry.mesh
        elem = _ELEMENTS[(self.element, geometry.dim)]()
        self.basis = skfem.Basis(mesh, elem)
        n = self.basis.N
        axes = list(geometry.axes)
        d = geometry.dim
        grad_mu = -self.device.electric_field
        F = np.zeros(4 * n)
        # every scalar matrix (d_k phi_i d_j phi_n, d_k phi_i phi_n, phi_i phi_n) lives on one pattern;
        # the block system is assembled once, as 4x4 blocks on it (node-major BSR)
        forms = [BilinearForm(lambda u, v, w, k=k, j=j: u.grad[j] * v.grad[k]) for k in range(d) for j in range(d)]
        forms += [BilinearForm(lambda u, v, w, k=k: u * v.grad[k]) for k in range(d)]
        forms.append(BilinearForm(lambda u, v, w: u * v))
        coo, keys = [], []
        for m in range(len(geometry.materials)):
            basis = skfem.Basis(mesh, elem, elements=np.flatnonzero(geometry.material_index == m))
            data = [form.coo_data(basis) for form in forms]
            if not all(np.array_equal(c.indices, data[0].indices) for c in data[1:]):
                raise RuntimeError("scikit-fem returned differently ordered COO data for one basis")
            coo.append(data)
            keys.append(data[0].indices[0].astype(np.int64) * n + data[0].indices[1])
        pattern = np.sort(np.concatenate(keys))
        pattern = pattern[np.r_[True, pattern[1:] != pattern[:-1]]]  # sort-based unique: faster than hashing here
        rows, cols = pattern // n, (pattern % n).astype(np.int32)
        indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int32)
        transpose = np.searchsorted(pattern, cols.astype(np.int64) * n + rows)
        blocks = np.zeros((len(pattern), 16))
        self.mass_scalar = sparse.csr_matrix((n, n))
        self.regions = []
        ones = np.ones(n)
        for m, material in enumerate(geometry.materials):
            position = np.searchsorted(pattern, keys[m])
            values = np.stack([np.bincount(position, weights=c.data, minlength=len(pattern)) for c in coo[m]], axis=1)
            C, B, A, R = operator_tensors(material)
            Cm, Bm, Am = C[:, :, axes][:, :, :, axes], B[:, :, axes], A[:, :, axes]
            coefficients = [Cm[:, :, k, j] for k in range(d) for j in range(d)] + [Bm[:, :, k] for k in range(d)] + [R]
            blocks += values @ np.array([c.ravel() for c in coefficients])
            blocks -= values[transpose, d * d : d * d + d] @ np.array([Am[:, :, k].ravel() for k in range(d)])
            drift = [sparse.csr_matrix((values[:, d * d + k], cols, indptr), shape=(n, n)) for k in range(d)]
            mass = sparse.csr_matrix((values[:, -1], cols, indptr), shape=(n, n))
            # a uniform background gradient d mu = -E: its currents and torques move to the right side
            j_bg = -np.einsum("akj,j->ak", C[:, 0], grad_mu)
            t_bg = np.einsum("ak,k->a", A[:, 0], grad_mu)
            for k in range(d):
                F += np.kron(drift[k] @ ones, j_bg[:, axes[k]])
            F += np.kron(mass @ ones, t_bg)
            self.mass_scalar = self.mass_scalar + mass
            self.regions.append((drift, mass, C, B, j_bg))
        K = sparse.bsr_matrix((blocks.reshape(-1, 4, 4), cols, indptr), shape=(4 * n, 4 * n))
        if self.device.source is not None:
            for a in range(4):
                load = asm(LinearForm(lambda v, w, a=a: self._source(w.x)[a] * v), self.basis)
                F[a::4] += load
        self.K_nodes, self.F_nodes = K.tocsr(), F
        self._boundaries(n)

    def _source(self, x):
        shape = x.shape[1:]
        values = np.asarray(self.device.source(x.reshape(x.shape[0], -1)), dtype=float)
        if values.shape != (4, int(np.prod(shape))) or not np.all(np.isfinite(values)):
            raise ValueError("source must return a finite array of shape (4, n) for coordinates of shape (dim, n)")
        return values.reshape((4,) + shape)

    def _facet_mass(self, facets):
        fb = skfem.FacetBasis(self.basis.mesh, self.basis.elem, facets=facets)
        return asm(BilinearForm(lambda u, v, w: u * v), fb)

    def _jump(self, f1, f2):
        """J (n x n): (J u)_d = u_d - u_d' for each dof d on facets f1 and d' its partner on f2 (same place)."""
        d1, d2 = self.basis.get_dofs(f1).all(), self.basis.get_dofs(f2).all()
        x = self.basis.doflocs
        distance, nearest = cKDTree(x[:, d2].T).query(x[:, d1].T)
        if np.any(distance > 1e-9 * np.ptp(x, axis=1).max()):
            raise RuntimeError("the two sides of an interface do not coincide")  # split_regions guarantees it
        n, ones = self.basis.N, np.ones(len(d1))
        return sparse.csr_matrix((np.r_[ones, -ones], (np.r_[d1, d1], np.r_[d1, d2[nearest]])), shape=(n, n))

    def _boundaries(self, n):
        device, geometry = self.device, self.device.geometry
        mesh = geometry.mesh
        contacts = device.contacts
        nt = len(contacts)
        gauge = device.gauge == "mean" and not any(c.voltage_driven for c in contacts)
        size = 4 * n + nt + int(gauge)
        rows, cols, vals = [], [], []

        def add(block, r0, c0):
            block = sparse.coo_matrix(block)
            rows.append(block.row + r0)
            cols.append(block.col + c0)
            vals.append(block.data)

        F = np.zeros(size)
        F[: 4 * n] = self.F_nodes
        fixed = {}  # full dof -> value
        tied = {}  # node mu dof -> terminal dof
        self.terminal_facets, self.robin = [], {}
        used = np.zeros(mesh.nfacets, bool)
        for b in device.boundaries:
            label = f"contact {b.name!r}" if isinstance(b, Contact) else type(b).__name__
            facets = select_facets(mesh, b.where, label, exclude=geometry.interface_facets)
            if used[facets].any() and not isinstance(b, Injection):
                raise ValueError(f"{label}: its facets overlap another boundary condition's; make the regions disjoint")
            used[facets] |= not isinstance(b, Injection)
            dofs = self.basis.get_dofs(facets).all()
            if isinstance(b, Contact):
                t = 4 * n + contacts.index(b)
                self.terminal_facets.append(facets)
                if b.conductance is None:
                    for i in dofs:
                        tied[4 * i] = t
                        for a in (1, 2, 3):
                            fixed[4 * i + a] = 0.0
                else:
                    G4 = b.matrix()
                    Mf = self._facet_mass(facets)
                    w = Mf @ np.ones(n)
                    add(sparse.kron(Mf, G4), 0, 0)
                    add(-np.kron(w, G4[:, 0])[:, None], 0, t)
                    add(-np.kron(w, G4[0, :])[None, :], t, 0)
                    add([[G4[0, 0] * w.sum()]], t, t)
                    self.robin[b.name] = (w, G4)
                if b.voltage_driven:
                    fixed[t] = b.potential
                else:
                    F[t] += b.current
            elif isinstance(b, MagneticInsulator):
                add(sparse.kron(self._facet_mass(facets), b.matrix()), 0, 0)
            elif isinstance(b, Injection):
                w = self._facet_mass(facets) @ np.ones(n)
                F[: 4 * n] += np.kron(w / w.sum(), b.inflow())
            else:  # Fixed
                xy = self.basis.doflocs[:, dofs]
                for a, values in ((0, b.mu), (1, b.S)):
                    if values is None:
                        continue
                    v = values(xy) if callable(values) else np.broadcast_to(np.asarray(values, float).reshape(-1, 1), (3 if a else 1, len(dofs)))
                    v = np.atleast_2d(np.asarray(v, dtype=float))
                    if v.shape != (3 if a else 1, len(dofs)) or not np.all(np.isfinite(v)):
                        raise ValueError(f"Fixed: {'S' if a else 'mu'} must give finite values of shape ({3 if a else 1}, n)")
                    for c in range(v.shape[0]):
                        fixed.update(zip(4 * dofs + a + c, v[c]))
        self.interfaces = []  # (name, weights @ jump, G4): the interface current is G4 @ (row @ u)
        for name, f1, f2, interface in geometry.couplings:
            jump = self._jump(f1, f2)
            Mf = self._facet_mass(f1)
            g4 = interface.matrix()
            add(sparse.kron(jump.T @ Mf @ jump, g4), 0, 0)  # int [v] G4 [u] over the interface
            self.interfaces.append((name, (Mf @ np.ones(n)) @ jump, g4))
        if gauge:
            w = self.mass_scalar @ np.ones(n)
            g = size - 1
            add(sparse.coo_matrix((w, (np.full(n, g), 4 * np.arange(n))), shape=(size, size)), 0, 0)
            add(sparse.coo_matrix((w, (4 * np.arange(n), np.full(n, g))), shape=(size, size)), 0, 0)
        nodes = self.K_nodes
        padded = sparse.csr_matrix((nodes.data, nodes.indices, np.r_[nodes.indptr, np.full(size - 4 * n, nodes.indptr[-1])]), shape=(size, size))
        extra = sparse.coo_matrix((np.concatenate(vals or [[]]), (np.concatenate(rows or [[]]).astype(int), np.concatenate(cols or [[]]).astype(int))), shape=(size, size))
        self.K = (padded + extra.tocsr()).tocsr()
        self.F_sources = F.copy()
        for c in contacts:
            if not c.voltage_driven:
                self.F_sources[4 * n + contacts.index(c)] -= c.current
        self.F = F
        self.M = sparse.block_diag([sparse.kron(self.mass_scalar, np.eye(4)), sparse.csr_matrix((size - 4 * n, size - 4 * n))]).tocsr()
        self.n, self.size, self.tied, self.fixed, self.gauge = n, size, tied, fixed, gauge

    def check_anchored(self):
        """Every connected region needs a contact (or Fixed mu) that fixes its potential."""
        device, geometry = self.device, self.device.geometry
        mesh = geometry.mesh
        count, label = geometry.components()
        parent = list(range(count + len(device.contacts) + 1))  # regions, terminals, "ground"

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i, j):
            parent[find(i)] = find(j)

        ground = len(parent) - 1
        for t, (c, facets) in enumerate(zip(device.contacts, self.terminal_facets)):
            for r in np.unique(label[mesh.facets[:, facets]]):
                union(int(r), count + t)
            if c.voltage_driven:
                union(count + t, ground)
        for b in device.boundaries:
            if isinstance(b, Fixed) and b.mu is not None:
                for r in np.unique(label[mesh.facets[:, select_facets(mesh, b.where, "Fixed", exclude=geometry.interface_facets)]]):
                    union(int(r), ground)
        floating = [r for r in range(count) if find(r) != find(ground)]
        if self.gauge and floating == list(range(count)) and count == 1:
            return
        if floating:
            where = mesh.p[:, label == floating[0]].mean(axis=1)
            if not any(c.voltage_driven for c in device.contacts) and count == 1:
                raise ValueError("no contact fixes the potential (the system is singular): give one Contact a "
                                 "potential (e.g. potential=0.0)" + (", or use Device(gauge='mean') for a film with "
                                 "an electric_field only" if not device.contacts else ""))  # fmt: skip
            raise ValueError(f"region {floating[0]} of {count} (a floating part of the mesh around {np.round(where, 6).tolist()}) "
                             "is connected to no contact that fixes its potential: connect it, add a Contact with a "
                             "potential on it, or remove it from the mesh")  # fmt: skip

    @cached_property
    def reduction(self):
        """P (size x free) and x0 with x = P y + x0; tied mu dofs follow their terminal."""
        size = self.size
        fixed = dict(self.fixed)
        for i, t in self.tied.items():
            if t in fixed:
                fixed[i] = fixed[t]
        constrained = np.zeros(size, bool)
        constrained[np.fromiter(fixed, int, len(fixed))] = True
        constrained[np.fromiter(self.tied, int, len(self.tied))] = True
        free = np.flatnonzero(~constrained)
        column = -np.ones(size, int)
        column[free] = np.arange(len(free))
        follow = [(i, column[t]) for i, t in self.tied.items() if t not in fixed]
        tied_rows, tied_cols = (np.array(v, dtype=int) for v in zip(*follow)) if follow else (np.zeros(0, int),) * 2
        rows = np.concatenate([free, tied_rows])
        cols = np.concatenate([np.arange(len(free)), tied_cols])
        P = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, len(free)))
        x0 = np.zeros(size)
        if fixed:
            idx = np.fromiter(fixed, int, len(fixed))
            x0[idx] = np.fromiter(fixed.values(), float, len(fixed))
        return P, x0

    def currents(self, x):
        """Nodal (L2-projected) j_k (3, n) and j_kl (3, 3, n) from the node dofs x (4 n)."""
        n = self.n
        u = x[: 4 * n].reshape(n, 4).T
        rhs = np.zeros((4, 3, n), dtype=x.dtype)
        axes = list(self.device.geometry.axes)
        for drift, mass, C, B, j_bg in self.regions:
            Mu = np.array([mass @ ub for ub in u])
            rhs -= np.einsum("abk,bi->aki", B, Mu)
            rhs += j_bg[:, :, None] * (mass @ np.ones(n))[None, None, :]
            for jj, ax in enumerate(axes):
                Gu = np.array([drift[jj].T @ ub for ub in u])
                rhs -= np.einsum("abk,bi->aki", C[:, :, :, ax], Gu)
        # consistent L2 projection: the mass matrix is well conditioned, Jacobi-preconditioned CG suffices
        mass = self.mass_scalar.tocsr()
        jacobi = spla.LinearOperator(mass.shape, matvec=lambda v, d=1 / mass.diagonal(): d * v, dtype=float)
        flat = rhs.reshape(12, n)
        out = np.zeros_like(flat)
        for row in range(12):
            for part, unit in ((flat[row].real, 1.0), (flat[row].imag if np.iscomplexobj(flat) else None, 1j)):
                if part is None or not np.any(part):
                    continue
                value, info = spla.cg(mass, part, M=jacobi, rtol=1e-13, atol=0.0, maxiter=500)
                if info != 0:
                    raise ValueError("the L2 projection of the currents did not converge; the mesh is badly graded")
                out[row] = out[row] + unit * value
        out = out.T
        J = out.T.reshape(4, 3, n)
        return J[0], np.transpose(J[1:], (1, 0, 2))  # j[k], j_s[k, l]

    def terminals(self, x, operator=None, rate=None):
        """(potentials, charge currents in, spin currents in) per contact; ``operator`` defaults to K;
        ``rate``: du/dt of a transient, whose charging current M du/dt the contacts also supply."""
        n, contacts = self.n, self.device.contacts
        r = (self.K if operator is None else operator) @ x - self.F_sources
        if rate is not None:
            r = r + self.M @ rate
        V = np.array([x[4 * n + t] for t in range(len(contacts))])
        current = np.zeros(len(contacts), dtype=x.dtype)
        spin = np.zeros((len(contacts), 3), dtype=x.dtype)
        for t, c in enumerate(contacts):
            if c.conductance is None:
                dofs = self.basis.get_dofs(self.terminal_facets[t]).all()
                current[t] = r[4 * dofs].sum()
                spin[t] = [r[4 * dofs + a].sum() for a in (1, 2, 3)]
            else:
                w, G4 = self.robin[c.name]
                u = x[: 4 * n].reshape(n, 4)
                out = G4 @ (w @ u) - G4[:, 0] * w.sum() * V[t]
                current[t], spin[t] = -out[0], -out[1:]
        return V, current, spin


def _solve_linear(A, b, solver, tol, fields):
    if solver == "direct":
        return spla.splu(A.tocsc(), permc_spec="MMD_AT_PLUS_A").solve(b)
    return solve_block_preconditioned(A, b, fields, tol=tol)


def _result(assembly: _Assembly, x, omega, settings, operator, residual) -> DiffusionResult:
    n = assembly.n
    geometry = assembly.device.geometry
    nv = geometry.mesh.nvertices  # vertex dofs come first in scikit-fem's numbering
    u = x[: 4 * n].reshape(n, 4)
    j, j_s = assembly.currents(x)
    V, I, Ispin = assembly.terminals(x, operator)
    through = np.array([g4 @ (row @ u) for _, row, g4 in assembly.interfaces]).reshape(-1, 4)
    for name, value in (("mu", u), ("j", j), ("j_s", j_s), ("terminal current", I)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"the solution's {name} is not finite: the set-up is singular or ill-posed; check contacts and materials")
    return DiffusionResult(
        coordinates=geometry.mesh.p.T.copy(),
        cells=geometry.mesh.t.T.copy(),
        mu=u[:nv, 0].copy(),
        S=u[:nv, 1:].T.copy(),
        j=j[:, :nv].copy(),
        j_s=j_s[:, :, :nv].copy(),
        terminal=tuple(c.name for c in assembly.device.contacts),
        terminal_potential=V,
        terminal_current=I,
        terminal_spin_current=Ispin,
        interface=tuple(name for name, _, _ in assembly.interfaces),
        interface_current=through[:, 0].copy(),
        interface_spin_current=through[:, 1:].copy(),
        omega=float(omega),
        residual=float(residual),
        axes="".join("xyz"[a] for a in geometry.axes),
        settings=settings,
    )


def solve(device: Device, *, omega: float = 0.0, element: str = "P1", solver: str = "direct",
          tol: float = 1e-10) -> DiffusionResult:  # fmt: skip
    """Steady state (omega = 0) or time-harmonic response at angular frequency omega (fields ~ e^(-i omega t),
    so d_t -> -i omega) of paper 003, Eqs. (S10)-(S13).

    ``solver``: "direct" (SuperLU, minimum-degree ordering of A^T + A) or "iterative" (GMRES with a block preconditioner, one
    algebraic-multigrid cycle per field; needs pyamg); ``tol`` is the iterative solver's relative residual.
    """
    if not np.isfinite(omega):
        raise ValueError(f"omega must be finite, got {omega!r}")
    if solver not in _SOLVERS:
        raise ValueError(f"solver must be one of {_SOLVERS}, got {solver!r}")
    assembly = _Assembly(device, element)
    if omega == 0:
        assembly.check_anchored()  # a floating potential makes the steady operator singular
    P, x0 = assembly.reduction
    A = assembly.K - 1j * omega * assembly.M if omega else assembly.K
    Ar = (P.T @ A @ P).tocsr()
    br = P.T @ (assembly.F - A @ x0)
    labels = np.concatenate([np.tile(np.arange(4), assembly.n), np.zeros(assembly.size - 4 * assembly.n, int)])
    fields = np.rint((P.T @ labels) / np.maximum(np.asarray(P.sum(axis=0)).ravel(), 1)).astype(int)
    y = _solve_linear(Ar, br, solver, tol, fields)
    x = P @ y + x0
    residual = np.linalg.norm(Ar @ y - br) / max(np.linalg.norm(br), 1e-300)
    settings = {"element": element, "solver": solver, "unknowns": int(Ar.shape[0]), "nodes": int(assembly.n)}
    return _result(assembly, x, omega, settings, A, residual)


def solve_transient(device: Device, *, t_end: float, dt: float, method: str = "crank-nicolson", element: str = "P1",
                    initial: Callable | None = None, save_every: int = 1, drives: dict[str, Callable] | None = None,
                    startup: int = 0) -> TransientResult:  # fmt: skip
    """Implicit time stepping of M du/dt + K u = F(t) (paper 003, Eqs. S10-S11 with d_t kept) from ``initial``
    (a callable of the node coordinates (dim, n) -> (4, n); default zero) to ``t_end`` with step ``dt``.

    ``drives``: ``{contact name: f(t)}``, time-dependent terminal data replacing the contact's fixed value:
    the potential V(t) of a contact given a ``potential``, the current I(t) into the device of a
    current-driven one. Voltage drives move the Dirichlet data x0(t), whose rate enters through the mass
    matrix (the theta-scheme of M d(P y + x0)/dt + K (P y + x0) = F). ``method``: "backward-euler" (first
    order, L-stable) or "crank-nicolson" (second order). The potentials of terminals without capacitance
    (current-driven contacts with a conductance) are algebraic: their equations hold at every step and at
    t = 0, made consistent with the initial fields and the drives' values at t = 0 (a step switched on at
    t = 0 is ``lambda t: 1.0``). ``startup``: the first steps taken with backward Euler (Rannacher's start
    for Crank-Nicolson after a step: it damps the stiff modes that Crank-Nicolson keeps, at no cost in
    order for a fixed number of steps). Terminal currents include the charging term M du/dt (second-order
    backward difference of the steps). docs/conventions.md, "Time-dependent drives".
    """
    for name, value in (("t_end", t_end), ("dt", dt)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    weights = {"backward-euler": 1.0, "crank-nicolson": 0.5}
    if method not in weights:
        raise ValueError(f"method must be one of {sorted(weights)}, got {method!r}")
    if int(save_every) < 1:
        raise ValueError(f"save_every must be >= 1, got {save_every!r}")
    if int(startup) < 0:
        raise ValueError(f"startup must be >= 0 steps, got {startup!r}")
    theta = weights[method]
    steps = int(round(t_end / dt))
    if steps < 1 or abs(steps * dt - t_end) > 1e-9 * t_end:
        raise ValueError(f"t_end / dt must be a whole number of steps, got {t_end / dt!r}")
    assembly = _Assembly(device, element)
    P, x0_static = assembly.reduction
    K, M = assembly.K, assembly.M
    Kr, Mr = (P.T @ K @ P).tocsc(), (P.T @ M @ P).tocsc()
    drive = _Drives(assembly, drives or {})
    x0 = lambda t: x0_static + drive.dirichlet(t)  # noqa: E731
    load = lambda t: P.T @ (assembly.F + drive.neumann(t) - K @ x0(t))  # noqa: E731
    x_init = np.zeros(assembly.size)
    if initial is not None:
        values = np.asarray(initial(assembly.basis.doflocs), dtype=float)
        if values.shape != (4, assembly.n) or not np.all(np.isfinite(values)):
            raise ValueError(f"initial must return a finite array of shape (4, {assembly.n})")
        x_init[: 4 * assembly.n] = values.T.ravel()
    counts = np.asarray(P.sum(axis=0)).ravel()
    y = (P.T @ x_init) / np.maximum(counts, 1)
    # terminals without capacitance (a current-driven contact with a conductance) are algebraic: their
    # rows hold at every time level (weight 1), which keeps Crank-Nicolson from ringing on them
    algebraic = np.flatnonzero(np.diff(Mr.tocsr().indptr) == 0)
    if assembly.gauge:  # the mean-mu multiplier stays theta-weighted: its constraint acts on mu itself
        algebraic = algebraic[algebraic != Kr.shape[0] - 1]
    weight = np.full(Kr.shape[0], theta)
    weight[algebraic] = 1.0

    def stepper(weight):
        lu = spla.splu((Mr + dt * sparse.diags(weight) @ Kr).tocsc(), permc_spec="MMD_AT_PLUS_A")
        return lu, (Mr - dt * sparse.diags(1 - weight) @ Kr).tocsr(), weight

    schemes = [stepper(weight)]
    if startup and theta < 1:
        schemes.insert(0, stepper(np.ones_like(weight)))  # backward Euler damps the stiff modes of a rough start
    if len(algebraic):  # consistent start: the algebraic unknowns solve their rows at t = 0
        differential = np.setdiff1d(np.arange(len(y)), algebraic)
        Kc = Kr.tocsr()
        rhs = load(0.0)[algebraic] - Kc[algebraic][:, differential] @ y[differential]
        y[algebraic] = spla.spsolve(Kc[algebraic][:, algebraic].tocsc(), rhs)
    nv = assembly.device.geometry.mesh.nvertices
    times, mus, spins, Vs, Is = [], [], [], [], []

    def record(t, x, rate):
        u = x[: 4 * assembly.n].reshape(-1, 4)
        V, I, _ = assembly.terminals(x, rate=rate)
        times.append(t)
        mus.append(u[:nv, 0].copy())
        spins.append(u[:nv, 1:].T.copy())
        Vs.append(V)
        Is.append(I)

    history = [P @ y + x0(0.0)]
    record(0.0, history[0], None)
    b_old = load(0.0)
    for step in range(1, steps + 1):
        t = step * dt
        b_new = load(t)
        x0_jump = P.T @ (M @ (x0(t) - x0(t - dt)))
        lu, explicit, w = schemes[0] if step <= startup else schemes[-1]
        y = lu.solve(explicit @ y + dt * (w * b_new + (1 - w) * b_old) - x0_jump)
        b_old = b_new
        history = (history + [P @ y + x0(t)])[-3:]
        if step % int(save_every) == 0 or step == steps:
            if len(history) < 3:
                rate = (history[-1] - history[-2]) / dt
            else:  # second-order backward difference
                rate = (3 * history[-1] - 4 * history[-2] + history[-3]) / (2 * dt)
            record(t, history[-1], rate)
    geometry = assembly.device.geometry
    return TransientResult(
        t=np.array(times),
        coordinates=geometry.mesh.p.T.copy(),
        cells=geometry.mesh.t.T.copy(),
        mu=np.array(mus),
        S=np.array(spins),
        terminal=tuple(c.name for c in device.contacts),
        terminal_potential=np.array(Vs).reshape(len(times), -1),
        terminal_current=np.array(Is).reshape(len(times), -1),
        axes="".join("xyz"[a] for a in geometry.axes),
        settings={"element": element, "method": method, "dt": float(dt), "steps": steps, "startup": int(startup),
                  "drives": ", ".join(sorted(drive.functions))},  # fmt: skip
    )


class _Drives:
    """Time-dependent terminal data (:func:`solve_transient`): the changes, against the device's own
    values, of the Dirichlet data x0 (voltage-driven contacts: the terminal and the mu dofs tied to it) and
    of the load F (current-driven contacts: the terminal's row)."""

    def __init__(self, assembly: _Assembly, functions: dict):
        contacts = {c.name: c for c in assembly.device.contacts}
        if not isinstance(functions, dict):
            raise ValueError(f"drives must be a dict {{contact name: callable of t}}, got {type(functions).__name__}")
        unknown = sorted(set(functions) - set(contacts))
        if unknown:
            raise ValueError(f"drives: no contact named {unknown}; contacts: {sorted(contacts)}")
        self.functions, self.terms, self.size = functions, [], assembly.size
        names = [c.name for c in assembly.device.contacts]
        for name, f in functions.items():
            if not callable(f):
                raise ValueError(f"drives[{name!r}] must be a callable of t, got {type(f).__name__}")
            contact, dof = contacts[name], 4 * assembly.n + names.index(name)
            unit = np.zeros(assembly.size)
            unit[dof] = 1.0
            if contact.voltage_driven:
                unit[[i for i, t in assembly.tied.items() if t == dof]] = 1.0
            self.terms.append((name, f, contact.potential if contact.voltage_driven else contact.current,
                               contact.voltage_driven, unit))  # fmt: skip

    def _value(self, name, f, t):
        value = f(t)
        if not (np.isscalar(value) and np.isfinite(value)):
            raise ValueError(f"drives[{name!r}] must return a finite number, got {value!r} at t = {t!r}")
        return float(value)

    def _change(self, t, voltage_driven):
        out = np.zeros(self.size)
        for name, f, static, voltage, unit in self.terms:
            if voltage == voltage_driven:
                out += (self._value(name, f, t) - static) * unit
        return out

    def dirichlet(self, t):
        return self._change(t, True)

    def neumann(self, t):
        return self._change(t, False)


def resistance(device: Device, *, source: str, drain: str, plus: str, minus: str, current: float = 1.0,
               **solve_options) -> ResistanceResult:  # fmt: skip
    """R = (V_plus - V_minus) / I with current I fed into ``source`` and drawn from ``drain`` (grounded);
    every other contact floats (zero current). Local: plus, minus = source, drain; nonlocal otherwise."""
    names = [c.name for c in device.contacts]
    for label, name in (("source", source), ("drain", drain), ("plus", plus), ("minus", minus)):
        if name not in names:
            raise ValueError(f"{label}={name!r} is not a contact; contacts: {names}")
    if source == drain:
        raise ValueError("source and drain must be different contacts")
    if not (np.isfinite(current) and current != 0):
        raise ValueError(f"current must be finite and non-zero, got {current!r}")
    drives = {n: ("current", 0.0) for n in names}
    drives[source] = ("current", current)
    drives[drain] = ("potential", 0.0)
    result = solve(device.with_drives(**drives), **solve_options)
    V = dict(zip(result.terminal, result.terminal_potential))
    value = (V[plus] - V[minus]) / current
    return ResistanceResult(
        resistance=value, current=current, v_plus=V[plus], v_minus=V[minus], residual=result.residual,
        contacts=f"source={source}, drain={drain}, plus={plus}, minus={minus}", settings=result.settings,
    )
