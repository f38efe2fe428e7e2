"""Allowed forms of the tensors of paper 003 (Eqs. 4-6) under the 32 point groups."""

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from spincharge.symmetry import (
    TENSORS,
    TensorSpec,
    allowed_form,
    invariant_count,
    point_group,
    point_group_names,
    representation,
    rotation,
    texture_classes,
    transform,
)
from spincharge.symmetry.textbook import GYROTROPIC_CLASSES, PIEZOELECTRIC_CLASSES, PIEZOELECTRIC_MODULI, POLAR_CLASSES

# textbook lists typed by name (spincharge/symmetry/textbook.py): independent of the projection

# symmetric true rank-2 tensor (conductivity, D): components by crystal system
SYMMETRIC_SECOND_RANK = {**dict.fromkeys(["C1", "Ci"], 6), **dict.fromkeys(["C2", "Cs", "C2h"], 4),
                         **dict.fromkeys(["D2", "C2v", "D2h"], 3), **dict.fromkeys(["T", "Th", "O", "Td", "Oh"], 1)}  # fmt: skip
GROUPS = point_group_names()


def _matrix(rows):
    return sympy.ImmutableMatrix(rows)


def test_rank2_pseudotensors_exactly_in_the_18_gyrotropic_classes():
    for tensor in ("gamma", "alpha"):
        allowed = {g for g in GROUPS if allowed_form(g, tensor).is_allowed}
        assert allowed == GYROTROPIC_CLASSES and len(allowed) == 18


def test_beta_exactly_in_the_20_piezoelectric_classes_with_textbook_moduli_counts():
    allowed = {g for g in GROUPS if allowed_form(g, "beta").is_allowed}
    assert allowed == PIEZOELECTRIC_CLASSES and len(allowed) == 20
    for name, count in PIEZOELECTRIC_MODULI.items():
        assert allowed_form(name, "beta").dimension == count


def test_antisymmetric_part_of_gamma_exactly_in_the_10_polar_classes():
    # the antisymmetric part of a rank-2 pseudotensor is dual to a polar vector
    with_antisymmetric = {g for g in GROUPS
                          if any(np.abs(b - b.T).max() > 1e-9 for b in allowed_form(g, "gamma").basis)}  # fmt: skip
    assert with_antisymmetric == POLAR_CLASSES


def test_symmetric_true_tensors_follow_the_crystal_systems():
    for name in GROUPS:
        uniaxial = name not in SYMMETRIC_SECOND_RANK
        for tensor in ("D", "Gamma", "chi"):
            form = allowed_form(name, tensor)
            assert form.dimension == (2 if uniaxial else SYMMETRIC_SECOND_RANK[name])
            assert all(np.allclose(b, b.T) for b in form.basis)
    d = sympy.Symbol("D_xx", real=True)
    assert allowed_form("Oh", "D").matrix == d * sympy.eye(3)


def test_isotropic_spin_hall_and_swapping_survive_full_symmetry():
    # Eq. (1): theta eps_ijk sigma_i d_j d_k = theta delta_il eps_ljk: theta_il = theta 1 in O_h
    for tensor in ("theta", "kappa"):
        symbol = sympy.Symbol(f"{tensor}_xx", real=True)
        assert allowed_form("Oh", tensor).matrix == symbol * sympy.eye(3)
        assert all(allowed_form(g, tensor).is_allowed for g in GROUPS)


@pytest.mark.parametrize("name", ["C3v", "C4v", "C6v"])
def test_rashba_groups_allow_only_antisymmetric_gamma(name):
    g = sympy.Symbol("gamma_xy", real=True)
    assert allowed_form(name, "gamma").matrix == _matrix([[0, g, 0], [-g, 0, 0], [0, 0, 0]])
    assert texture_classes(name) == ("Rashba-like",)


@pytest.mark.parametrize("name", ["T", "O", "D3", "D4", "D6"])
def test_chiral_groups(name):
    xx, zz = sympy.symbols("gamma_xx gamma_zz", real=True)
    expected = xx * sympy.eye(3) if name in ("T", "O") else _matrix([[xx, 0, 0], [0, xx, 0], [0, 0, zz]])
    assert allowed_form(name, "gamma").matrix == expected
    assert texture_classes(name) == ("chiral",)


def test_dresselhaus_groups_in_the_setting_with_two_fold_axes_x_and_y():
    xx, xy = sympy.symbols("gamma_xx gamma_xy", real=True)
    assert allowed_form("D2d", "gamma").matrix == _matrix([[xx, 0, 0], [0, -xx, 0], [0, 0, 0]])
    assert allowed_form("S4", "gamma").matrix == _matrix([[xx, xy, 0], [xy, -xx, 0], [0, 0, 0]])
    assert texture_classes("D2d") == texture_classes("S4") == ("Dresselhaus-like",)
    # Appendix E: rotating the axes by pi/4 turns gamma_xx = -gamma_yy into gamma_xy = gamma_yx
    diagonal = point_group("D2d").rotated(rotation((0, 0, 1), 8))
    assert allowed_form(diagonal, "gamma").matrix == _matrix([[0, xy, 0], [xy, 0, 0], [0, 0, 0]])


def test_appendix_e_mixtures():
    assert {g: texture_classes(g) for g in ("C3", "C4", "C6", "Cs", "C2v", "D2", "C1", "C2")} == {
        **dict.fromkeys(("C3", "C4", "C6"), ("Rashba-like", "chiral")),
        **dict.fromkeys(("Cs", "C2v"), ("Rashba-like", "Dresselhaus-like")),
        "D2": ("chiral", "Dresselhaus-like"),
        **dict.fromkeys(("C1", "C2"), ("Rashba-like", "chiral", "Dresselhaus-like")),
    }
    xy, yx = sympy.symbols("gamma_xy gamma_yx", real=True)
    assert allowed_form("C2v", "gamma").matrix == _matrix([[0, xy, 0], [yx, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("tensor", sorted(TENSORS))
def test_dimension_equals_character_count_for_every_group(tensor):
    for name in GROUPS:
        assert allowed_form(name, tensor).dimension == invariant_count(name, tensor)


@given(st.sampled_from(GROUPS), st.sampled_from(sorted(TENSORS)), st.data())
def test_every_allowed_tensor_is_invariant_under_every_element(name, tensor, data):
    form = allowed_form(name, tensor)
    values = {p: data.draw(st.floats(-3, 3), label=p) for p in form.parameters}
    t = form.evaluate(values)
    for element in point_group(name).elements:
        assert np.allclose(transform(tensor, element, t), t, atol=1e-12)
    assert form.invariance_residual < 1e-12


@given(st.sampled_from(GROUPS), st.sampled_from(sorted(TENSORS)),
       st.lists(st.floats(-1, 1), min_size=3, max_size=3), st.floats(0.1, 3.0))  # fmt: skip
def test_forms_rotate_with_the_setting(name, tensor, axis, angle_order):
    axis = np.array(axis) + np.array([0.0, 0.0, 1e-3])
    frame = rotation(axis, 2 * np.pi / angle_order)
    form = allowed_form(name, tensor)
    rotated = allowed_form(point_group(name).rotated(frame), tensor)
    assert rotated.dimension == form.dimension
    if form.dimension:
        moved = np.array([transform(tensor, frame, b).ravel() for b in form.basis])
        span = rotated.basis.reshape(rotated.dimension, -1)
        coefficients, *_ = np.linalg.lstsq(span.T, moved.T, rcond=None)
        assert np.allclose(span.T @ coefficients, moved.T, atol=1e-8)


def test_pseudotensors_pick_up_the_determinant():
    inversion = -np.eye(3)
    assert np.allclose(representation("gamma", inversion), -np.eye(9))
    assert np.allclose(representation("theta", inversion), np.eye(9))
    assert np.allclose(representation("beta", inversion), -np.eye(27))
    assert [TENSORS[t].is_pseudotensor for t in ("D", "Gamma", "alpha", "gamma", "theta", "kappa", "beta")] == [
        False, False, True, True, False, False, False]  # fmt: skip


def test_rank3_matrix_is_voigt_and_evaluate_checks_names():
    form = allowed_form("Td", "beta")
    b = sympy.Symbol("beta_xyz", real=True)
    assert form.matrix == _matrix([[0, 0, 0]] * 3 + [[b, 0, 0], [0, b, 0], [0, 0, b]])
    tensor = form.evaluate({"beta_xyz": 2.0})
    assert tensor[0, 1, 2] == tensor[1, 0, 2] == tensor[2, 0, 1] == 2.0
    with pytest.raises(ValueError, match="beta_xyz"):
        form.evaluate({"beta_xxx": 1.0})
    assert allowed_form("Oh", "gamma").evaluate({}).shape == (3, 3)
    assert allowed_form("Oh", "gamma").matrix == sympy.zeros(3, 3)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="tensor must be one of"):
        allowed_form("C4v", "delta")
    with pytest.raises(ValueError, match="tolerance"):
        allowed_form("C4v", "gamma", tolerance=0.5)
    with pytest.raises(ValueError, match="indices"):
        TensorSpec("x", ("charge",), None, "")
    with pytest.raises(ValueError, match="symmetric_pair"):
        TensorSpec("x", ("spin", "gradient"), (0, 1), "")


def test_result_converts_to_dataset():
    ds = allowed_form("C4v", "gamma").to_dataset()
    assert ds["basis"].shape == (1, 3, 3) and ds.attrs["group"] == "C4v"
