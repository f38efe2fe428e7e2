"""Result objects: labelled datasets (coordinates, units, settings) that round-trip through the store."""

import numpy as np
import pytest
import xarray as xr

from spincharge.diffusive import (
    diffusive_spin_density,
    fermi_sea_hall_conductivity,
    gilbert_damping,
    spin_correlator,
    ward_identity,
)
from spincharge.lattice import RashbaLattice, SquareSystem, exact_observables
from spincharge.magnetoelectric import coefficients
from spincharge.models import DiracFerromagnet, TISurface
from spincharge.store import ResultStore
from spincharge.symmetry import allowed_form
from spincharge.textures import Grid, Texture
from spincharge.usadel import bcs_gap, vortex

LATTICE = RashbaLattice(mass=0.5, mu=1.3, v=0.6, delta=0.5, spacing=0.5)
MAGNET = DiracFerromagnet(v=1.0, fermi_energy=1.0, exchange=0.4, m=(0.0, 0.0, 1.0), disorder_alpha=0.01)


def _result_classes():
    import dataclasses
    import importlib
    import pkgutil

    import spincharge
    from spincharge.results import Result

    for info in pkgutil.walk_packages(spincharge.__path__, "spincharge."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found, todo = [], [Result]
    while todo:
        for cls in todo.pop().__subclasses__():
            found.append(cls)
            todo.append(cls)
    return [cls for cls in found if dataclasses.is_dataclass(cls)]


def test_every_array_field_of_every_result_class_names_its_dimensions():
    """Statically, for all Result classes of the package: no array field falls back to ``<field>_dim<i>``."""
    import dataclasses

    undeclared = {
        cls.__qualname__: names
        for cls in _result_classes()
        if isinstance(cls._dims, dict)  # AllowedForm declares its dimensions per instance (a property)
        and (names := [f.name for f in dataclasses.fields(cls) if "ndarray" in str(f.type)
                       and f.name not in cls._dims and f.name not in cls._attrs])  # fmt: skip
    }
    assert len(_result_classes()) > 30 and undeclared == {}


@pytest.fixture(scope="module")
def results():
    field = np.zeros((4, 6, 5, 2))
    field[..., 0] = np.sin(2 * np.pi * np.arange(6) / 6)[None, :, None]
    return {
        "vortex": vortex(0.5, points=200),
        "gap_array": bcs_gap([0.3, 0.5, 0.9]),
        "gap_scalar": bcs_gap(0.5),
        "gamma_form": allowed_form("C4v", "gamma"),
        "beta_form": allowed_form("C3v", "beta"),
        "coefficients": coefficients(TISurface(v=1.0, mu=1.0, delta=0.3)),
        "correlator": spin_correlator(MAGNET, q=(0.01, 0.0), omega=1e-4),
        "gilbert": gilbert_damping(MAGNET),
        "fermi_sea": fermi_sea_hall_conductivity(MAGNET),
        "spin_density": diffusive_spin_density(MAGNET, field, dx=0.5, dy=0.25, dt=0.1),
        "ward": ward_identity(MAGNET, quadrature_order=8),
        "lattice": exact_observables(SquareSystem(LATTICE, np.zeros((3, 3, 4)))),
    }


def test_every_result_round_trips_through_the_store_unchanged(results, tmp_path):
    store = ResultStore(tmp_path)
    for key, result in results.items():
        ds = result.to_dataset()
        assert ds.attrs["result"] == type(result).__name__
        assert not [d for d in ds.dims if "_dim" in d], (key, list(ds.dims))  # every dimension is named
        store.save("results", key, ds, {}, {})
        back = store.load("results", key)
        back.attrs = {k: v for k, v in back.attrs.items() if not k.startswith("spincharge_")}
        xr.testing.assert_identical(ds, back)


def test_vortex_comes_back_on_r_with_units_and_settings(results):
    result = results["vortex"]
    ds = result.to_dataset()
    assert np.array_equal(ds["r"].values, result.r) and ds["r"].attrs["units"] == "xi(T)"
    assert ds["current"].dims == ("r",) and "sigma_N" in ds["current"].attrs["units"]
    assert ds["triplet"].dims == ("triplet_component", "frequency", "r")
    assert np.array_equal(ds["frequency"].values, result.frequencies)
    assert ds.attrs["points"] == result.points and ds.attrs["equations"] == result.equations
    # selection by coordinate works as a user expects: the value at r = r[k]
    k = len(result.r) // 3
    assert float(ds["current"].sel(r=result.r[k])) == result.current[k]


def test_scalar_and_array_inputs_give_scalar_and_labelled_datasets(results):
    assert results["gap_scalar"].to_dataset()["gap"].dims == ()
    ds = results["gap_array"].to_dataset()
    assert ds["gap"].dims == ("t",) and ds["t"].values.tolist() == [0.3, 0.5, 0.9]


def test_tensor_forms_are_labelled_by_parameter_and_cartesian_indices(results):
    ds = results["gamma_form"].to_dataset()
    assert ds["parameter"].values.tolist() == list(results["gamma_form"].parameters)
    assert ds["basis"].dims == ("parameter", "index0", "index1")
    basis = ds["basis"].sel(parameter="gamma_xy")
    assert float(basis.sel(index0="x", index1="y")) == 1.0 and float(basis.sel(index0="y", index1="x")) == -1.0
    assert results["beta_form"].to_dataset()["basis"].dims == ("parameter", "index0", "index1", "index2")


def test_grids_implicit_in_the_settings_become_coordinates(results):
    ds = results["spin_density"].to_dataset()
    assert ds["spin_density"].dims == ("t", "x", "y")
    assert np.allclose(ds["t"], 0.1 * np.arange(4)) and np.allclose(ds["y"], 0.25 * np.arange(5))
    k = results["correlator"].to_dataset()
    assert k["matrix"].sel(a="x", b="y").item() == results["correlator"].matrix[0, 1]
    assert k["matrix"].attrs["units"] == "e^2 / h"


def test_dictionary_fields_become_named_variables_and_attributes(results):
    result = results["coefficients"]
    ds = result.to_dataset()
    assert float(ds["error_chi"]) == result.error["chi"]
    assert float(ds["parts_chi_I"]) == result.parts["chi_I"]
    assert all(f"settings_{k}" in ds.attrs for k in result.settings)


def test_results_print_a_readable_summary(results):
    text = str(results["gap_scalar"])
    assert text.startswith("BCSGap\n") and "np.float64" not in text
    assert any(line.split() == ["gap", "=", repr(float(results['gap_scalar'].gap)), "[Delta0]"] for line in text.splitlines())
    assert "array(201,) from 0 to 40 [xi(T)]" in str(results["vortex"])


def test_a_texture_comes_back_on_x_and_y_and_round_trips(tmp_path):
    texture = Texture.neel_skyrmion(Grid.square(16, 20.0), radius=4.0, wall_width=1.0)
    ds = texture.to_dataset()
    assert ds["M_z"].dims == ("y", "x") and np.array_equal(ds["x"], texture.grid.x)
    iy, ix = 3, 11
    assert float(ds["M_z"].sel(x=texture.grid.x[ix], y=texture.grid.y[iy])) == texture.mz[iy, ix]
    store = ResultStore(tmp_path)
    store.save("texture", "k", ds, {}, {})
    back = store.load("texture", "k")
    back.attrs = {k: v for k, v in back.attrs.items() if not k.startswith("spincharge_")}
    xr.testing.assert_identical(ds, back)


def test_lattice_maps_come_back_on_x_and_y_with_units(results):
    ds = results["lattice"].to_dataset()
    assert ds["spin"].dims == ("component", "y", "x") and ds["current_x"].attrs["units"] == "e E0/(hbar L0)"
    assert ds["x"].values.tolist() == [0.0, 0.5, 1.0, 1.5] and ds["y"].values.tolist() == [0.0, 0.5, 1.0]
    assert results["ward"].to_dataset()["gamma"].dims == ("a4",)
