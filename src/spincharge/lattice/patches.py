"""Linear-scaling local observables at T = 0: the rational engine on overlapping strips (issue 11, points 3, 5).

``rational_observables`` is exact to its rational tolerance but costs L (4 L)^3 per pole on an L x L lattice
(slices of L sites). The observables at r read f(H)_{ab} with a, b at or next to r, and cutting H at a
distance b from r changes them only through propagation r -> cut -> r: by exp(-2 b / xi) times Friedel
oscillations, xi ~ v_F / E_min (paper 000's coherence length; at T = 0 the imaginary-frequency resolvents
decay as exp(-|r| sqrt(omega^2 + E_min^2) / v_F)). So the lattice is cut across one axis into strips:
an *interior* of ``interior`` columns plus ``buffer`` columns on each side (none beyond a physical open
edge, where the strip ends on the true edge), each strip spanning the whole length of the other, open,
axis; each strip is solved by the rational engine with its slices stacked along its length, and only
its interior observables are kept (the bond from the last interior column into the buffer included).
Nothing is skipped: uniform regions and the open edges are computed like the texture.

Why strips and not square patches: with recursive Green's functions a P x P patch costs P (4 P)^3 per
pole, so covering L x L with interiors I costs (L / I)^2 P^4 for squares (P = I + 2 b) and
(L / I) L W^3 for strips of width W = I + 2 b: strips are cheaper by P / I, since a buffer along the
strip's length is not needed (the recursion is exact along it). The cost is O(L^2 W^3 / I) = O(N), with
its minimum near I = b (``cheapest_interior``); memory is one strip's left-connected Green's functions per
pole in flight, L (4 W)^2 8 bytes (real arithmetic, ``Slices``).

Error estimate of the cut (``settings["buffer_error"]``): ``checks`` strips are solved again with the
buffer widened by ``check_buffer`` and the largest change of each observable on their interiors, times
``safety``, is the estimate; it is added to the rational bound of ``rational_observables``. For
e(b) ~ C q^b, the change is e(b) (1 - q^db), so ``safety`` = 2 covers q^db <= 1/2 (check_buffer at least
xi ln 2 / 2). Every pole is cut with its own buffer (``pole_buffers``): the resolvents far from the real
axis decay within a few sites, so only the poles near it pay for the full buffer. The strips checked are the ``checks - 1`` with the largest variation of M(r) over their
extent (the currents and spins live there) and the most uniform inner strip (the density's cut error does
not need a texture). Equilibrium continuity, sum_r' <I_rr'> = <s_r>, holds exactly inside each strip;
its residual, reported as usual, measures the cut on the bonds between interiors.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .model import require_integer
from .observables import LocalObservables, observables_from_columns
from .rational import Slices, check_zero_temperature, linear_rows, pole_rows, prepare_sign, rational_errors
from .square import SquareSystem

__all__ = ["patched_observables", "coherence_length"]


def patched_observables(
    system: SquareSystem,
    temperature: float = 0.0,
    *,
    buffer: int = 32,
    interior: int | None = None,
    check_buffer: int | None = None,
    tolerance: float = 1e-6,
    checks: int = 3,
    gap: float | None = None,
    safety: float = 2.0,
    min_buffer_ratio: float = 0.25,
    threads: int | None = None,
) -> LocalObservables:
    """Densities and bond currents at T = 0 from the rational engine on overlapping strips (module docstring).

    Parameters
    ----------
    buffer : int
        Columns b >= 1 added on each side of a strip's interior for the pole nearest the real axis (the
        others get fewer, ``pole_buffers``); the cut error falls as exp(-2 b / xi). The default 32 gives
        2.5e-3 of max|J| (rational bound included) on issue 11's benchmark case.
    interior : int, optional
        Columns per strip interior (default ``cheapest_interior``, the minimum of the cost model).
    check_buffer : int, optional
        Extra columns of the error check (default ``max(buffer // 4, 4)``).
    checks : int
        Strips solved again for the cut-error estimate (0: none, and no estimate of the cut).
    safety : float
        Factor >= 1 on the measured change (module docstring).
    tolerance, gap
        As in ``rational_observables`` (the gap is that of the whole system: by default a Lanczos bound
        on min |E| of the full H_BdG).
    min_buffer_ratio : float
        Smallest allowed ``buffer`` / xi, xi = v_max / gap the coherence length of the whole system (v_max = 2 a
        max ||T_bond||, the largest band velocity of the nearest-neighbour lattice). A smaller ratio is refused:
        gapless edge states (the TI lattice with open edges is a chiral topological superconductor) or a
        near-zero bound state make the density matrix non-local on the buffer's scale, and then the cut error
        does not fall with the buffer and its estimate is not a bound. 0 disables the check.
    threads : int, optional
        Poles solved concurrently in each strip (default: the number of cores), BLAS single-threaded.

    The strips run along an open axis (the longer one; y on a tie) and cut the other; a periodic cut
    axis wraps the buffers around. ``settings`` hold the layout, the cut estimate per observable and
    timings.
    """
    threads = check_zero_temperature("patched_observables", temperature, threads)
    require_integer("buffer", buffer, 1)
    if interior is not None:
        require_integer("interior", interior, 1)
    check_buffer = max(buffer // 4, 4) if check_buffer is None else check_buffer
    require_integer("check_buffer", check_buffer, 1)
    require_integer("checks", checks, 0)
    if not (np.isfinite(safety) and safety >= 1):
        raise ValueError(f"safety must be a finite number >= 1, got {safety!r}")
    if not (np.isfinite(min_buffer_ratio) and min_buffer_ratio >= 0):
        raise ValueError(f"min_buffer_ratio must be a finite number >= 0, got {min_buffer_ratio!r}")
    open_axes = [d for d in (1, 0) if not system.periodic[d]]
    if not open_axes:
        raise ValueError("patched_observables needs an open axis (the strips' length); for a torus use kpm_observables")
    length = max(open_axes, key=lambda d: (system.nx, system.ny)[d])
    with threadpool_limits(limits=1, user_api="blas"):
        return _patched(system, length, buffer, interior, check_buffer, checks, safety, tolerance, gap, threads,
                        min_buffer_ratio)


def _strips(system: SquareSystem, cut: int, interior: int, buffer: int):
    """For each strip: (columns along the cut axis, in order; local index of the first interior column,
    number of interior columns, whether it is the whole periodic axis). The layout, ceil(n / interior)
    strips, does not depend on the buffer; on a periodic axis the buffer is capped so that no column
    appears twice."""
    n, periodic = (system.nx, system.ny)[cut], system.periodic[cut]
    if periodic and interior >= n:
        return [(np.arange(n), 0, n, True)]
    strips = []
    for start in range(0, n, interior):
        stop = min(start + interior, n)
        if periodic:
            side = min(buffer, (n - (stop - start)) // 2)
            low, high = start - side, stop + side
        else:
            low, high = max(start - buffer, 0), min(stop + buffer, n)
        strips.append((np.arange(low, high) % n, start - low, stop - start, False))
    return strips


def _pole_rows(system, cut, length, strip, weight, shift):
    """(global site indices, gathered rows) of one pole's part of f on the interior of one strip, solved
    on the strip alone."""
    columns, first, count, whole = strip
    axis = 2 - cut  # the cut axis of the (3, ny, nx) field
    field = np.take(system.exchange_field, columns, axis=axis)
    potential = None if system.vector_potential is None else np.take(system.vector_potential, columns, axis=axis)
    periodic = list(system.periodic)
    periodic[cut] = whole
    sub = SquareSystem(system.model, field, periodic=tuple(periodic), vector_potential=potential)
    slices = Slices(sub, axis=length)
    rows = pole_rows(slices, [(weight, slices.resolvent(shift))])
    jx, jy = np.meshgrid(np.arange(sub.nx), np.arange(sub.ny), indexing="xy")
    along = (jx, jy)[cut].ravel()
    keep = (along >= first) & (along < first + count)
    gx, gy = (columns[jx.ravel()], jy.ravel()) if cut == 0 else (jx.ravel(), columns[jy.ravel()])
    return (gy * system.nx + gx)[keep], rows[keep]


def pole_buffers(buffer: int, shifts, gap: float, minimum: int = 2) -> np.ndarray:
    """Buffer of each pole: ``buffer`` times sqrt(kappa(0) / kappa(s)), kappa(s) = sqrt(s^2 + gap^2), at least
    ``minimum``. The cut error of the pole at shift s falls as exp(-rate b) with a rate that grows like
    kappa^0.7 (benchmark lattice, texture-centre strip: 0.24, 0.30, 0.47, 0.9, 1.3, 2.0, 3.1, 5.0 per site
    for s = 0.05 ... 12.2, gap 0.157; docs/conventions.md), and the larger poles start no higher: the
    square root (slower than kappa^0.7) gives each pole at most the cut error of the pole at s -> 0."""
    ratio = np.sqrt(gap / np.sqrt(np.asarray(shifts) ** 2 + gap**2))
    return np.maximum(np.ceil(buffer * ratio).astype(int), min(minimum, buffer))


def cheapest_interior(n: int, buffers) -> int:
    """The interior I minimising the cost model ceil(n / I) sum_j min(I + 2 b_j, n)^3 (strips x slice size^3
    per pole) of strips across an axis of n sites."""
    sizes = np.arange(1, n + 1)
    widths = np.minimum(sizes[:, None] + 2 * np.asarray(buffers)[None, :], n)
    cost = np.ceil(n / sizes) * np.sum(widths.astype(float) ** 3, axis=1)
    return int(sizes[np.argmin(cost)])


def _solve(system, cut, length, sign, scale, gap, interior, buffer, strips, threads):
    """f's pole part on the interiors of the given strips (indices into the layout), summed over poles, each
    pole on strips with its own buffer; returns {strip: (sites, rows)}."""
    buffers = pole_buffers(buffer, scale * sign.shifts, gap)
    layouts = {b: _strips(system, cut, interior, b) for b in set(buffers.tolist())}
    tasks = [(k, j) for k in strips for j in range(sign.poles)]

    def task(item):
        k, j = item
        strip = layouts[buffers[j]][k]
        return _pole_rows(system, cut, length, strip, scale * sign.weights[j], 1j * scale * sign.shifts[j])

    out = {}
    with ThreadPoolExecutor(max_workers=threads) as pool:  # BLAS releases the GIL: one task per core
        for (k, _), (sites, rows) in zip(tasks, pool.map(task, tasks)):
            if k in out:
                out[k][1][...] += rows
            else:
                out[k] = (sites, rows)
    return out


def _checked_strips(system, cut, strips, checks):
    """Indices of the strips to solve again: the most textured ones and the most uniform inner one."""
    if checks == 0 or len(strips) == 1:
        return []
    field = system.exchange_field.reshape(3, system.ny, system.nx)
    deviation = np.linalg.norm(field - np.median(field.reshape(3, -1), axis=1)[:, None, None], axis=0)
    variation = np.array([np.take(deviation, columns, axis=1 - cut).max() for columns, *_ in strips])
    ranked = list(np.argsort(-variation, kind="stable"))
    chosen = ranked[: checks - 1]
    inner = [k for k in ranked[::-1] if 0 < k < len(strips) - 1 and k not in chosen]
    if checks > len(chosen) and inner:
        chosen.append(inner[0])
    return sorted(int(k) for k in chosen)


def coherence_length(system: SquareSystem, gap: float) -> float:
    """xi = v_max / gap (lattice units of length), v_max = 2 a max ||T_bond||_2 bounding every band velocity."""
    velocity = 2 * system.model.spacing * max(float(np.linalg.norm(b, 2)) for b in system._blocks[1:])
    return velocity / gap


def _patched(system, length, buffer, interior, check_buffer, checks, safety, tolerance, gap, threads,
             min_buffer_ratio):
    started = time.perf_counter()
    cut = 1 - length
    scale, gap, sign = prepare_sign(system.bdg_hamiltonian().tocsr(), tolerance, gap)
    xi = coherence_length(system, gap) / system.model.spacing  # in sites
    if buffer < min_buffer_ratio * xi:
        raise ValueError(
            f"buffer = {buffer} sites is {buffer / xi:.3g} coherence lengths xi = v_max / gap = {xi:.4g} sites (gap "
            f"{gap:.3g} of the whole system: gapless edge states or a near-zero bound state?), below min_buffer_ratio "
            f"= {min_buffer_ratio}: the strips' cut error is not controlled. Raise buffer to >= "
            f"{int(np.ceil(min_buffer_ratio * xi))}, or use rational_observables (one domain, exact to its tolerance)")
    prepared = time.perf_counter()

    if interior is None:
        interior = cheapest_interior((system.nx, system.ny)[cut], pole_buffers(buffer, scale * sign.shifts, gap))
    strips = _strips(system, cut, interior, buffer)
    everything = range(len(strips))
    linear = linear_rows(system, sign, scale)
    gathered = linear.copy()
    for sites, rows in _solve(system, cut, length, sign, scale, gap, interior, buffer, everything, threads).values():
        gathered[sites] += rows
    solved = time.perf_counter()

    errors = rational_errors(system, sign)
    settings = dict(tolerance=tolerance, sign_error=sign.error, poles=sign.poles, scale=scale, gap=gap,
                    strips=len(strips), strip_axis="xy"[length], interior=interior, buffer=buffer,
                    pole_buffers=pole_buffers(buffer, scale * sign.shifts, gap).tolist(),
                    check_buffer=check_buffer, safety=safety, threads=threads, coherence_length=xi)  # fmt: skip
    result = observables_from_columns(system, gathered, 0.0, "rational engine on overlapping strips", errors, settings)

    checked = _checked_strips(system, cut, strips, checks)
    widened = gathered.copy()
    wider = _solve(system, cut, length, sign, scale, gap, interior, buffer + check_buffer, checked, threads)
    for sites, rows in wider.values():
        widened[sites] = linear[sites] + rows
    reference = observables_from_columns(system, widened, 0.0, "", errors, settings)
    change = dict(
        density=float(np.abs(result.density - reference.density).max()),
        spin=float(np.abs(result.spin - reference.spin).max()),
        current=float(max(np.abs(result.current_x - reference.current_x).max(),
                          np.abs(result.current_y - reference.current_y).max())),
    )  # fmt: skip
    finished = time.perf_counter()
    cut_error = {name: safety * value for name, value in change.items()}
    return LocalObservables(
        **{f: getattr(result, f) for f in ("density", "spin", "current_x", "current_y", "pairing_source")},
        continuity_residual=result.continuity_residual,
        density_error=errors["density"] + cut_error["density"],
        spin_error=errors["spin"] + cut_error["spin"],
        current_error=errors["current"] + cut_error["current"],
        method=result.method,
        temperature=0.0,
        settings=dict(result.settings, checked_strips=checked, buffer_error=cut_error,
                      seconds_setup=prepared - started, seconds_strips=solved - prepared,
                      seconds_check=finished - solved),
    )  # fmt: skip
