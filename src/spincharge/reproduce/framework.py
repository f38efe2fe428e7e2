"""Plumbing shared by the paper modules: claims, figures, sections, discovery."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pkgutil
import queue
import resource
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
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


def _resident_mb(pid: int | str = "self") -> float:
    """Resident memory of process ``pid`` now (Linux /proc; 0 if it is gone), or this process' high-water
    mark elsewhere."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except FileNotFoundError:
        return 0.0
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PeakMemory:
    """Samples the resident memory every ``interval`` s in a thread: the peak of one section.

    The process high-water mark (ru_maxrss) cannot be reset between sections, hence the sampling; a peak
    shorter than the interval can be missed, so the larger of the sampled peak and the growth of the
    high-water mark is kept. ``pids`` (a set, may grow while sampling) adds other processes' memory to
    this one's: the peak of the whole run with worker processes.
    """

    def __init__(self, interval: float = 0.02, pids: set[int] | None = None):
        self.interval, self.peak, self.pids = interval, 0.0, pids if pids is not None else set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _now(self) -> float:
        return _resident_mb() + sum(_resident_mb(pid) for pid in list(self.pids))

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._now())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._high_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.peak = self._now()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if high > self._high_before and not self.pids:  # the process peak was set in this section
            self.peak = max(self.peak, high)
        return False


@dataclass
class Run:
    """The sections of a run (iterating gives them) and the cost of the whole run: wall time, CPU time of
    all processes, peak resident memory of all processes together, and the number of worker processes
    (1: the sections ran one after the other in this process)."""

    sections: list[Section]
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_mb: float = 0.0
    workers: int = 1

    def __iter__(self):
        return iter(self.sections)

    def __len__(self):
        return len(self.sections)


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


def _run_module(module: ModuleType, paper: str, ctx: ReproduceContext) -> Section:
    """One module's section, timed and with its peak memory; an exception becomes the section's error."""
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
    return section


_MESSAGES = None  # in a worker process: the queue to the parent (log lines, progress, start and done)


def _start_worker(messages) -> None:
    global _MESSAGES
    _MESSAGES = messages


def _run_in_worker(index: int, module_name: str, paper: str, ctx: ReproduceContext) -> Section:
    module = importlib.import_module(module_name)
    _MESSAGES.put(("start", index, os.getpid()))
    ctx = replace(ctx, log=lambda line: _MESSAGES.put(("log", index, line)),
                  on_progress=lambda fraction: _MESSAGES.put(("progress", index, fraction)))
    try:
        return _run_module(module, paper, ctx)
    finally:
        _MESSAGES.put(("done", index, None))


def run_papers(
    papers: Iterable[str],
    ctx: ReproduceContext,
    *,
    on_start: Callable[[str, str], None] | None = None,
    on_end: Callable[[Section], None] | None = None,
    on_progress: Callable[[str, float], None] | None = None,
    workers: int = 1,
) -> Run:
    """Run every module of each paper; a paper with none gets an empty section that says so.

    A module that raises does not stop the others: its section carries the error (the traceback goes
    to ``<out_dir>/errors.log``) and the CLI exits non-zero. Ctrl-C still stops the run. Each section
    records its wall time, CPU time and peak resident memory (of the process that ran it);
    ``on_start(paper, title)`` and ``on_end(section)`` are called around each module and
    ``on_progress(title, fraction)`` as it reports progress (the CLI's progress bars; without it, one
    process: ``ctx.on_progress``).

    ``workers`` > 1 runs the modules in that many worker processes (spawned: each imports spincharge
    afresh), in discovery order as workers free up; the sections come back in discovery order, computed
    exactly as in one process (each module depends only on its own inputs).
    """
    papers = list(papers)
    jobs, sections = [], []
    for paper in papers:
        modules = discover(paper)
        if not modules:
            sections.append(
                Section(paper, "not implemented yet", notes=["No computation of this paper exists yet."])
            )
        for module in modules:
            jobs.append((len(sections), paper, module))
            sections.append(None)
    start, cpu = time.perf_counter(), time.process_time()
    worker_pids: set[int] = set()
    worker_cpu = 0.0
    with _PeakMemory(pids=worker_pids) as memory:
        if workers <= 1 or len(jobs) <= 1:
            workers = 1
            for index, paper, module in jobs:
                ctx.log(f"paper {paper}: {module.TITLE}")
                if on_start is not None:
                    on_start(paper, module.TITLE)
                own = ctx if on_progress is None else replace(ctx, on_progress=lambda f, t=module.TITLE: on_progress(t, f))
                sections[index] = _run_module(module, paper, own)
                if on_end is not None:
                    on_end(sections[index])
        else:
            sections, worker_cpu = _run_parallel(jobs, sections, ctx, on_start, on_end, on_progress, workers, worker_pids)
    return Run(sections, time.perf_counter() - start, time.process_time() - cpu + worker_cpu, memory.peak, workers)


def _run_parallel(jobs, sections, ctx, on_start, on_end, on_progress, workers, worker_pids):
    """The jobs of :func:`run_papers` in ``workers`` spawned processes; returns (sections, the workers' CPU
    time, their start-up included).

    Log lines, progress, start and end reach the parent through one queue, in order per section, and the
    callbacks run in this (the calling) thread.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    portable = replace(ctx, log=print, on_progress=None)  # what crosses to a worker; the callbacks stay here
    by_index = {index: (paper, module) for index, paper, module in jobs}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(messages,)) as pool:
        futures = {index: pool.submit(_run_in_worker, index, module.__name__, paper, portable)
                   for index, paper, module in jobs}
        pending = set(futures)
        while pending:
            try:
                kind, index, payload = messages.get(timeout=1.0)
            except queue.Empty:
                for index in [i for i in pending if futures[i].done() and futures[i].exception() is not None]:
                    futures[index].result()  # a worker died (not an exception in a module): raise it here
                continue
            paper, module = by_index[index]
            if kind == "start":
                worker_pids.add(payload)
                ctx.log(f"paper {paper}: {module.TITLE}")
                if on_start is not None:
                    on_start(paper, module.TITLE)
            elif kind == "log":
                ctx.log(payload)
            elif kind == "progress" and on_progress is not None:
                on_progress(module.TITLE, payload)
            elif kind == "done":
                sections[index] = futures[index].result()
                pending.discard(index)
                if on_end is not None:
                    on_end(sections[index])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool has joined its workers
    return sections, after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
