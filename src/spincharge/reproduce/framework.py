"""Plumbing shared by the paper modules: claims, figures, sections, discovery."""

from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

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
    seconds: float = 0.0
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


def run_papers(papers: Iterable[str], ctx: ReproduceContext) -> list[Section]:
    """Run every module of each paper; a paper with none gets an empty section that says so.

    A module that raises does not stop the others: its section carries the error (the traceback goes
    to ``<out_dir>/errors.log``) and the CLI exits non-zero. Ctrl-C still stops the run.
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
            start = time.perf_counter()
            try:
                section = module.reproduce(ctx)
            except Exception as err:  # noqa: BLE001 - reported, not swallowed
                section = Section(paper, module.TITLE, error=f"{type(err).__name__}: {err}")
                ctx.out_dir.mkdir(parents=True, exist_ok=True)
                with open(ctx.out_dir / "errors.log", "a") as log:
                    log.write(f"--- {module.__name__}\n{traceback.format_exc()}\n")
                ctx.log(f"paper {paper}: {module.TITLE} FAILED: {section.error} (see errors.log)")
            section.seconds = time.perf_counter() - start
            sections.append(section)
    return sections
