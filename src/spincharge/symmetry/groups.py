"""The 32 crystallographic point groups as sets of 3x3 orthogonal matrices.

Each group is built from a few generators by closure under multiplication (repeated products with a
tolerance-based removal of duplicates).  The settings (which axis is z, where the two-fold axes and the
mirrors lie) follow one convention, written in docs/conventions.md, "Point-group symmetry (paper 003)":

* the principal axis (the n-fold axis of C_n, C_nv, C_nh, D_n, D_nh, D_nd, S_4, S_6) is z;
* the in-plane two-fold axes of D_n, D_nh, D_nd contain x (and, for n even, y);
* the vertical mirrors of C_nv contain x and z (mirror normal along y), except C_3v, whose default is
  the standard 3m1 setting (mirror normal along x); C_s = C_1v = m is the vertical mirror y -> -y, the
  paper's C_1v (paper 003, Appendix E);
* the trigonal and D_3h groups take the standard first settings of the International Tables on
  hexagonal axes (a1 along x): 321, 3m1, -3m1, -6m2; the second settings 312, 31m, -31m, -62m are
  available under those names (the same Schoenflies group rotated by 90 degrees about z);
* D_2d = -42m has its two-fold axes along x and y and its mirrors on the diagonals x = +-y;
* the cubic groups have their two-fold (T, T_h) or four-fold (O, O_h, the S_4 of T_d) axes along x, y, z
  and three-fold axes along the body diagonals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "PointGroup",
    "point_group",
    "point_group_names",
    "close_group",
    "rotation",
    "mirror",
    "GROUP_TOLERANCE",
]

GROUP_TOLERANCE = 1e-9
"""Two matrices closer than this (max-norm of the difference) are the same group element."""


def rotation(axis, order: int) -> np.ndarray:
    """Proper rotation by 2 pi / order about ``axis`` (right-handed, Rodrigues' formula)."""
    if order < 1:
        raise ValueError(f"order must be a positive integer, got {order}")
    n = np.asarray(axis, dtype=float)
    n = n / np.linalg.norm(n)
    angle = 2.0 * np.pi / order
    cross = np.array([[0.0, -n[2], n[1]], [n[2], 0.0, -n[0]], [-n[1], n[0], 0.0]])
    return np.cos(angle) * np.eye(3) + np.sin(angle) * cross + (1.0 - np.cos(angle)) * np.outer(n, n)


def mirror(normal) -> np.ndarray:
    """Reflection through the plane with the given normal: 1 - 2 n n^T."""
    n = np.asarray(normal, dtype=float)
    n = n / np.linalg.norm(n)
    return np.eye(3) - 2.0 * np.outer(n, n)


def _index(elements: list[np.ndarray], matrix: np.ndarray, tolerance: float) -> int:
    for i, element in enumerate(elements):
        if np.max(np.abs(element - matrix)) < tolerance:
            return i
    return -1


def close_group(generators, *, tolerance: float = GROUP_TOLERANCE, max_order: int = 48) -> np.ndarray:
    """All products of the generators: the smallest set containing them and closed under products.

    Starts from the identity and multiplies every known element by every generator until no new element
    (up to ``tolerance``) appears.  Finite groups of orthogonal 3x3 matrices with crystallographic
    orders have at most 48 elements; more than ``max_order`` raises ValueError (the generators do not
    generate a crystallographic point group).
    """
    generators = [np.asarray(g, dtype=float) for g in generators]
    for g in generators:
        if g.shape != (3, 3) or np.max(np.abs(g @ g.T - np.eye(3))) > tolerance:
            raise ValueError("generators must be orthogonal 3x3 matrices")
    elements = [np.eye(3)]
    frontier = [np.eye(3)]
    while frontier:
        new = []
        for element in frontier:
            for g in generators:
                product = g @ element
                if _index(elements, product, tolerance) < 0:
                    elements.append(product)
                    new.append(product)
                    if len(elements) > max_order:
                        raise ValueError(f"generators produce more than max_order={max_order} elements")
        frontier = new
    return np.array(elements)


@dataclass(frozen=True, eq=False)
class PointGroup:
    """A finite group of orthogonal 3x3 matrices acting on Cartesian vectors r -> R r.

    ``name`` is the Schoenflies symbol, ``hermann_mauguin`` the international (short) symbol,
    ``elements`` the group elements, shape (order, 3, 3), the identity first.
    """

    name: str
    hermann_mauguin: str
    elements: np.ndarray = field(repr=False)

    def __post_init__(self):
        elements = np.asarray(self.elements, dtype=float)
        if elements.ndim != 3 or elements.shape[1:] != (3, 3) or len(elements) == 0:
            raise ValueError("elements must be an array of shape (order, 3, 3)")
        residual = np.max(np.abs(np.einsum("gij,gkj->gik", elements, elements) - np.eye(3)))
        if residual > GROUP_TOLERANCE:
            raise ValueError(f"elements must be orthogonal matrices (|R R^T - 1| = {residual:.2e})")
        elements.setflags(write=False)
        object.__setattr__(self, "elements", elements)

    @classmethod
    def from_generators(cls, generators, name: str = "G", hermann_mauguin: str = "") -> PointGroup:
        """The group generated by ``generators`` (see :func:`close_group`)."""
        return cls(name, hermann_mauguin, close_group(generators))

    @property
    def order(self) -> int:
        return len(self.elements)

    @property
    def determinants(self) -> np.ndarray:
        """det R of each element: +1 for proper rotations, -1 for improper ones (mirrors, S_n, -1)."""
        return np.rint(np.linalg.det(self.elements)).astype(int)

    @property
    def is_centrosymmetric(self) -> bool:
        """Whether the inversion -1 is an element."""
        return _index(list(self.elements), -np.eye(3), GROUP_TOLERANCE) >= 0

    def rotated(self, frame) -> PointGroup:
        """The same group in another setting: elements Q R Q^T for an orthogonal matrix ``frame`` = Q."""
        q = np.asarray(frame, dtype=float)
        if q.shape != (3, 3) or np.max(np.abs(q @ q.T - np.eye(3))) > GROUP_TOLERANCE:
            raise ValueError("frame must be an orthogonal 3x3 matrix")
        return PointGroup(self.name, self.hermann_mauguin, np.einsum("ij,gjk,lk->gil", q, self.elements, q))

    def symmetry_elements(self) -> tuple[str, ...]:
        """The setting in words: rotation axes, rotoinversion axes, mirrors, inversion, with directions.

        A proper rotation by 2 pi k / n is an n-fold axis along its fixed direction (only the highest n
        per direction is listed); an improper element -R' is a mirror (R' a two-fold rotation; the
        direction is the mirror normal), the inversion centre (R' = 1), or a -n axis (R' n-fold).
        """
        rotations: dict[str, int] = {}
        improper: dict[tuple[int, str], None] = {}
        for element in self.elements:
            sign = 1 if np.linalg.det(element) > 0 else -1
            proper = sign * element
            angle = np.arccos(np.clip((np.trace(proper) - 1.0) / 2.0, -1.0, 1.0))
            if angle < 1e-6:
                if sign < 0:
                    improper[(1, "")] = None
                continue
            n = int(round(2.0 * np.pi / angle))
            eigenvalues, vectors = np.linalg.eig(proper)
            axis = np.real(vectors[:, np.argmin(np.abs(eigenvalues - 1.0))])
            axis = axis / np.linalg.norm(axis)
            axis = axis * np.sign(axis[np.flatnonzero(np.abs(axis) > 1e-6)[0]])
            direction = "[" + ", ".join(_short(c) for c in axis) + "]"
            if sign > 0:
                rotations[direction] = max(n, rotations.get(direction, 0))
            else:
                improper[(n, direction)] = None
        lines = [f"{n}-fold axis {d}" for d, n in sorted(rotations.items(), key=lambda item: -item[1])]
        for n, direction in sorted(improper, key=lambda item: -item[0]):
            if n == 1:
                lines.append("inversion centre")
            elif n == 2:
                lines.append(f"mirror, normal {direction}")
            else:
                lines.append(f"-{n} axis {direction}")
        return tuple(lines)

    def __str__(self) -> str:
        return f"{self.name} ({self.hermann_mauguin}), order {self.order}"


def _short(component: float) -> str:
    """A direction component as a short exact number when it is one (0, 1, 1/2, sqrt(3)/2, ...)."""
    for value, text in ((0.0, "0"), (1.0, "1"), (0.5, "1/2"), (np.sqrt(3) / 2, "sqrt(3)/2"),
                        (np.sqrt(0.5), "1/sqrt(2)"), (np.sqrt(1 / 3), "1/sqrt(3)")):
        if abs(abs(component) - value) < 1e-9:
            return ("-" if component < 0 and value else "") + text
    return f"{component:.4f}"


_X, _Y, _Z, _DIAGONAL = (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)
_INVERSION = -np.eye(3)
_C2X, _C2Y, _C2Z = rotation(_X, 2), rotation(_Y, 2), rotation(_Z, 2)
_C3Z, _C4Z, _C6Z = rotation(_Z, 3), rotation(_Z, 4), rotation(_Z, 6)
_C3D = rotation(_DIAGONAL, 3)
_MX, _MY = mirror(_X), mirror(_Y)

# Schoenflies name, Hermann-Mauguin name, generators; the 32 crystallographic point groups in the
# order of the International Tables (triclinic ... cubic).  The trigonal groups and D3h are in the
# first settings on hexagonal axes with a1 = x: 321 (two-fold x), 3m1 (mirror normal x),
# -3m1 (two-fold x, mirror normal x), -6m2 (mirror normal x, two-fold y).
_TABLE = (
    ("C1", "1", ()),
    ("Ci", "-1", (_INVERSION,)),
    ("C2", "2", (_C2Z,)),
    ("Cs", "m", (_MY,)),
    ("C2h", "2/m", (_C2Z, _INVERSION)),
    ("D2", "222", (_C2Z, _C2X)),
    ("C2v", "mm2", (_C2Z, _MY)),
    ("D2h", "mmm", (_C2Z, _C2X, _INVERSION)),
    ("C4", "4", (_C4Z,)),
    ("S4", "-4", (-_C4Z,)),
    ("C4h", "4/m", (_C4Z, _INVERSION)),
    ("D4", "422", (_C4Z, _C2X)),
    ("C4v", "4mm", (_C4Z, _MY)),
    ("D2d", "-42m", (-_C4Z, _C2X)),
    ("D4h", "4/mmm", (_C4Z, _C2X, _INVERSION)),
    ("C3", "3", (_C3Z,)),
    ("C3i", "-3", (_C3Z, _INVERSION)),
    ("D3", "32", (_C3Z, _C2X)),
    ("C3v", "3m", (_C3Z, _MX)),
    ("D3d", "-3m", (_C3Z, _C2X, _INVERSION)),
    ("C6", "6", (_C6Z,)),
    ("C3h", "-6", (-_C6Z,)),
    ("C6h", "6/m", (_C6Z, _INVERSION)),
    ("D6", "622", (_C6Z, _C2X)),
    ("C6v", "6mm", (_C6Z, _MY)),
    ("D3h", "-6m2", (-_C6Z, _C2Y)),
    ("D6h", "6/mmm", (_C6Z, _C2X, _INVERSION)),
    ("T", "23", (_C2Z, _C2X, _C3D)),
    ("Th", "m-3", (_C2Z, _C2X, _C3D, _INVERSION)),
    ("O", "432", (_C4Z, _C3D)),
    ("Td", "-43m", (-_C4Z, _C3D)),
    ("Oh", "m-3m", (_C4Z, _C3D, _INVERSION)),
)

# Second settings (International Tables, hexagonal axes): the same groups rotated by 90 degrees about z.
_SECOND_SETTINGS = (
    ("D3", "312", (_C3Z, _C2Y)),
    ("C3v", "31m", (_C3Z, _MY)),
    ("D3d", "-31m", (_C3Z, _C2Y, _INVERSION)),
    ("D3h", "-62m", (-_C6Z, _C2X)),
)

_ALIASES = {
    "S2": "Ci",
    "C1v": "Cs",
    "C1h": "Cs",
    "S6": "C3i",
    "V": "D2",
    "Vd": "D2d",
    "Vh": "D2h",
    "m3": "Th",
    "m3m": "Oh",
    "-3m1": "D3d",
    "321": "D3",
    "3m1": "C3v",
    "2/m2/m2/m": "D2h",
    "4/m2/m2/m": "D4h",
    "6/m2/m2/m": "D6h",
    "-32/m": "D3d",
    "2/m-3": "Th",
    "4/m-32/m": "Oh",
}

# lower-case name -> (Schoenflies, Hermann-Mauguin of the setting); aliases point to the default setting
_LOOKUP: dict[str, tuple[str, str]] = {}
for _name, _hm, _ in _TABLE:
    _LOOKUP[_name.lower()] = _LOOKUP[_hm.lower()] = (_name, _hm)
for _alias, _target in _ALIASES.items():
    _LOOKUP[_alias.lower()] = _LOOKUP[_target.lower()]
for _name, _hm, _ in _SECOND_SETTINGS:
    _LOOKUP[_hm.lower()] = (_name, _hm)
_GENERATORS = {(name, hm): generators for name, hm, generators in _TABLE + _SECOND_SETTINGS}

_CACHE: dict[tuple[str, str], PointGroup] = {}


def point_group_names() -> tuple[str, ...]:
    """Schoenflies names of the 32 crystallographic point groups, triclinic to cubic."""
    return tuple(name for name, _, _ in _TABLE)


def _accepted_names() -> str:
    pairs = ", ".join(f"{name} ({hm})" for name, hm, _ in _TABLE)
    aliases = ", ".join(f"{alias} = {target}" for alias, target in _ALIASES.items())
    settings = ", ".join(f"{hm} ({name})" for name, hm, _ in _SECOND_SETTINGS)
    return f"{pairs}; aliases: {aliases}; second settings: {settings}"


def point_group(name: str | PointGroup) -> PointGroup:
    """The crystallographic point group called ``name`` (Schoenflies or Hermann-Mauguin, any case).

    Accepted: C1 (1), Ci (-1), C2 (2), Cs (m), ..., Oh (m-3m), with aliases such as C1v = C1h = Cs,
    S2 = Ci, S6 = C3i, Vd = D2d.  Trigonal groups and D3h come in the standard first setting (32 = 321,
    3m = 3m1, -3m = -3m1, -6m2); "312", "31m", "-31m", "-62m" give the second settings.  Spaces are
    ignored ("-4 2 m" = "-42m").  A :class:`PointGroup` is returned unchanged.  Unknown names raise
    ValueError listing the accepted names.
    """
    if isinstance(name, PointGroup):
        return name
    key = str(name).replace(" ", "").lower()
    if key not in _LOOKUP:
        raise ValueError(f"unknown point group {name!r}; group must be one of: {_accepted_names()}")
    setting = _LOOKUP[key]
    if setting not in _CACHE:
        _CACHE[setting] = PointGroup.from_generators(_GENERATORS[setting], *setting)
    return _CACHE[setting]
