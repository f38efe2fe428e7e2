"""Allowed forms of the spin-orbit response tensors of the NLSM action under a point group.

Every term of the action of paper 003 (Eqs. 4-6) is a scalar built from spin Pauli matrices sigma_i
and gradients d_k contracted with a coefficient tensor.  Under an element R of the point group a
gradient index transforms as a polar vector, d_k -> R_ka d_a, and a spin index as an axial vector,
sigma_i -> det(R) R_ia sigma_a (spin is an angular momentum).  The term is invariant when the
coefficient tensor is invariant under

    T_{a b ...} -> det(R)^(number of axial indices) R_{a a'} R_{b b'} ... T_{a' b' ...}     (Neumann)

for every R in the group.  The invariant tensors form the image of the Reynolds operator
P = (1/|G|) sum_g rho(g) (times the symmetriser of a symmetric pair of indices), which is an orthogonal
projector because rho(g) is orthogonal.  Its dimension is the multiplicity of the trivial
representation, (1/|G|) sum_g chi(g), with chi(g) = det(g)^p tr(g)^n (or the symmetric-square character
(tr(g)^2 + tr(g^2))/2 for a symmetric pair): :func:`invariant_count` computes it from traces alone.

The derivation of each tensor's index kinds is in docs/conventions.md ("Point-group symmetry").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy

from ..results import CARTESIAN, Result
from .groups import PointGroup, point_group

__all__ = [
    "TensorSpec",
    "TENSORS",
    "tensor_spec",
    "representation",
    "character",
    "invariant_count",
    "AllowedForm",
    "allowed_form",
    "transform",
]

_AXES = "xyz"

# How each kind of index transforms: does it pick up det R?
INDEX_KINDS = {
    "gradient": False,  # d_k: polar vector
    "spin": True,  # sigma_i: axial vector (angular momentum)
    "gradient pair": True,  # eps_ljk d_j d_k: dual of an antisymmetric pair of polar indices, axial
}


@dataclass(frozen=True)
class TensorSpec:
    """A coefficient tensor of the action: its name, its index kinds and the term it multiplies.

    ``indices`` gives the kind of each index ("gradient", "spin" or "gradient pair", see
    ``INDEX_KINDS``); ``symmetric_pair`` is a pair of index positions in which the tensor is symmetric
    (None if none); ``term`` quotes the term of the action (paper 003) that the tensor multiplies.
    """

    name: str
    indices: tuple[str, ...]
    symmetric_pair: tuple[int, int] | None
    term: str

    def __post_init__(self):
        unknown = [kind for kind in self.indices if kind not in INDEX_KINDS]
        if unknown:
            raise ValueError(f"indices must be among {sorted(INDEX_KINDS)}, got {unknown}")
        if self.symmetric_pair is not None and (
            len(set(self.symmetric_pair)) != 2
            or not all(0 <= i < len(self.indices) for i in self.symmetric_pair)
            or self.indices[self.symmetric_pair[0]] != self.indices[self.symmetric_pair[1]]
        ):
            raise ValueError("symmetric_pair must be two distinct positions of indices of the same kind")

    @property
    def rank(self) -> int:
        return len(self.indices)

    @property
    def axial_indices(self) -> int:
        return sum(INDEX_KINDS[kind] for kind in self.indices)

    @property
    def is_pseudotensor(self) -> bool:
        """Odd number of axial indices: the tensor picks up det R (a pseudotensor)."""
        return self.axial_indices % 2 == 1


TENSORS: dict[str, TensorSpec] = {
    spec.name: spec
    for spec in (
        TensorSpec("D", ("gradient", "gradient"), (0, 1), "Tr(D_kj d_k Q d_j Q), paper 003 Eq. (4)"),
        TensorSpec("Gamma", ("spin", "spin"), (0, 1), "Tr(Gamma_kj sigma_k Q sigma_j Q), paper 003 Eq. (4)"),
        TensorSpec("alpha", ("spin", "gradient"), None, "Tr(i alpha_kj sigma_k Q d_j Q), paper 003 Eq. (4)"),
        TensorSpec(
            "gamma",
            ("spin", "gradient"),
            None,
            "-i eps_ijl gamma_lk Tr(sigma_i Q sigma_j Q d_k Q), paper 003 Eq. (6)",
        ),
        TensorSpec(
            "theta", ("spin", "gradient pair"), None, "theta_il eps_ljk Tr(sigma_i Q d_j Q d_k Q), paper 003 Eq. (5)"
        ),
        TensorSpec(
            "kappa", ("spin", "gradient pair"), None, "-i kappa_il eps_ljk Tr(sigma_i d_j Q d_k Q), paper 003 Eq. (5)"
        ),
        TensorSpec(
            "beta", ("spin", "spin", "gradient"), (0, 1), "beta_ijk Tr(sigma_i Q sigma_j d_k Q), paper 003 Eq. (6)"
        ),
        TensorSpec(
            "chi", ("spin", "spin"), (0, 1), "spin susceptibility dS_i = chi_ij h_j, F_Z = chi_ij h_i h_j / 2, paper 003 Eq. (S3)"
        ),
    )
}


def tensor_spec(tensor: str | TensorSpec) -> TensorSpec:
    """The :class:`TensorSpec` called ``tensor``; unknown names raise ValueError listing the accepted ones."""
    if isinstance(tensor, TensorSpec):
        return tensor
    if tensor not in TENSORS:
        raise ValueError(f"unknown tensor {tensor!r}; tensor must be one of {list(TENSORS)}")
    return TENSORS[tensor]


def _symmetriser(spec: TensorSpec) -> np.ndarray:
    """Orthogonal projector onto tensors symmetric in ``spec.symmetric_pair`` (identity if none)."""
    size = 3**spec.rank
    if spec.symmetric_pair is None:
        return np.eye(size)
    permutation = list(range(spec.rank))
    i, j = spec.symmetric_pair
    permutation[i], permutation[j] = j, i
    swap = np.eye(size).reshape((size,) + (3,) * spec.rank).transpose([0] + [p + 1 for p in permutation])
    return 0.5 * (np.eye(size) + swap.reshape(size, size))


def representation(spec: TensorSpec | str, matrices) -> np.ndarray:
    """rho(R) = det(R)^p R (x) R (x) ... on row-major flattened tensors, for each matrix R.

    ``matrices`` has shape (..., 3, 3); the result has shape (..., 3^rank, 3^rank).  p is the number of
    axial indices of the tensor (spin indices and duals of gradient pairs).
    """
    spec = tensor_spec(spec)
    matrices = np.asarray(matrices, dtype=float)
    rho = np.ones(matrices.shape[:-2] + (1, 1))
    for _ in range(spec.rank):
        rho = np.einsum("...ij,...kl->...ikjl", rho, matrices).reshape(
            matrices.shape[:-2] + (rho.shape[-2] * 3, rho.shape[-1] * 3)
        )
    sign = np.linalg.det(matrices) ** spec.axial_indices
    return rho * sign[..., None, None]


def transform(spec: TensorSpec | str, matrix, tensor) -> np.ndarray:
    """The tensor seen in the frame rotated by ``matrix``: det(R)^p R_aa' R_bb' ... T_a'b'..."""
    spec = tensor_spec(spec)
    tensor = np.asarray(tensor, dtype=float)
    if tensor.shape != (3,) * spec.rank:
        raise ValueError(f"tensor must have shape {(3,) * spec.rank} for {spec.name}, got {tensor.shape}")
    return (representation(spec, matrix) @ tensor.ravel()).reshape(tensor.shape)


def character(spec: TensorSpec | str, matrices) -> np.ndarray:
    """chi(R) = tr rho(R), from traces only (no representation matrices are built).

    det(R)^p tr(R)^n, with the symmetric-square character (tr(R)^2 + tr(R^2))/2 replacing tr(R)^2 for a
    symmetric pair of indices.
    """
    spec = tensor_spec(spec)
    matrices = np.asarray(matrices, dtype=float)
    trace = np.trace(matrices, axis1=-2, axis2=-1)
    if spec.symmetric_pair is None:
        value = trace**spec.rank
    else:
        trace_square = np.trace(matrices @ matrices, axis1=-2, axis2=-1)
        value = 0.5 * (trace**2 + trace_square) * trace ** (spec.rank - 2)
    return value * np.linalg.det(matrices) ** spec.axial_indices


def invariant_count(group: str | PointGroup, tensor: str | TensorSpec) -> int:
    """Number of independent invariant tensors: (1/|G|) sum_g chi(g), the trivial-representation count."""
    group = point_group(group)
    mean = float(np.mean(character(tensor, group.elements)))
    count = round(mean)
    if abs(mean - count) > 1e-8:
        raise ValueError(f"character average {mean} is not an integer: the elements do not form a group")
    return count


def _row_echelon(rows: np.ndarray, tolerance: float, relative_pivot: float = 0.05) -> tuple[np.ndarray, list[int]]:
    """Reduced row-echelon form of linearly independent ``rows`` with threshold partial pivoting.

    Columns are scanned in order; a column becomes a pivot when its largest remaining entry exceeds both
    ``tolerance`` and ``relative_pivot`` times the largest remaining entry, which keeps the basis well
    conditioned in settings rotated by generic angles (in the standard settings every pivot candidate is
    of order one, so the result is the usual reduced row-echelon form).
    """
    a = np.array(rows, dtype=float)
    pivots: list[int] = []
    r = 0
    for c in range(a.shape[1]):
        if r == a.shape[0]:
            break
        p = r + int(np.argmax(np.abs(a[r:, c])))
        if abs(a[p, c]) < max(tolerance, relative_pivot * np.max(np.abs(a[r:, c:]))):
            continue
        a[[r, p]] = a[[p, r]]
        a[r] /= a[r, c]
        others = np.arange(a.shape[0]) != r
        a[others] -= np.outer(a[others, c], a[r])
        pivots.append(c)
        r += 1
    return a[:r], pivots


def _exact(value: float, tolerance: float = 1e-9):
    """``value`` as q, q sqrt(2) or q sqrt(3) with q a rational of denominator <= 1000 when it is one
    within ``tolerance``, else as a 15-digit sympy Float (settings rotated by generic angles)."""
    for radicand in (1, 2, 3):
        scaled = value / np.sqrt(radicand)
        fraction = Fraction(float(scaled)).limit_denominator(1000)
        if abs(float(fraction) - scaled) < tolerance:
            return sympy.Rational(fraction.numerator, fraction.denominator) * sympy.sqrt(radicand)
    return sympy.Float(value, 15)


def _component_label(flat_index: int, rank: int) -> str:
    return "".join(_AXES[i] for i in np.unravel_index(flat_index, (3,) * rank))


@dataclass(frozen=True, repr=False, eq=False)
class AllowedForm(Result):
    """The symmetry-allowed form of one tensor under one point group.

    The allowed tensors are T = sum_i p_i basis[i], with free real parameters p_i named ``parameters``
    (``gamma_xy``, ...).  ``basis`` is in reduced row-echelon form over the row-major components: basis[i]
    has component 1 at the component that names p_i and 0 at the components naming the other
    parameters, so tied components share a name (gamma_yx = -gamma_xy appears as -gamma_xy).
    ``invariance_residual`` = max_g |rho(g) basis[i] - basis[i]| is the error estimate; ``tolerance`` the
    pivot threshold used.  k = len(basis) = 0 when the tensor is forbidden.
    """

    group: str
    tensor: str
    basis: np.ndarray
    parameters: tuple[str, ...]
    invariance_residual: float
    tolerance: float

    _attrs = ("group", "tensor", "parameters", "tolerance")
    _labels = {f"index{i}": CARTESIAN for i in range(4)}

    @property
    def _dims(self):  # the rank varies with the tensor: one Cartesian dimension per index
        return {"basis": ("parameter", *(f"index{i}" for i in range(np.ndim(self.basis) - 1)))}

    def _coordinates(self):
        return {"parameter": list(self.parameters)}

    @property
    def dimension(self) -> int:
        return len(self.parameters)

    @property
    def is_allowed(self) -> bool:
        """Whether any non-zero tensor of this kind is allowed."""
        return self.dimension > 0

    @cached_property
    def symbols(self) -> tuple[sympy.Symbol, ...]:
        return tuple(sympy.Symbol(name, real=True) for name in self.parameters)

    @cached_property
    def array(self) -> sympy.ImmutableDenseNDimArray:
        """The allowed tensor as a sympy array of shape (3,) * rank in the named parameters."""
        rank = tensor_spec(self.tensor).rank
        flat = [sympy.Integer(0)] * 3**rank
        for symbol, element in zip(self.symbols, self.basis.reshape(self.dimension, 3**rank)):
            for index in np.flatnonzero(np.abs(element) > self.tolerance):
                flat[index] += _exact(element[index]) * symbol
        return sympy.ImmutableDenseNDimArray(flat, (3,) * rank)

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        """The allowed form as a readable sympy matrix.

        Rank 2: the 3x3 matrix T_ab.  Rank 3 (beta_ijk, symmetric in ij): the 6x3 Voigt matrix with rows
        ij = xx, yy, zz, yz, zx, xy and columns k = x, y, z.
        """
        if tensor_spec(self.tensor).rank == 2:
            return sympy.ImmutableMatrix(3, 3, lambda a, b: self.array[a, b])
        pairs = ((0, 0), (1, 1), (2, 2), (1, 2), (2, 0), (0, 1))
        return sympy.ImmutableMatrix(6, 3, lambda row, k: self.array[pairs[row] + (k,)])

    def evaluate(self, values: Mapping[str, float]) -> np.ndarray:
        """The numerical tensor sum_i values[p_i] basis[i]; parameters not given are zero."""
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            raise ValueError(
                f"values has unknown parameters {unknown}; parameters of {self.tensor} in {self.group}: "
                f"{list(self.parameters)}"
            )
        coefficients = np.array([float(values.get(name, 0.0)) for name in self.parameters])
        return np.tensordot(coefficients, self.basis, axes=1) if self.dimension else np.zeros(self.basis.shape[1:])


def allowed_form(group: str | PointGroup, tensor: str | TensorSpec, *, tolerance: float = 1e-8) -> AllowedForm:
    """The invariant subspace of ``tensor`` under ``group`` (Neumann's principle), paper 003 Eqs. (4)-(6).

    P = S (1/|G|) sum_g rho(g), with S the symmetriser of the symmetric pair, is the orthogonal projector
    onto the allowed tensors; its eigenvectors of eigenvalue 1 span them.  They are brought to reduced
    row-echelon form (pivots below ``tolerance`` are dropped) and their entries rounded to the exact
    numbers they approximate (rationals in the settings of :func:`point_group`).
    """
    if not 0 < tolerance < 1e-2:
        raise ValueError(f"tolerance must lie in (0, 1e-2), got {tolerance}")
    group = point_group(group)
    spec = tensor_spec(tensor)
    rho = representation(spec, group.elements)
    projector = _symmetriser(spec) @ rho.mean(axis=0)
    eigenvalues, vectors = np.linalg.eigh(0.5 * (projector + projector.T))
    invariant = vectors[:, eigenvalues > 0.5].T
    rows, pivots = _row_echelon(invariant, tolerance)
    rows = np.vectorize(lambda x: float(_exact(x)) if abs(x) > tolerance else 0.0)(rows) if len(rows) else rows
    residual = float(np.max(np.abs(np.einsum("gab,kb->gka", rho, rows) - rows))) if len(rows) else 0.0
    shape = (len(rows),) + (3,) * spec.rank
    parameters = tuple(f"{spec.name}_{_component_label(p, spec.rank)}" for p in pivots)
    return AllowedForm(group.name, spec.name, rows.reshape(shape), parameters, residual, tolerance)
