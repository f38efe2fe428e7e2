import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import spincharge
from spincharge.cli import main
from spincharge.reproduce import Claim, ReproduceContext, Section
from spincharge.reproduce.report import write_report

SUBCOMMANDS = ["info", "reproduce", "sweep", "symmetry"]


@pytest.mark.parametrize("args", [["--help"], *[[c, "--help"] for c in SUBCOMMANDS]])
def test_every_subcommand_has_help(args, capsys):
    assert main(args) == 0
    assert "Usage:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, names",
    [
        (["reproduce", "--paper", "001"], ["--paper", "000", "002", "003", "all"]),
        (["sweep", "missing.toml"], ["CONFIG", "does not exist"]),
        (["sweep"], ["CONFIG"]),
        (["sweep", "--workers", "0", "x.toml"], ["--workers"]),
        (["frobnicate"], ["frobnicate"]),
        (["reproduce", "--bogus"], ["--bogus"]),
        (["symmetry", "C5v"], ["C5v", "C4v", "Oh"]),
        (["symmetry", "C4v", "--tensor", "zeta"], ["zeta", "gamma"]),
    ],
)
def test_wrong_arguments_give_one_line_naming_the_argument(args, names, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for name in names:
        assert name in err


def test_info_reports_versions_and_conventions(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert spincharge.__version__ in out and "numpy" in out and "hbar = e = 1" in out


def test_console_script_runs_and_fails_cleanly(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "spincharge.cli", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and spincharge.__version__ in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "spincharge.cli", "reproduce", "--paper", "7"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    package = subprocess.run([sys.executable, "-m", "spincharge", "--version"], capture_output=True, text=True)
    assert package.returncode == 0 and spincharge.__version__ in package.stdout


def test_sweep_command_runs_a_toml_config_and_resumes(tmp_path, monkeypatch, capsys):
    (tmp_path / "toy.py").write_text("def parabola(x, a=1.0):\n    return {'y': a * x * x}\n")
    (tmp_path / "sweep.toml").write_text(
        'function = "toy:parabola"\n[grid]\nx = {start = 0.0, stop = 2.0, num = 5}\n[settings]\na = 3.0\n'
    )
    monkeypatch.chdir(tmp_path)
    args = ["sweep", "sweep.toml", "--results", "res", "--output", "out.nc", "--no-progress"]
    assert main(args) == 0
    assert "5 points computed, 0 loaded" in capsys.readouterr().out
    assert main(args) == 0
    assert "0 points computed, 5 loaded" in capsys.readouterr().out
    import xarray as xr

    with xr.open_dataset(tmp_path / "out.nc") as ds:
        assert ds.y.values.tolist() == [0.0, 0.75, 3.0, 6.75, 12.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ('function = "toy:f"\n', "[grid]"),
        ('function = "toy:f"\n[grid]\nx = 3\n', "grid.x"),
        ('function = "toy:f"\ngird = 1\n[grid]\nx = [1]\n', "unknown keys"),
        ('function = \n', "not valid TOML"),
        ('function = "toy:f"\n[grid]\nx = {start = 0, stop = 1, num = 0}\n', "num must be"),
    ],
)
def test_bad_sweep_config_is_explained(tmp_path, capsys, text, message):
    (tmp_path / "bad.toml").write_text(text)
    assert main(["sweep", str(tmp_path / "bad.toml")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_report_lists_claims_with_verdicts_and_figures(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ctx = ReproduceContext(out_dir=tmp_path)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ref = ctx.save_figure(fig, "line", "a <line>")
    claims = [
        Claim("000", "x & y agree", "1.0 vs 1.0", True, "rel 1e-8"),
        Claim("000", "z is 2", "computed 3", False),
    ]
    path = write_report([Section("000", "test", claims=claims, figures=[ref])], tmp_path)
    page = path.read_text()
    assert "x &amp; y agree" in page and "does not hold" in page and "1 of 2 checked claims hold" in page
    assert "src='line.png'" in page and (tmp_path / "line.png").stat().st_size > 0
    assert json.loads((tmp_path / "claims.json").read_text())[1]["holds"] is False


def test_readme_quick_start_and_ci_run_the_same_test_command():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    block = re.search(r"## Quick start\s+```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "spincharge reproduce" in commands[0]
    ci = (root / ".ci" / "run").read_text()
    assert commands[1].strip() in ci


def test_a_failing_paper_module_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    from spincharge.reproduce import framework

    def broken(ctx):
        raise RuntimeError("solver diverged")

    def working(ctx):
        return Section("000", "works", claims=[Claim("000", "1 + 1 = 2", "2", True)])

    modules = [
        SimpleNamespace(__name__="fake.broken", TITLE="breaks", reproduce=broken),
        SimpleNamespace(__name__="fake.working", TITLE="works", reproduce=working),
    ]
    monkeypatch.setattr(framework, "discover", lambda paper: modules)
    assert main(["reproduce", "--paper", "000", "--out", str(tmp_path), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "1 computation(s) failed: breaks" in err
    page = (tmp_path / "report.html").read_text()
    assert "solver diverged" in page and "1 of 1 checked claims hold" in page
    assert "RuntimeError: solver diverged" in (tmp_path / "errors.log").read_text()


@pytest.mark.parametrize(
    "symbol, schoenflies",
    [("-1", "Ci"), ("-4", "S4"), ("-42m", "D2d"), ("-3", "C3i"), ("-3m", "D3d"), ("-6", "C3h"),
     ("-6m2", "D3h"), ("-43m", "Td"), ("-62m", "D3h"), ("-31m", "D3d")],
)  # fmt: skip
def test_symmetry_accepts_hermann_mauguin_names_that_start_with_a_minus(symbol, schoenflies, capsys):
    assert main(["symmetry", symbol]) == 0
    assert schoenflies in capsys.readouterr().out
    assert main(["symmetry", symbol, "--tensor", "gamma"]) == 0
    assert main(["symmetry", "--tensor", "gamma", symbol]) == 0
    assert schoenflies in capsys.readouterr().out


def test_symmetry_still_rejects_an_unknown_option(capsys):
    assert main(["symmetry", "C4v", "--bogus"]) == 2
    assert "--bogus" in capsys.readouterr().err


def test_each_section_records_its_time_cpu_and_peak_memory(tmp_path, monkeypatch):
    """A fake section that holds a known 200 MB array and reports progress: the sampled peak sees it."""
    import time as _time
    import types

    import numpy as np

    from spincharge.reproduce import framework
    from spincharge.reproduce.framework import _resident_mb, run_papers

    def reproduce(ctx):
        block = np.ones(25_000_000)  # 200 MB, touched
        _time.sleep(0.2)
        ctx.progress(0.5)
        ctx.progress(2.0)  # clipped to 1
        return Section("000", "fake", claims=[Claim("000", "s", "c", bool(block[-1] == 1.0))])

    fake = types.SimpleNamespace(__name__="fake", TITLE="fake", PAPER="000", reproduce=reproduce)
    monkeypatch.setattr(framework, "discover", lambda paper: [fake])
    seen, events = [], []
    ctx = ReproduceContext(out_dir=tmp_path, log=lambda _: None, on_progress=seen.append)
    before = _resident_mb()
    (section,) = run_papers(["000"], ctx, on_start=lambda p, t: events.append((p, t)), on_end=events.append)
    assert seen == [0.5, 1.0] and events == [("000", "fake"), section]
    assert section.seconds >= 0.2 and section.cpu_seconds > 0
    assert section.peak_memory_mb >= before + 190
    write_report([section], tmp_path)
    entry = json.loads((tmp_path / "claims.json").read_text())[0]
    assert entry["section_peak_memory_mb"] == round(section.peak_memory_mb, 1) and entry["section"] == "fake"
    assert "Cost of each section" in (tmp_path / "report.html").read_text()


_FAKE_SECTION = """
import time
from pathlib import Path

import numpy as np

from spincharge.reproduce import Claim, Section

PAPER, TITLE = "000", "{title}"


def reproduce(ctx):
    block = np.ones(12_500_000)  # 100 MB, touched, held while the other worker holds its own
    ctx.log("{title} running")
    here = Path(__file__).parent
    (here / "{title}.ready").touch()
    deadline = time.monotonic() + 60
    while len(list(here.glob("*.ready"))) < 2 and time.monotonic() < deadline:  # both sections at once
        time.sleep(0.02)
    time.sleep(0.3)
    ctx.progress(0.5)
    if "{title}" == "breaks":
        raise RuntimeError("solver diverged")
    return Section("000", "{title}", claims=[Claim("000", "s", "c", bool(block[-1] == 1.0))])
"""


def test_sections_in_worker_processes_come_back_in_order_with_their_costs(tmp_path, monkeypatch):
    """Two real modules (importable files, as a spawned worker needs) in two worker processes: sections in
    discovery order, a module's exception becomes its section's error, log lines, progress and start/end
    reach the parent, and the run's peak adds the workers' memory (both hold 100 MB at once: each waits for the
    other's file)."""
    import importlib

    from spincharge.reproduce import framework
    from spincharge.reproduce.report import budget_table

    for name, title in (("fake_first", "works"), ("fake_second", "breaks")):
        (tmp_path / f"{name}.py").write_text(_FAKE_SECTION.replace("{title}", title))
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = [importlib.import_module(name) for name in ("fake_first", "fake_second")]
    monkeypatch.setattr(framework, "discover", lambda paper: modules)
    lines, events, progress = [], [], []
    ctx = ReproduceContext(out_dir=tmp_path, log=lines.append)
    run = framework.run_papers(["000"], ctx, on_start=lambda p, t: events.append(("start", t)),
                               on_end=lambda s: events.append(("end", s.title)),
                               on_progress=lambda t, f: progress.append((t, f)), workers=2)
    assert [s.title for s in run] == ["works", "breaks"] and run.workers == 2
    assert run.sections[0].claims[0].holds and "solver diverged" in run.sections[1].error
    assert "RuntimeError: solver diverged" in (tmp_path / "errors.log").read_text()
    assert {"works running", "breaks running"} <= set(lines)
    assert sorted(progress) == [("breaks", 0.5), ("works", 0.5)]
    for title in ("works", "breaks"):
        assert events.index(("start", title)) < events.index(("end", title))
    assert all(s.seconds >= 0.3 and s.peak_memory_mb >= 100 for s in run)
    assert run.peak_memory_mb >= sum(s.peak_memory_mb for s in run) - 50  # both workers at once (+ this one)
    assert run.cpu_seconds > 0 and run.seconds < sum(s.seconds for s in run) + 10
    assert "whole run (2 processes)" in str(budget_table(run).columns[1].footer)
