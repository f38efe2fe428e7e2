import logging

import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

import spincharge
from spincharge.store import ResultStore, atomic_to_netcdf, content_key


def sample_dataset():
    return xr.Dataset(
        {"chi": ((), 0.5), "K": (("q",), np.array([1 + 2j, -0.5j])), "g": (("q",), [0.1, 0.2])},
        coords={"q": [0.0, 0.1]},
        attrs={"note": "sample"},
    )


def test_round_trip_keeps_values_complex_numbers_and_provenance(tmp_path):
    store = ResultStore(tmp_path)
    ds = store.get_or_compute("pkg:func", {"mu": 1.0}, {"n": 10}, sample_dataset)
    loaded = ResultStore(tmp_path).load("pkg:func", content_key("pkg:func", {"mu": 1.0}, {"n": 10}))
    xr.testing.assert_equal(loaded, sample_dataset())
    assert loaded.K.dtype == np.complex128
    assert loaded.attrs["spincharge_version"] == spincharge.__version__
    assert loaded.attrs["spincharge_function"] == "pkg:func"
    assert '"mu": "1.0"' in loaded.attrs["spincharge_parameters"]
    xr.testing.assert_identical(ds, loaded)  # fresh and loaded results look the same


def test_repeated_request_loads_instead_of_recomputing(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return sample_dataset()

    store = ResultStore(tmp_path)
    for _ in range(3):
        store.get_or_compute("f", {"a": 1}, {}, compute)
    assert len(calls) == 1
    store.get_or_compute("f", {"a": 2}, {}, compute)
    assert len(calls) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "drop_checksum", "garbage"])
def test_damaged_file_is_reported_and_recomputed(tmp_path, caplog, damage):
    store = ResultStore(tmp_path)
    store.get_or_compute("f", {"a": 1}, {}, sample_dataset)
    path = store.path("f", content_key("f", {"a": 1}, {}))
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        path.write_bytes(data[:-20] + bytes([data[-20] ^ 0xFF]) + data[-19:])
    elif damage == "drop_checksum":
        path.with_name(path.name + ".sha256").unlink()
    else:
        path.write_bytes(b"not a netcdf file")
    calls = []

    def compute():
        calls.append(1)
        return sample_dataset()

    with caplog.at_level(logging.WARNING, logger="spincharge.store"):
        ds = store.get_or_compute("f", {"a": 1}, {}, compute)
    assert calls == [1]
    assert "corrupt result" in caplog.text
    assert float(ds.chi) == 0.5


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "out.nc"

    def explode(self, path, **kwargs):
        open(path, "wb").write(b"half a fi")
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", explode)
    with pytest.raises(OSError, match="disk full"):
        atomic_to_netcdf(sample_dataset(), target)
    assert list(tmp_path.iterdir()) == []


def test_root_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINCHARGE_RESULTS", str(tmp_path / "env-root"))
    assert ResultStore().root == tmp_path / "env-root"
    monkeypatch.delenv("SPINCHARGE_RESULTS")
    assert ResultStore().root.name == "spincharge-results"


params = st.dictionaries(st.sampled_from("abcdef"), st.floats(allow_nan=False) | st.integers() | st.text(max_size=3))


@given(params, params)
def test_key_depends_on_content_not_order(p, s):
    assert content_key("f", p, s) == content_key("f", dict(reversed(list(p.items()))), s)
    assert content_key("f", p, s) != content_key("g", p, s)
    if p != s:
        assert content_key("f", p, s) != content_key("f", s, p)


def test_key_distinguishes_close_floats():
    assert content_key("f", {"x": 0.1}, {}) != content_key("f", {"x": 0.1 + 1e-16}, {})
