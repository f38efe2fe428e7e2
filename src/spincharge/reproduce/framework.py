"""Plumbing shared by the paper modules: claims, figures, sections, discovery."""

from __future__ import annotations

import importlib
import os
import pkgutil
import resource
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from threadpoolctl import threadpool_limits

from ..store import ResultStore


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a paper and what this run computed for it.

    ``statement`` quotes or paraphrases the paper (with its equation or figure), ``computed`` is the
    value found in this run, formatted for people, and ``holds`` says whether the statement survives
    the computation within ``tolerance`` (free text: what was compared with what).
    """

    paper: str
    statement: str
    computed: str
    holds: bool
    tolerance: str = ""
    source: str = ""  # module that made the claim


@dataclass(frozen=True)
class FigureRef:
    path: Path
    caption: str


@dataclass
class Section:
    paper: str
    title: str
    claims: list[Claim] = field(default_factory=list)
    figures: list[FigureRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall time
    cpu_seconds: float = 0.0  # CPU time of the process (all threads) while the section ran
    peak_memory_mb: float = 0.0  # peak resident memory of the process while the section ran
    error: str = ""  # set when the module raised: the run goes on, the report and exit status say so


@dataclass
class ReproduceContext:
    """What a paper module gets: where to write, how hard to try, the results store.

    ``quick`` asks for coarse grids (CI-sized runs); the claims must still be computed, not copied.
    """

    out_dir: Path
    quick: bool = False
    store: ResultStore | None = None
    log: Callable[[str], None] = print
    # told the fraction (0..1) of the running section that is done; the CLI draws it as a progress bar
    on_progress: Callable[[float], None] | None = None

    def progress(self, fraction: float) -> None:
        """Report that ``fraction`` of the running section is done (no-op without a listener)."""
        if self.on_progress is not None:
            self.on_progress(min(max(float(fraction), 0.0), 1.0))

    def save_figure(self, fig, name: str, caption: str) -> FigureRef:
        """Save a matplotlib figure as ``<out_dir>/<name>.png`` and close it."""
        import matplotlib.pyplot as plt

        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{name}.png"
        tmp = path.with_suffix(".png.tmp")
        fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png")
        plt.close(fig)
        tmp.replace(path)
        return FigureRef(path=path, caption=caption)


def _resident_mb() -> float:
    """Resident memory of this process now (Linux /proc), or its high-water mark elsewhere."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PeakMemory:
    """Samples the resident memory every ``interval`` s in a thread: the peak of one section.

    The process high-water mark (ru_maxrss) cannot be reset between sections, hence the sampling; a peak
    shorter than the interval can be missed, so the larger of the sampled peak and the growth of the
    high-water mark is kept.
    """

    def __init__(self, interval: float = 0.02):
        self.interval, self.peak = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _resident_mb())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._high_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.peak = _resident_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if high > self._high_before:  # the process peak was set in this section
            self.peak = max(self.peak, high)
        return False


def discover(paper: str) -> list[ModuleType]:
    """Import every ``paper<NNN>*`` module of this package that belongs to ``paper``."""
    from spincharge import reproduce as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith(f"paper{paper}"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if getattr(module, "PAPER", None) == paper:
                modules.append(module)
    return modules


def run_papers(
    papers: Iterable[str],
    ctx: ReproduceContext,
    *,
    on_start: Callable[[str, str], None] | None = None,
    on_end: Callable[[Section], None] | None = None,
) -> list[Section]:
    """Run every module of each paper; a paper with none gets an empty section that says so.

    A module that raises does not stop the others: its section carries the error (the traceback goes
    to ``<out_dir>/errors.log``) and the CLI exits non-zero. Ctrl-C still stops the run. Each section
    records its wall time, CPU time and peak resident memory; ``on_start(paper, title)`` and
    ``on_end(section)`` are called around each module (the CLI's progress bars).
    """
    sections = []
    for paper in papers:
        modules = discover(paper)
        if not modules:
            sections.append(
                Section(paper, "not implemented yet", notes=["No computation of this paper exists yet."])
            )
            continue
        for module in modules:
            ctx.log(f"paper {paper}: {module.TITLE}")
            if on_start is not None:
                on_start(paper, module.TITLE)
            start, cpu = time.perf_counter(), time.process_time()
            try:
                # single-threaded BLAS: the sections' matrices are small, and multithreaded OpenBLAS on
                # them is up to 25x slower when the other core is busy; the lattice witness runs its own
                # thread per core instead
                with _PeakMemory() as memory, threadpool_limits(limits=1, user_api="blas"):
                    section = module.reproduce(ctx)
            except Exception as err:  # noqa: BLE001 - reported, not swallowed
                section = Section(paper, module.TITLE, error=f"{type(err).__name__}: {err}")
                ctx.out_dir.mkdir(parents=True, exist_ok=True)
                with open(ctx.out_dir / "errors.log", "a") as log:
                    log.write(f"--- {module.__name__}\n{traceback.format_exc()}\n")
                ctx.log(f"paper {paper}: {module.TITLE} FAILED: {section.error} (see errors.log)")
            section.seconds = time.perf_counter() - start
            section.cpu_seconds = time.process_time() - cpu
            section.peak_memory_mb = memory.peak
            sections.append(section)
            if on_end is not None:
                on_end(section)
    return sections
