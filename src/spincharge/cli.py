"""Command-line interface: a thin layer that parses arguments, calls the library and prints.

Wrong arguments exit with status 2 and one line on stderr naming the argument and what is allowed;
an interrupted run exits with status 130 after saying what was kept.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

PAPER_CHOICES = ("000", "002", "003", "all")

results_option = click.option(
    "--results",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Results store directory (default: $SPINCHARGE_RESULTS or ./spincharge-results).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spincharge")
def app():
    """Spin-charge interconversion physics: reproduce papers 000, 002, 003; sweeps; symmetry."""


@app.command()
def info():
    """Version, dependency versions and the conventions in force."""
    from importlib.metadata import PackageNotFoundError, version

    from rich.console import Console
    from rich.table import Table

    import spincharge

    from .store import default_root

    console = Console()
    console.print(f"[bold]spincharge[/bold] {spincharge.__version__}  (python {sys.version.split()[0]})")
    table = Table("dependency", "version", box=None)
    for name in ("numpy", "scipy", "xarray", "netCDF4", "matplotlib", "sympy", "click", "rich", "tqdm", "distributed"):
        try:
            table.add_row(name, version(name))
        except PackageNotFoundError:
            table.add_row(name, "not installed")
    console.print(table)
    console.print(
        "Conventions (docs/conventions.md): hbar = e = 1 internally, e > 0; energies in a user-chosen\n"
        "unit E0 and lengths in L0, converted to SI by spincharge.units.UnitSystem (scipy.constants);\n"
        "conductivities of paper 002 in e^2/h; results stored as netCDF under "
        f"{default_root()} (set --results or $SPINCHARGE_RESULTS)."
    )


@app.command()
@click.option("--paper", type=click.Choice(PAPER_CHOICES), default="all", show_default=True, help="Which paper.")
@click.option("--quick", is_flag=True, help="Coarse grids (a CI-sized run).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("spincharge-report"),
    show_default=True,
    help="Directory for report.html, claims.json and the figures.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Sections run at once, each in its own process (default: the available cores, at most 2; each "
    "process peaks at about 0.5 GB). 1: all in this process.",
)
@results_option
def reproduce(paper, quick, out, jobs, results):
    """Recompute the papers' figures and claims; write report.html and print the claims table."""
    from .reproduce import PAPERS, ReproduceContext, run_papers
    from .reproduce.report import print_claims, write_report
    from .store import ResultStore

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    papers = PAPERS if paper == "all" else (paper,)
    if jobs is None:  # more than 2 gains little: the longest sections are a third of the run
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        jobs = min(cores, 2)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
        TextColumn("{task.fields[cost]}"),
    ) as bars:
        tasks = {}  # section title -> progress bar

        def start(paper_id, title):
            tasks[title] = bars.add_task(f"paper {paper_id}: {title[:60]}", total=1.0, cost="")

        def end(section):
            bars.update(tasks[section.title], completed=1.0, cost=f"{section.peak_memory_mb:.0f} MB")
            bars.stop_task(tasks[section.title])

        ctx = ReproduceContext(out_dir=out, quick=quick, store=ResultStore(results), log=bars.console.print)
        sections = run_papers(
            papers, ctx, on_start=start, on_end=end, workers=jobs,
            on_progress=lambda title, fraction: bars.update(tasks[title], completed=fraction),
        )
    path = write_report(sections, out, quick=quick)
    print_claims(sections)
    click.echo(f"report: {path}")
    if any(not c.holds for s in sections for c in s.claims):
        click.echo("some claims do not hold: see the table and the report", err=True)
    failed = [s.title for s in sections if s.error]
    if failed:
        raise click.ClickException(f"{len(failed)} computation(s) failed: {'; '.join(failed)}; see errors.log")


@app.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Local worker processes.")
@click.option("--scheduler", default=None, help="dask.distributed scheduler address, or 'local' for a LocalCluster.")
@results_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the combined Dataset to this netCDF file.",
)
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
def sweep(config, workers, scheduler, results, output, progress):
    """Run a parameter sweep described by a TOML CONFIG; interrupted sweeps resume where they stopped.

    \b
    Example config:
        function = "spincharge.magnetoelectric:coefficients"
        model = "spincharge.models:TISurface"      # optional: grid builds this model
        [grid]
        delta = {start = 0.0, stop = 1.0, num = 21}   # or a list of values
        [parameters]
        v = 1.0
        mu = 1.0
        [settings]
        temperature = 0.0
    """
    from .sweeps import sweep as run_sweep
    from .sweeps_config import load_sweep_config

    # Like `python -m`: modules in the working directory are importable (workers inherit sys.path;
    # remote dask workers need the module installed or on their PYTHONPATH).
    sys.path.insert(0, str(Path.cwd()))
    spec = load_sweep_config(config)
    ds = run_sweep(
        spec.function,
        spec.grid,
        parameters=spec.parameters,
        settings=spec.settings,
        model=spec.model,
        store=results,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    click.echo(ds)
    click.echo(
        f"{ds.attrs['points_computed']} points computed, {ds.attrs['points_loaded']} loaded "
        f"from {ds.attrs['store']}"
    )
    if output is not None:
        from .store import atomic_to_netcdf

        atomic_to_netcdf(ds, output)
        click.echo(f"written: {output}")


# ignore_unknown_options lets Hermann-Mauguin names that start with '-' (-42m, -6m2, -1) through as GROUP
@app.command(context_settings={"ignore_unknown_options": True})
@click.argument("group")
@click.option(
    "--tensor",
    default=None,
    help="One tensor of paper 003's action: D, Gamma, alpha, gamma, theta, kappa, beta (or chi).",
)
def symmetry(group, tensor):
    """Allowed forms of the spin-orbit response tensors for a crystallographic point GROUP.

    GROUP is a Schoenflies (C4v, D2d, Td, Oh, ...) or Hermann-Mauguin (4mm, -42m, ...) name.
    """
    from .symmetry import describe

    click.echo(describe(group, tensor))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning usage and parameter errors into one-line messages."""
    from .sweeps import SweepInterrupted

    try:
        app.main(args=argv, prog_name="spincharge", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        print("spincharge: aborted", file=sys.stderr)
        return 130
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.format_message())
        return 0
    except click.UsageError as err:
        where = f" {err.ctx.command_path.split(' ', 1)[1]}" if err.ctx and " " in err.ctx.command_path else ""
        print(f"spincharge{where}: error: {err.format_message()}", file=sys.stderr)
        return 2
    except click.ClickException as err:
        print(f"spincharge: error: {err.format_message()}", file=sys.stderr)
        return err.exit_code
    except SweepInterrupted as err:
        print(f"spincharge: {err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("spincharge: interrupted", file=sys.stderr)
        return 130
    except ValueError as err:
        print(f"spincharge: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
