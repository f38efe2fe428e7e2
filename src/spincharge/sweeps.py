"""Parameter sweeps: evaluate a computation over a grid, store every point, return one labelled Dataset.

A sweep is resumable by construction: each grid point is a separate entry of the results store
(:mod:`spincharge.store`), keyed by the function, the point's parameters and the settings, and saved as
soon as it is computed. Rerunning an interrupted sweep loads what exists and computes only the rest.

Three executors give identical results (the points are independent and deterministic):

* serial (default),
* local processes (``workers=N``),
* a dask.distributed cluster (``scheduler="tcp://..."`` or ``scheduler="local"`` for a LocalCluster;
  needs the ``distributed`` extra).

The function may return an ``xarray.Dataset``, a result object with ``to_dataset()``, a mapping of
names to scalars or arrays, or a single number; the sweep stacks the points along one dimension per
grid parameter.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np

from .store import ResultStore, content_key

__all__ = ["sweep", "resolve", "SweepPoint", "SweepInterrupted"]

log = logging.getLogger(__name__)


class SweepInterrupted(KeyboardInterrupt):
    """Raised when a sweep is interrupted; what was computed is stored and a rerun resumes."""


def resolve(path: str) -> Callable:
    """Import ``"package.module:attribute"`` (or ``"package.module.attribute"``)."""
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr:
        raise ValueError(f"function must be 'module:name', got {path!r}")
    try:
        obj = importlib.import_module(module_name)
    except ImportError as err:
        raise ValueError(f"cannot import module {module_name!r} named in {path!r}: {err}") from None
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ValueError(f"module {module_name!r} has no attribute {attr!r}") from None
    return obj


def _qualified_name(obj: Callable | str) -> str:
    if isinstance(obj, str):
        return obj
    module, name = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not module or not name or "<" in name:
        raise ValueError(
            "func must be a module-level function (or a 'module:name' string) so that sweep points "
            f"can be identified and sent to workers; got {obj!r}"
        )
    return f"{module}:{name}"


@dataclass(frozen=True)
class SweepPoint:
    """One grid point: what to call and with what. Picklable, so it travels to workers."""

    function: str
    model: str | None
    parameters: dict[str, Any]
    settings: dict[str, Any]

    def key(self) -> str:
        return content_key(self.function, {"model": self.model, **self.parameters}, self.settings)

    def compute(self):
        func = resolve(self.function)
        if self.model is None:
            value = func(**self.parameters, **self.settings)
        else:
            # Parameters the model's constructor takes build the model; the rest (e.g. a swept
            # frequency) are arguments of the computation, like the settings.
            model = resolve(self.model)
            accepted = inspect.signature(model).parameters
            for_model = {k: v for k, v in self.parameters.items() if k in accepted}
            for_func = {k: v for k, v in self.parameters.items() if k not in accepted}
            value = func(model(**for_model), **for_func, **self.settings)
        return _as_dataset(value)


def _as_dataset(value):
    import xarray as xr

    if isinstance(value, xr.Dataset):
        return value
    if hasattr(value, "to_dataset"):
        return value.to_dataset()
    if isinstance(value, Mapping):
        return xr.Dataset({k: (tuple(f"{k}_dim{i}" for i in range(np.ndim(v))), np.asarray(v)) for k, v in value.items()})
    if np.ndim(value) == 0 and np.isscalar(value):
        return xr.Dataset({"value": ((), value)})
    raise TypeError(
        f"a sweep function must return an xarray.Dataset, a result with to_dataset(), a mapping or a "
        f"number; got {type(value).__name__}"
    )


def _compute_point(point: SweepPoint):
    return point.compute()


def _grid_axes(grid: Mapping[str, Sequence]) -> dict[str, np.ndarray]:
    if not grid:
        raise ValueError("grid must name at least one parameter with a list of values")
    axes = {}
    for name, values in grid.items():
        values = np.atleast_1d(np.asarray(values))
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"grid[{name!r}] must be a non-empty 1-D list of values")
        if len(np.unique(values)) != values.size:
            raise ValueError(f"grid[{name!r}] has repeated values")
        axes[name] = values
    return axes


def _python_scalar(value):
    return value.item() if isinstance(value, np.generic) else value


def _executor_results(
    pending: list[SweepPoint], workers: int, scheduler: str | None
) -> Iterator[tuple[SweepPoint, Any]]:
    """Yield (point, dataset) as points complete, on the chosen executor."""
    if scheduler is not None:
        yield from _dask_results(pending, workers, scheduler)
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_compute_point, p): p for p in pending}
            try:
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield futures.pop(future), future.result()
            finally:
                for future in futures:
                    future.cancel()
    else:
        for point in pending:
            yield point, point.compute()


def _dask_results(pending, workers, scheduler):
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ValueError(
            "scheduler needs dask.distributed: pip install 'spincharge[distributed]'"
        ) from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        futures = client.map(_compute_point, pending, pure=False)
        index = {f.key: p for f, p in zip(futures, pending)}
        for future in as_completed(futures):
            yield index[future.key], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep(
    func: Callable | str,
    grid: Mapping[str, Sequence],
    *,
    parameters: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    model: Callable | str | None = None,
    store: ResultStore | str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
):
    """Evaluate ``func`` on every point of ``grid`` and return one labelled ``xarray.Dataset``.

    Parameters
    ----------
    func : callable or "module:name"
        A module-level function. Without ``model`` it is called as
        ``func(**point, **parameters, **settings)``; with ``model`` as
        ``func(model(**model_args), **other_args, **settings)``, where ``model_args`` are the point's and
        the fixed parameters that the model's constructor accepts and ``other_args`` the rest.
    grid : mapping of name -> 1-D sequence
        The swept parameters; the result has one dimension per entry, in this order.
    parameters : mapping, optional
        Fixed physical parameters (part of each point's identity in the store).
    settings : mapping, optional
        Numerical settings passed to ``func`` (also part of the identity).
    model : callable or "module:name", optional
        A model class built from the point's parameters, e.g. ``spincharge.models.TISurface``.
    store : ResultStore or path, optional
        Where points are stored; default ``ResultStore()`` (``$SPINCHARGE_RESULTS`` or
        ``./spincharge-results``).
    workers : int
        Local worker processes (1 = serial); with ``scheduler="local"`` the LocalCluster's size.
    scheduler : str, optional
        Address of a dask.distributed scheduler, or ``"local"`` to start a LocalCluster.
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    xarray.Dataset
        Variables of ``func``'s result with the grid dimensions first; attrs record the function,
        model, fixed parameters, settings and how many points were computed vs loaded.

    Raises
    ------
    SweepInterrupted
        On Ctrl-C; every point finished before it is stored, so calling ``sweep`` again resumes.
    """
    import xarray as xr
    from tqdm.auto import tqdm

    if not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    axes = _grid_axes(grid)
    parameters = dict(parameters or {})
    settings = dict(settings or {})
    clash = (set(axes) & set(parameters)) | (set(axes) & set(settings)) | (set(parameters) & set(settings))
    if clash:
        raise ValueError(f"names appear twice in grid/parameters/settings: {sorted(clash)}")
    store = store if isinstance(store, ResultStore) else ResultStore(store)
    function = _qualified_name(func)
    model_name = None if model is None else _qualified_name(model)
    resolve(function)  # fail early, in the caller, on a bad name
    if model_name is not None:
        resolve(model_name)

    points = [
        SweepPoint(
            function,
            model_name,
            {**{k: _python_scalar(v) for k, v in zip(axes, values)}, **parameters},
            settings,
        )
        for values in itertools.product(*axes.values())
    ]
    results: dict[int, Any] = {}
    pending = []
    for i, point in enumerate(points):
        ds = store.load(function, point.key())
        if ds is None:
            pending.append(point)
        else:
            results[i] = ds
    n_loaded = len(results)
    position = {p.key(): i for i, p in enumerate(points)}

    bar = tqdm(total=len(points), initial=n_loaded, desc=function, disable=not progress, unit="pt")
    try:
        for point, ds in _executor_results(pending, workers, scheduler):
            key = point.key()
            store.save(function, key, ds, {"model": model_name, **point.parameters}, settings)
            i = position[key]
            results[i] = ds
            bar.update()
    except KeyboardInterrupt:
        raise SweepInterrupted(
            f"sweep interrupted: {len(results)} of {len(points)} points are stored in {store.root}; "
            "run the same sweep again to compute only the rest"
        ) from None
    finally:
        bar.close()

    stacked = xr.concat(
        [results[i] for i in range(len(points))],
        dim="_point",
        coords="minimal",
        compat="override",
        combine_attrs="drop_conflicts",
    )
    index = xr.Coordinates.from_pandas_multiindex(_product_index(axes), "_point")
    out = stacked.assign_coords(index).unstack("_point")
    out = out.transpose(*axes, ...)
    out.attrs.update(
        function=function,
        model=model_name or "",
        parameters=repr(parameters),
        settings=repr(settings),
        points_computed=len(points) - n_loaded,
        points_loaded=n_loaded,
        store=str(store.root),
    )
    return out


def _product_index(axes: Mapping[str, Iterable]):
    import pandas as pd

    return pd.MultiIndex.from_product(list(axes.values()), names=list(axes))
