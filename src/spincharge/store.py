"""Content-keyed results store: xarray Datasets as netCDF files, written atomically.

Every dataset is saved under ``<root>/<function>/<key>.nc`` where ``key`` is the SHA-256 of the
function name, its parameters and its numerical settings (canonical JSON). The file's own SHA-256 is
stored beside it (``<key>.nc.sha256``) and checked on every load, so a truncated or corrupted file is
reported and recomputed, never returned as data. Writes go to a temporary file in the same directory
and are moved into place with :func:`os.replace`, so no reader ever sees half a file.

The root is, in order: the ``root`` argument, the ``SPINCHARGE_RESULTS`` environment variable, or
``./spincharge-results``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ResultStore", "atomic_to_netcdf", "atomic_write_text", "content_key", "default_root", "CorruptResultError"]

ENV_VAR = "SPINCHARGE_RESULTS"
DEFAULT_DIR = "spincharge-results"
_COMPLEX_TAG = "spincharge_complex"

log = logging.getLogger(__name__)


class CorruptResultError(RuntimeError):
    """A stored file failed its checksum or could not be decoded."""


def default_root() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def _canonical(value: Any) -> Any:
    """JSON-able canonical form: numpy scalars/arrays to lists, floats via repr (exact), sorted keys."""
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return _canonical(value.tolist())
    if isinstance(value, (np.generic,)):
        return _canonical(value.item())
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, complex):
        return [repr(value.real), repr(value.imag)]
    return repr(value)


def content_key(function: str, parameters: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """SHA-256 hex digest identifying a computation by what it is, not when it ran."""
    payload = json.dumps(
        {"function": function, "parameters": _canonical(parameters), "settings": _canonical(settings)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _encode_complex(ds):
    """netCDF has no complex type: store z as real and imaginary variables, tagged for decoding."""
    out = ds.copy()
    for name in list(ds.data_vars):
        if np.iscomplexobj(ds[name].values):
            var = ds[name]
            out = out.drop_vars(name)
            out[f"{name}__real"] = var.real.assign_attrs({**var.attrs, _COMPLEX_TAG: name})
            out[f"{name}__imag"] = var.imag.assign_attrs({**var.attrs, _COMPLEX_TAG: name})
    return out


def _decode_complex(ds):
    for name in list(ds.data_vars):
        if name.endswith("__real") and _COMPLEX_TAG in ds[name].attrs:
            base = ds[name].attrs[_COMPLEX_TAG]
            attrs = {k: v for k, v in ds[name].attrs.items() if k != _COMPLEX_TAG}
            value = ds[name] + 1j * ds[f"{base}__imag"]
            value.attrs = attrs  # binary ops may carry the tagged attrs over: replace, not update
            ds = ds.drop_vars([name, f"{base}__imag"])
            ds[base] = value
    return ds


def _netcdf_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """netCDF attributes must be str, numbers or 1-D numeric arrays; anything else goes to JSON."""
    clean = {}
    for k, v in attrs.items():
        if isinstance(v, (str, int, float, np.integer, np.floating)) and not isinstance(v, bool):
            clean[k] = v
        else:
            clean[k] = json.dumps(_canonical(v))
    return clean


def _provenance(function: str, key: str, parameters: Mapping[str, Any], settings: Mapping[str, Any]):
    import spincharge

    return {
        "spincharge_function": function,
        "spincharge_key": key,
        "spincharge_version": spincharge.__version__,
        "spincharge_parameters": json.dumps(_canonical(parameters)),
        "spincharge_settings": json.dumps(_canonical(settings)),
    }


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same directory and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def atomic_to_netcdf(ds, path: str | os.PathLike) -> str:
    """Write ``ds`` to ``path`` via a temporary file in the same directory; return the file's SHA-256.

    Complex variables are split into real and imaginary parts (netCDF has no complex type).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        ds = _encode_complex(ds)
        ds.attrs = _netcdf_attrs(ds.attrs)
        for var in ds.variables.values():
            var.attrs = _netcdf_attrs(var.attrs)
        ds.to_netcdf(tmp, engine="netcdf4")
        digest = _file_digest(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


class ResultStore:
    """An embedded, file-based, content-addressed store of xarray Datasets.

    Parameters
    ----------
    root : path, optional
        Results directory. Defaults to ``$SPINCHARGE_RESULTS`` or ``./spincharge-results``.
    """

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root) if root is not None else default_root()

    def path(self, function: str, key: str) -> Path:
        return self.root / function.replace(":", ".").replace("/", ".") / f"{key}.nc"

    def load(self, function: str, key: str):
        """Return the stored Dataset, or ``None`` if absent. Corrupt files are reported and removed."""
        import xarray as xr

        path = self.path(function, key)
        digest_path = path.with_name(path.name + ".sha256")
        if not path.exists():
            return None
        try:
            if not digest_path.exists():
                raise CorruptResultError("checksum file missing")
            if digest_path.read_text().strip() != _file_digest(path):
                raise CorruptResultError("checksum mismatch (truncated or modified file)")
            with xr.open_dataset(path, engine="netcdf4") as ds:
                loaded = _decode_complex(ds.load())
        except (CorruptResultError, OSError, ValueError) as err:
            log.warning("corrupt result %s (%s): removed, will recompute", path, err)
            path.unlink(missing_ok=True)
            digest_path.unlink(missing_ok=True)
            return None
        return loaded

    def save(self, function: str, key: str, ds, parameters: Mapping[str, Any], settings: Mapping[str, Any]):
        """Write ``ds`` atomically with provenance attributes; return the dataset as stored."""
        ds = ds.assign_attrs(_provenance(function, key, parameters, settings))
        path = self.path(function, key)
        # Data first, checksum last: a crash in between leaves a file without checksum, which load()
        # treats as corrupt and recomputes.
        digest = atomic_to_netcdf(ds, path)
        atomic_write_text(path.with_name(path.name + ".sha256"), digest + "\n")
        return ds

    def get_or_compute(
        self,
        function: str,
        parameters: Mapping[str, Any],
        settings: Mapping[str, Any],
        compute: Callable[[], Any],
    ):
        """Load the dataset for this (function, parameters, settings), computing and saving it if absent.

        ``compute`` returns an ``xarray.Dataset`` or an object with ``to_dataset()``.
        """
        key = content_key(function, parameters, settings)
        ds = self.load(function, key)
        if ds is not None:
            return ds
        result = compute()
        ds = result.to_dataset() if hasattr(result, "to_dataset") else result
        return self.save(function, key, ds, parameters, settings)
