"""Meshes for the spin-charge diffusion solver: 1D segments and layers, 2D rectangles and triangle meshes.

A :class:`Geometry` is a scikit-fem mesh, the 3D direction each mesh coordinate runs along (``axes``:
a 2D device lies in the xy plane, a 1D film across its thickness along z), a material index per
element, and interfaces between regions (layers of a 1D film, boxes of :func:`rectangles`, regions
of :func:`triangle_mesh`) whose nodes are doubled so that an interface conductance couples the two
sides (docs/conventions.md, "Spin-charge diffusion", interfaces).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import skfem
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..materials import Material

__all__ = [
    "Geometry",
    "Layer",
    "Interface",
    "segment",
    "layers",
    "rectangle",
    "rectangles",
    "hall_bar",
    "h_bar",
    "cross",
    "triangle_mesh",
    "split_regions",
]

_AXIS_INDEX = {"x": 0, "y": 1, "z": 2}


def _axes(axes) -> tuple[int, ...]:
    try:
        out = tuple(_AXIS_INDEX[a] for a in axes)
    except KeyError:
        raise ValueError(f"axes must be letters from 'xyz', got {axes!r}") from None
    if len(set(out)) != len(out):
        raise ValueError(f"axes must be distinct, got {axes!r}")
    return out


@dataclass(frozen=True)
class Interface:
    """A spin-active interface conductance between two layers or 2D regions (or a ferromagnetic contact's).

    Per unit area (1D) or length (2D), the current from side 1 to side 2 is ``G4 @ (u_1 - u_2)`` with u = (mu, S_x, S_y, S_z)
    and ``G4 = G [[1, P m^T], [P m, 1]]``: each spin channel sigma along m has conductance G (1 + sigma P)
    and mu_sigma = mu + sigma m.S (docs/conventions.md, "Spin-charge diffusion"); the transverse spin is
    carried with conductance G (the real mixing conductance of a tunnel barrier, (G_up + G_down) / 2 in
    Brataas, Bauer and Kelly, Phys. Rep. 427, 157 (2006), normalisation). ``G4`` is positive semi-definite
    for |P| <= 1 (Onsager symmetric).
    """

    conductance: float
    polarization: float = 0.0
    magnetization: Sequence[float] = (0.0, 0.0, 1.0)

    def __post_init__(self):
        if not (np.isfinite(self.conductance) and self.conductance > 0):
            raise ValueError(f"conductance must be finite and > 0, got {self.conductance!r}")
        if not (np.isfinite(self.polarization) and -1 <= self.polarization <= 1):
            raise ValueError(f"polarization must lie in [-1, 1], got {self.polarization!r}")
        object.__setattr__(self, "magnetization", _unit(self.magnetization, "magnetization"))

    def matrix(self) -> np.ndarray:
        m = np.asarray(self.magnetization)
        g4 = np.eye(4)
        g4[0, 1:] = g4[1:, 0] = self.polarization * m
        return self.conductance * g4


def _unit(vector, name) -> tuple[float, float, float]:
    v = np.asarray(vector, dtype=float)
    norm = np.linalg.norm(v) if v.shape == (3,) else 0.0
    if not (np.all(np.isfinite(v)) and norm > 0):
        raise ValueError(f"{name} must be a finite non-zero 3-vector, got {vector!r}")
    return tuple(float(c) for c in v / norm)


@dataclass(frozen=True)
class Geometry:
    """A mesh with materials. Build it with :func:`segment`, :func:`layers`, :func:`rectangles` (and the
    shapes made of rectangles) or :func:`triangle_mesh`.

    ``couplings`` lists the interfaces as (name, facets_1, facets_2, Interface): the facets of the two
    sides (coincident, with doubled nodes; points in 1D, edges in 2D); the current G4 (u_1 - u_2) per
    unit area (1D) or length (2D) flows from side 1 to side 2.
    """

    mesh: skfem.Mesh
    materials: tuple[Material, ...]
    material_index: np.ndarray
    axes: tuple[int, ...]
    couplings: tuple = field(default=())

    def __post_init__(self):
        if len(self.axes) != self.mesh.dim():
            raise ValueError(f"axes {self.axes} do not match the mesh dimension {self.mesh.dim()}")
        idx = np.asarray(self.material_index, dtype=int)
        if idx.shape != (self.mesh.nelements,) or idx.min() < 0 or idx.max() >= len(self.materials):
            raise ValueError("material_index must give one material (0 .. len(materials)-1) per element")
        for m in self.materials:
            if not isinstance(m, Material):
                raise ValueError(f"materials must be spincharge.materials.Material objects, got {type(m).__name__}")
        _check_cells(self.mesh)
        object.__setattr__(self, "material_index", idx)

    @property
    def dim(self) -> int:
        return self.mesh.dim()

    @property
    def interface_facets(self) -> np.ndarray:
        """Facets on either side of an interface (boundary facets of the split mesh, but not edges)."""
        return np.concatenate([np.r_[f1, f2] for _, f1, f2, _ in self.couplings] or [np.zeros(0, int)])

    def components(self) -> tuple[int, np.ndarray]:
        """Connected regions: (count, label per node); interface couplings join the regions they touch."""
        t = self.mesh.t
        rows = np.repeat(t, t.shape[0], axis=0).ravel()
        cols = np.tile(t, (t.shape[0], 1)).ravel()
        for _, f1, f2, _ in self.couplings:
            rows, cols = np.append(rows, self.mesh.facets[:, f1].ravel()), np.append(cols, self.mesh.facets[:, f2].ravel())
        n = self.mesh.nvertices
        graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        return connected_components(graph, directed=False)


def _check_cells(mesh: skfem.Mesh) -> None:
    p, t = mesh.p, mesh.t
    scale = np.ptp(p, axis=1).max()
    if mesh.dim() == 1:
        size = np.abs(p[0, t[1]] - p[0, t[0]])
    else:
        a, b, c = (p[:, t[i]] for i in range(3))
        size = 0.5 * np.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        scale = scale**2
    bad = np.flatnonzero(~(size > 1e-12 * scale))
    if len(bad):
        raise ValueError(
            f"degenerate mesh: element {bad[0]} (nodes {t[:, bad[0]].tolist()}) has zero "
            f"{'length' if mesh.dim() == 1 else 'area'} ({len(bad)} such elements); remove repeated or collinear nodes"
        )
    if mesh.dim() == 2:
        _check_folds(p, t)
    unused = np.setdiff1d(np.arange(mesh.nvertices), t.ravel())
    if len(unused):
        raise ValueError(f"mesh node {unused[0]} belongs to no element ({len(unused)} such nodes); remove them")


def _check_folds(p, t) -> None:
    """A planar triangulation uses each edge at most twice, in opposite directions when the triangles are
    oriented alike; an edge used twice the same way (a repeated or folded-over triangle) or more often
    means overlapping triangles, which would count their area twice."""
    a, b, c = (p[:, t[i]] for i in range(3))
    ccw = np.where((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) > 0, t, t[[0, 2, 1]])
    directed = np.concatenate([ccw[[0, 1]], ccw[[1, 2]], ccw[[2, 0]]], axis=1)
    n = np.int64(p.shape[1])
    keys, count = np.unique(directed[0] * n + directed[1], return_counts=True)  # 1D keys: fast on 10^6 cells
    if np.any(count > 1):
        i, j = divmod(keys[np.argmax(count > 1)], n)
        cells = np.flatnonzero(np.isin(t, [i, j]).sum(axis=0) == 2)
        raise ValueError(f"degenerate mesh: triangles {cells.tolist()} overlap (they share the edge between nodes "
                         f"{int(i)} and {int(j)} on the same side); remove repeated or folded-over triangles")  # fmt: skip


def _identity_index(items, item) -> int:
    """Position of ``item`` in ``items`` by identity (Material holds arrays, so == is elementwise)."""
    return next(i for i, x in enumerate(items) if x is item)


def _positive(value, name):
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")


def segment(material: Material, length: float, n: int = 100, *, start: float = 0.0, axis: str = "x",
            points: Sequence[float] = ()) -> Geometry:  # fmt: skip
    """A 1D segment [start, start + length] with n elements, along the 3D direction ``axis``.

    ``points``: extra node positions (e.g. where 1D point contacts sit) inserted into the uniform grid.
    """
    _positive(length, "length")
    if int(n) < 1:
        raise ValueError(f"n must be >= 1, got {n!r}")
    x = np.linspace(start, start + length, int(n) + 1)
    extra = np.asarray(points, dtype=float)
    if extra.size and (extra.min() < start or extra.max() > start + length):
        raise ValueError(f"points must lie in [{start}, {start + length}], got {extra.tolist()}")
    x = np.unique(np.concatenate([x, extra]))
    x = x[np.concatenate([[True], np.diff(x) > 1e-9 * length])]
    if extra.size:  # snap the grid node nearest to each requested point onto it
        for q in extra:
            x[np.argmin(np.abs(x - q))] = q
    mesh = skfem.MeshLine(x)
    return Geometry(mesh, (material,), np.zeros(mesh.nelements, int), _axes(axis))


@dataclass(frozen=True)
class Layer:
    """One layer of a film: material, thickness and number of elements across it."""

    material: Material
    thickness: float
    n: int = 50


def layers(stack: Sequence[Layer], *, interfaces: Sequence[Interface | None] | None = None, axis: str = "z",
           start: float = 0.0) -> Geometry:  # fmt: skip
    """A 1D layered film along ``axis`` (default z, across the thickness), layers in order from ``start``.

    ``interfaces[i]`` joins layer i and i + 1: None means continuity of mu and S (shared node), an
    :class:`Interface` an interface conductance (doubled node, current G4 (u_left - u_right)); it is named
    ``"layer i|i+1"`` in the results.
    """
    stack = list(stack)
    if not stack:
        raise ValueError("stack must contain at least one Layer")
    interfaces = [None] * (len(stack) - 1) if interfaces is None else list(interfaces)
    if len(interfaces) != len(stack) - 1:
        raise ValueError(f"interfaces must have len(stack) - 1 = {len(stack) - 1} entries, got {len(interfaces)}")
    materials, index = [], []
    coords, cells, couplings = [start], [], []
    z = start
    for i, layer in enumerate(stack):
        _positive(layer.thickness, f"stack[{i}].thickness")
        if int(layer.n) < 1:
            raise ValueError(f"stack[{i}].n must be >= 1")
        if not any(layer.material is m for m in materials):
            materials.append(layer.material)
        first = len(coords) - 1
        if i > 0 and interfaces[i - 1] is not None:
            coords.append(z)
            couplings.append((f"layer {i - 1}|{i}", np.array([first]), np.array([first + 1]), interfaces[i - 1]))
            first += 1
        new = np.linspace(z, z + layer.thickness, int(layer.n) + 1)[1:]
        coords.extend(new)
        cells.extend((first + k, first + k + 1) for k in range(int(layer.n)))
        index.extend([_identity_index(materials, layer.material)] * int(layer.n))
        z += layer.thickness
    mesh = skfem.MeshLine(np.array(coords), np.array(cells, dtype=int).T)
    return Geometry(mesh, tuple(materials), np.array(index), _axes(axis), tuple(couplings))


def rectangles(boxes: Sequence[tuple[float, float, float, float]], material: Material | Sequence[Material], *,
               h: float, axes: str = "xy", interfaces: Mapping | None = None) -> Geometry:  # fmt: skip
    """A 2D device made of axis-aligned rectangles ``(x0, x1, y0, y1)`` (overlapping or touching).

    The mesh is a conforming triangulation of a tensor grid through every rectangle edge, with spacing
    at most ``h``; box i's elements get ``material[i]`` (later boxes win where they overlap).
    ``interfaces``: ``{(i, j): Interface | None}`` for boxes i, j that share edges (:func:`split_regions`);
    boxes not named are continuous where they touch.
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if not np.all(np.isfinite(boxes)) or np.any(boxes[:, 1] <= boxes[:, 0]) or np.any(boxes[:, 3] <= boxes[:, 2]):
        raise ValueError(f"each box must be (x0, x1, y0, y1) with x1 > x0 and y1 > y0, got {boxes.tolist()}")
    _positive(h, "h")
    mats = [material] * len(boxes) if isinstance(material, Material) else list(material)
    if len(mats) != len(boxes):
        raise ValueError(f"give one material or one per box ({len(boxes)}), got {len(mats)}")
    grid = []
    for lo, hi in ((0, 1), (2, 3)):
        breaks = np.unique(boxes[:, [lo, hi]])
        pieces = [np.linspace(a, b, max(1, int(np.ceil((b - a) / h - 1e-9))) + 1)[:-1] for a, b in zip(breaks[:-1], breaks[1:])]
        grid.append(np.concatenate(pieces + [breaks[-1:]]))
    gx, gy = grid
    cx, cy = 0.5 * (gx[1:] + gx[:-1]), 0.5 * (gy[1:] + gy[:-1])
    owner = -np.ones((len(cx), len(cy)), dtype=int)
    for i, (x0, x1, y0, y1) in enumerate(boxes):
        inside = ((cx > x0) & (cx < x1))[:, None] & ((cy > y0) & (cy < y1))[None, :]
        owner[inside] = i
    ii, jj = np.nonzero(owner >= 0)
    node = lambda i, j: i * len(gy) + j  # noqa: E731
    a, b, c, d = node(ii, jj), node(ii + 1, jj), node(ii + 1, jj + 1), node(ii, jj + 1)
    # alternate the diagonal so that the mesh has no preferred direction
    flip = (ii + jj) % 2 == 1
    t1 = np.where(flip, [a, b, d], [a, b, c])
    t2 = np.where(flip, [b, c, d], [a, c, d])
    t = np.concatenate([t1, t2], axis=1)
    used, t = np.unique(t, return_inverse=True)
    t = t.reshape(3, -1)
    X, Y = np.meshgrid(gx, gy, indexing="ij")
    p = np.vstack([X.ravel()[used], Y.ravel()[used]])
    mesh = skfem.MeshTri(p, t)
    distinct = []
    for m in mats:
        if not any(m is d for d in distinct):
            distinct.append(m)
    box_of = np.concatenate([owner[ii, jj], owner[ii, jj]])
    box_material = np.array([_identity_index(distinct, m) for m in mats])
    index = box_material[box_of]
    mesh, couplings = split_regions(mesh, box_of, interfaces, "box")
    geometry = Geometry(mesh, tuple(distinct), index, _axes(axes), couplings)
    count, _ = geometry.components()
    if count > 1:
        raise ValueError(f"the boxes form {count} disconnected regions; make them overlap or touch along an edge")
    return geometry


def rectangle(material: Material, length: float, width: float, *, h: float | None = None, axes: str = "xy") -> Geometry:
    """The rectangle [0, length] x [-width/2, width/2]; spacing h (default width / 20)."""
    _positive(length, "length")
    _positive(width, "width")
    return rectangles([(0.0, length, -width / 2, width / 2)], material, h=h or width / 20, axes=axes)


def hall_bar(material: Material, length: float, width: float, *, arm_width: float, arm_length: float,
             arm_positions: Sequence[float] = (0.5,), h: float | None = None) -> Geometry:  # fmt: skip
    """A bar [0, length] x [-width/2, width/2] with pairs of side arms (width ``arm_width``, length
    ``arm_length``) centred at ``arm_positions`` (fractions of the length)."""
    boxes = [(0.0, length, -width / 2, width / 2)]
    for f in arm_positions:
        x = f * length
        boxes.append((x - arm_width / 2, x + arm_width / 2, width / 2, width / 2 + arm_length))
        boxes.append((x - arm_width / 2, x + arm_width / 2, -width / 2 - arm_length, -width / 2))
    return rectangles(boxes, material, h=h or min(width, arm_width) / 10)


def cross(material: Material, arm_length: float, width: float, *, h: float | None = None) -> Geometry:
    """A symmetric cross: two bars of width ``width`` and total length 2 arm_length + width, centred at 0."""
    half = arm_length + width / 2
    boxes = [(-half, half, -width / 2, width / 2), (-width / 2, width / 2, -half, half)]
    return rectangles(boxes, material, h=h or width / 10)


def h_bar(material: Material, *, leg_length: float, leg_width: float, separation: float, bridge_width: float,
          h: float | None = None) -> Geometry:  # fmt: skip
    """An H-bar (Abanin et al., PRB 79, 035304 (2009)): two vertical legs of width ``leg_width`` and length
    ``leg_length`` whose centre lines are ``separation`` apart (at x = 0 and x = separation), joined at
    mid-height by a bridge of width ``bridge_width``."""
    w = leg_width
    boxes = [
        (-w / 2, w / 2, -leg_length / 2, leg_length / 2),
        (separation - w / 2, separation + w / 2, -leg_length / 2, leg_length / 2),
        (w / 2, separation - w / 2, -bridge_width / 2, bridge_width / 2),
    ]
    if separation <= w:
        raise ValueError(f"separation must exceed leg_width ({w}), got {separation}")
    return rectangles(boxes, material, h=h or min(w, bridge_width) / 10)


def triangle_mesh(points, triangles, material: Material | Sequence[Material], *,
                  material_index=None, axes: str = "xy", interfaces: Mapping | None = None) -> Geometry:  # fmt: skip
    """Any user triangle mesh: ``points`` (n, 2), ``triangles`` (m, 3) node indices, one material or a list
    with ``material_index`` (m,) choosing one per triangle. Degenerate triangles raise ValueError.

    ``interfaces``: ``{(i, j): Interface | None}`` between the regions of material indices i and j
    (:func:`split_regions`; list one material twice to make two regions of it).
    """
    p = np.asarray(points, dtype=float)
    t = np.asarray(triangles)
    if p.ndim != 2 or p.shape[1] != 2 or not np.all(np.isfinite(p)):
        raise ValueError(f"points must be a finite (n, 2) array, got shape {p.shape}")
    if t.ndim != 2 or t.shape[1] != 3 or t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= len(p):
        raise ValueError(f"triangles must be an (m, 3) integer array of indices into points (0 .. {len(p) - 1})")
    mats = (material,) if isinstance(material, Material) else tuple(material)
    index = np.zeros(len(t), int) if material_index is None else np.asarray(material_index)
    # orient counter-clockwise (scikit-fem expects it for the facet normals)
    a, b, c = p[t[:, 0]], p[t[:, 1]], p[t[:, 2]]
    area2 = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    t = np.where((area2 < 0)[:, None], t[:, [0, 2, 1]], t)
    mesh = skfem.MeshTri(p.T.copy(), t.T.copy(), validate=False)
    if index.shape != (len(t),) or index.dtype.kind not in "iu" or index.min() < 0 or index.max() >= len(mats):
        raise ValueError(f"material_index must give one material (0 .. {len(mats) - 1}) per triangle ({len(t)})")
    mesh, couplings = split_regions(mesh, index, interfaces, "material index")
    return Geometry(mesh, mats, index, _axes(axes), couplings)


def split_regions(mesh: skfem.MeshTri, region: np.ndarray, interfaces: Mapping | None, what: str = "region"):
    """Double the nodes of the edges between regions joined by an :class:`Interface` (None: continuity).

    ``region``: a label per triangle; ``interfaces``: ``{(i, j): Interface | None}``, side 1 = region i.
    Around each node on such an edge the triangles are grouped by the edges through the node that stay
    continuous; each group gets its own copy of the node. Where an interface ends on another region that
    is continuous with both sides (a triple point), the node stays shared: the jump, and the interface
    current there, vanish on that node. Returns the new mesh and the couplings of :class:`Geometry`.
    """
    if not interfaces:
        return mesh, ()
    if not isinstance(interfaces, Mapping):
        raise ValueError(f"interfaces must be a mapping {{(i, j): Interface or None}}, got {type(interfaces).__name__}")
    labels = sorted(set(np.unique(region).tolist()))
    f2t = mesh.f2t
    inner = np.flatnonzero(f2t[1] >= 0)
    r0, r1 = region[f2t[0, inner]], region[f2t[1, inner]]
    cut, sides, seen = np.zeros(mesh.nfacets, bool), [], set()
    for key, interface in interfaces.items():
        try:
            a, b = (int(k) for k in key)
        except (TypeError, ValueError):
            raise ValueError(f"interfaces keys must be pairs (i, j) of {what} numbers, got {key!r}") from None
        if a == b or a not in labels or b not in labels or frozenset((a, b)) in seen:
            raise ValueError(f"interfaces key {key!r}: give two different {what} numbers among {labels}, each pair once")
        seen.add(frozenset((a, b)))
        if interface is not None and not isinstance(interface, Interface):
            raise ValueError(f"interfaces[{key!r}] must be an Interface or None, got {type(interface).__name__}")
        forward, backward = (r0 == a) & (r1 == b), (r0 == b) & (r1 == a)
        if not np.any(forward | backward):
            raise ValueError(f"interfaces key {key!r}: {what} {a} and {what} {b} share no edge; join them or drop the key")
        if interface is None:
            continue
        pick = forward | backward
        cut[inner[pick]] = True
        side_1 = np.where(forward, f2t[0, inner], f2t[1, inner])[pick]
        side_2 = np.where(forward, f2t[1, inner], f2t[0, inner])[pick]
        sides.append((f"{what} {a}|{b}", inner[pick], side_1, side_2, interface))
    if not sides:
        return mesh, ()
    t, points = mesh.t.copy(), [mesh.p]
    incidence = sparse.csr_matrix((np.ones(t.size), (t.ravel(), np.tile(np.arange(t.shape[1]), 3))))
    nodes, count, copied = np.unique(mesh.facets[:, cut]), mesh.nvertices, []
    for v in nodes:
        around = incidence[v].indices
        parent = {int(e): int(e) for e in around}

        def find(e):
            while parent[e] != e:
                e = parent[e]
            return e

        for e in around:  # join triangles through the continuous edges at v
            for f in mesh.t2f[:, e]:
                if not cut[f] and v in mesh.facets[:, f] and f2t[1, f] >= 0:
                    parent[find(int(f2t[0, f]))] = find(int(f2t[1, f]))
        groups = {}
        for e in around:
            groups.setdefault(find(int(e)), []).append(e)
        for members in list(groups.values())[1:]:
            cells = t[:, members]
            cells[cells == v] = count
            t[:, members] = cells
            points.append(mesh.p[:, [v]])
            copied.append(v)
            count += 1
    origin = np.concatenate([np.arange(mesh.nvertices)] + [np.full(1, v) for v in copied])
    split = skfem.MeshTri(np.hstack(points), t, validate=False)  # keeps the element order

    def edge_in_split(cells, facets):  # the edge of each split cell whose original nodes are the facet's
        candidates = split.t2f[:, cells]
        ends = np.sort(origin[split.facets[:, candidates]], axis=0)
        match = np.all(ends == np.sort(mesh.facets[:, facets], axis=0)[:, None, :], axis=0)
        return candidates[np.argmax(match, axis=0), np.arange(len(cells))]

    couplings = [(name, edge_in_split(side_1, facets), edge_in_split(side_2, facets), interface)
                 for name, facets, side_1, side_2, interface in sides]
    return split, tuple(couplings)
