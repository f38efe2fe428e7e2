"""The reproduction report: report.html (figures beside it), claims.json, and a terminal table."""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ..store import atomic_write_text
from .framework import Run, Section

__all__ = ["write_report", "print_claims"]

_STYLE = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
.holds { color: #176117; font-weight: bold; }
.fails { color: #a01818; font-weight: bold; }
figure { display: inline-block; margin: 0.5em; max-width: 46%; vertical-align: top; }
figure img { max-width: 100%; }
figcaption { font-size: 0.9em; }
.note { color: #555; }
"""


def _verdict(holds: bool) -> str:
    return "holds" if holds else "does not hold"


def _cost(section: Section) -> str:
    return (
        f"{section.seconds:.1f} s wall, {section.cpu_seconds:.1f} s CPU, "
        f"peak resident memory {section.peak_memory_mb:.0f} MB"
    )


def _totals(sections) -> tuple[str, str, str, str]:
    """(label, wall, CPU, peak memory) of the whole run: a :class:`Run`'s own (several processes may run at
    once), else the sum of the sections' times and the largest section peak (one process)."""
    if isinstance(sections, Run):
        label = "whole run" if sections.workers == 1 else f"whole run ({sections.workers} processes)"
        return label, f"{sections.seconds:.1f}", f"{sections.cpu_seconds:.1f}", f"{sections.peak_memory_mb:.0f}"
    peak = max((s.peak_memory_mb for s in sections), default=0.0)
    return ("whole run", f"{sum(s.seconds for s in sections):.1f}", f"{sum(s.cpu_seconds for s in sections):.1f}",
            f"{peak:.0f}")


def _budget_html(sections: Sequence[Section] | Run) -> str:
    """The whole-run budget: time and peak memory of each section, and the totals."""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(s.paper)}</td><td>{esc(s.title)}</td><td>{s.seconds:.1f}</td><td>{s.cpu_seconds:.1f}</td>"
        f"<td>{s.peak_memory_mb:.0f}</td></tr>"
        for s in sections
    )
    total = "".join(f"<th>{esc(cell)}</th>" for cell in ("", *_totals(sections)))
    total = f"<tr>{total}</tr>"
    return (
        "<h2>Cost of each section</h2><table><tr><th>paper</th><th>section</th><th>wall (s)</th>"
        f"<th>CPU (s)</th><th>peak resident memory (MB)</th></tr>{rows}{total}</table>"
    )


def _section_html(section: Section, out_dir: Path) -> str:
    esc = html.escape
    parts = [f"<h2>Paper {esc(section.paper)}: {esc(section.title)}</h2>"]
    if section.seconds:
        parts.append(f"<p class='note'>computed in {_cost(section)}</p>")
    if section.error:
        parts.append(f"<p class='fails'>This computation failed: {esc(section.error)} (errors.log)</p>")
    for note in section.notes:
        parts.append(f"<p class='note'>{esc(note)}</p>")
    if section.claims:
        rows = "".join(
            f"<tr><td>{esc(c.statement)}</td><td>{esc(c.computed)}</td><td>{esc(c.tolerance)}</td>"
            f"<td class='{'holds' if c.holds else 'fails'}'>{_verdict(c.holds)}</td></tr>"
            for c in section.claims
        )
        parts.append(
            "<table><tr><th>paper's statement</th><th>computed in this run</th><th>compared how</th>"
            f"<th>verdict</th></tr>{rows}</table>"
        )
    for fig in section.figures:
        rel = os.path.relpath(fig.path, out_dir)
        parts.append(
            f"<figure><img src='{esc(rel)}' alt='{esc(fig.caption)}'><figcaption>{esc(fig.caption)}"
            "</figcaption></figure>"
        )
    return "\n".join(parts)


def write_report(sections: Sequence[Section] | Run, out_dir: Path, *, quick: bool = False) -> Path:
    """Write ``report.html`` and ``claims.json`` into ``out_dir``; return the report's path."""
    import spincharge

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    claims = [c for s in sections for c in s.claims]
    section_of = {id(c): s for s in sections for c in s.claims}
    n_hold = sum(c.holds for c in claims)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(_section_html(s, out_dir) for s in sections)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>spincharge reproduction report</title>"
        f"<style>{_STYLE}</style></head><body><h1>spincharge reproduction report</h1>"
        f"<p>spincharge {html.escape(spincharge.__version__)}, {stamp}, "
        f"{'quick (coarse grids)' if quick else 'full'} run. "
        f"{n_hold} of {len(claims)} checked claims hold. Every value below was computed in this run.</p>"
        f"{_budget_html(sections)}{body}</body></html>"
    )
    report = out_dir / "report.html"
    atomic_write_text(report, page)
    atomic_write_text(
        out_dir / "claims.json",
        json.dumps(
            [
                {
                    "paper": c.paper,
                    "statement": c.statement,
                    "computed": c.computed,
                    "tolerance": c.tolerance,
                    "holds": c.holds,
                    "section": section_of[id(c)].title,
                    "section_seconds": round(section_of[id(c)].seconds, 2),
                    "section_cpu_seconds": round(section_of[id(c)].cpu_seconds, 2),
                    "section_peak_memory_mb": round(section_of[id(c)].peak_memory_mb, 1),
                }
                for c in claims
            ],
            indent=1,
        ),
    )
    return report


def print_claims(sections: Sequence[Section] | Run) -> None:
    """Print the claims table (paper, statement, computed value, verdict) to the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Claims checked in this run", show_lines=True)
    for column in ("paper", "statement", "computed", "verdict"):
        table.add_column(column, overflow="fold")
    for section in sections:
        if section.error:
            table.add_row(section.paper, section.title, section.error, "[red]failed[/red]")
        elif not section.claims:
            table.add_row(section.paper, f"({section.title})", "-", "-")
        for c in section.claims:
            verdict = "[green]holds[/green]" if c.holds else "[red]does not hold[/red]"
            table.add_row(c.paper, c.statement, c.computed, verdict)
    console = Console()
    console.print(table)
    console.print(budget_table(sections))


def budget_table(sections: Sequence[Section] | Run):
    """A rich table of each section's wall time, CPU time and peak resident memory, with the totals."""
    from rich.table import Table

    table = Table(title="Cost of each section", show_footer=True)
    table.add_column("paper", footer="")
    label, *totals = _totals(sections)
    table.add_column("section", overflow="fold", footer=label)
    for name, total in zip(("wall (s)", "CPU (s)", "peak memory (MB)"), totals, strict=True):
        table.add_column(name, justify="right", footer=total)
    for s in sections:
        table.add_row(s.paper, s.title, f"{s.seconds:.1f}", f"{s.cpu_seconds:.1f}", f"{s.peak_memory_mb:.0f}")
    return table
