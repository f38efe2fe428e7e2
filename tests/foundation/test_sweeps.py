import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import xarray as xr

import spincharge
from spincharge.store import ResultStore
from spincharge.sweeps import SweepInterrupted

# A sweep function must be importable by name (workers import it), so the tests write a module.
MODULE = textwrap.dedent(
    """
    import os, pathlib, signal
    import numpy as np

    def spectrum(x, y, scale=1.0):
        return {"energy": scale * np.hypot(x, y), "levels": scale * x * np.arange(3) + y}

    def logged_square(x):
        flag = pathlib.Path(os.environ["SWEEP_FLAG"])
        if x == 5 and flag.exists():
            flag.unlink()
            os.kill(os.getpid(), getattr(signal, os.environ["SWEEP_SIGNAL"]))
        with open(os.environ["SWEEP_LOG"], "a") as fh:
            fh.write(f"{x}\\n")
        return {"y": float(x) ** 2}
    """
)


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    (tmp_path / "sweepmod.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    return tmp_path


GRID = {"x": [0.0, 1.0, 2.0], "y": [-1.0, 0.5]}


def test_serial_result_is_labelled_and_correct(module_dir):
    ds = spincharge.sweep("sweepmod:spectrum", GRID, settings={"scale": 2.0}, store=module_dir / "s", progress=False)
    assert ds.energy.dims == ("x", "y")
    expected = 2.0 * np.hypot(*np.meshgrid(GRID["x"], GRID["y"], indexing="ij"))
    np.testing.assert_array_equal(ds.energy.values, expected)
    assert ds.levels.sel(x=2.0, y=0.5).values.tolist() == [0.5, 4.5, 8.5]
    assert ds.attrs["points_computed"] == 6


def test_serial_process_and_dask_runs_are_identical(module_dir):
    pytest.importorskip("distributed")
    runs = [
        spincharge.sweep("sweepmod:spectrum", GRID, store=module_dir / name, progress=False, **kwargs)
        for name, kwargs in [("serial", {}), ("proc", {"workers": 2}), ("dask", {"workers": 2, "scheduler": "local"})]
    ]
    for ds in runs[1:]:
        xr.testing.assert_identical(ds.drop_attrs(), runs[0].drop_attrs())
        assert ds.attrs["points_computed"] == 6


def test_second_run_loads_every_point(module_dir):
    store = module_dir / "store"
    first = spincharge.sweep("sweepmod:spectrum", GRID, store=store, progress=False)
    second = spincharge.sweep("sweepmod:spectrum", GRID, store=store, progress=False)
    assert (second.attrs["points_loaded"], second.attrs["points_computed"]) == (6, 0)
    xr.testing.assert_identical(first.drop_attrs(), second.drop_attrs())


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_interrupted_sweep_resumes_without_recomputing_or_losing_points(module_dir, how):
    log, flag, store = module_dir / "log.txt", module_dir / "flag", module_dir / "store"
    flag.touch()
    env = {**os.environ, "SWEEP_LOG": str(log), "SWEEP_FLAG": str(flag), "SWEEP_SIGNAL": how}
    script = (
        "import spincharge; spincharge.sweep('sweepmod:logged_square', {'x': list(range(10))}, "
        f"store={str(store)!r}, progress=False)"
    )
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if how == "SIGKILL":
        assert first.returncode == -signal.SIGKILL
    else:
        assert first.returncode != 0 and "SweepInterrupted" in first.stderr and "5 of 10 points" in first.stderr
    assert log.read_text().split() == ["0", "1", "2", "3", "4"]
    assert len(list(store.rglob("*.nc"))) == 5

    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert sorted(map(int, log.read_text().split())) == list(range(10))  # each point computed once
    monkey_env = os.environ.copy()
    try:
        os.environ.update(env)
        ds = spincharge.sweep("sweepmod:logged_square", {"x": list(range(10))}, store=store, progress=False)
    finally:
        os.environ.clear()
        os.environ.update(monkey_env)
    assert ds.attrs["points_loaded"] == 10
    np.testing.assert_array_equal(ds.y.values, np.arange(10.0) ** 2)


def test_keyboard_interrupt_in_process_is_reported_as_resumable(module_dir, monkeypatch):
    calls = []

    def interrupt_on_third(self):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return xr.Dataset({"y": ((), 1.0)})

    monkeypatch.setattr("spincharge.sweeps.SweepPoint.compute", interrupt_on_third)
    with pytest.raises(SweepInterrupted, match="2 of 6 points are stored"):
        spincharge.sweep("sweepmod:spectrum", GRID, store=module_dir / "s", progress=False)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"grid": {}}, "grid must name"),
        ({"grid": {"x": []}}, "non-empty"),
        ({"grid": {"x": [1, 1]}}, "repeated"),
        ({"grid": GRID, "workers": 0}, "workers must be"),
        ({"grid": GRID, "settings": {"x": 1}}, "appear twice"),
    ],
)
def test_bad_sweep_arguments_are_named(module_dir, kwargs, message):
    with pytest.raises(ValueError, match=message):
        spincharge.sweep("sweepmod:spectrum", store=module_dir / "s", progress=False, **kwargs)


def test_unimportable_function_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="cannot import module"):
        spincharge.sweep("no_such_module:f", {"x": [1]}, store=tmp_path, progress=False)
    with pytest.raises(ValueError, match="module-level function"):
        spincharge.sweep(lambda x: x, {"x": [1]}, store=tmp_path, progress=False)


def test_model_points_build_the_model(module_dir):
    (module_dir / "modelmod.py").write_text(
        "from dataclasses import dataclass\n"
        "@dataclass(frozen=True)\nclass Line:\n    slope: float\n    offset: float\n"
        "def evaluate(model, x=0.0):\n    return model.slope * x + model.offset\n"
    )
    ds = spincharge.sweep(
        "modelmod:evaluate", {"slope": [1.0, 2.0]}, model="modelmod:Line", parameters={"offset": 0.5},
        settings={"x": 3.0}, store=ResultStore(module_dir / "m"), progress=False,
    )
    np.testing.assert_array_equal(ds.value.values, [3.5, 6.5])
    # a swept argument of the computation itself (not of the model) goes to the function
    ds = spincharge.sweep(
        "modelmod:evaluate", {"x": [0.0, 1.0], "slope": [2.0]}, model="modelmod:Line",
        parameters={"offset": 0.5}, store=ResultStore(module_dir / "m2"), progress=False,
    )
    np.testing.assert_array_equal(ds.value.values[:, 0], [0.5, 2.5])
