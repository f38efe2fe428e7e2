"""The 32 crystallographic point groups: closure, orders, determinants, names, settings."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spincharge.symmetry import PointGroup, close_group, mirror, point_group, point_group_names, rotation
from spincharge.symmetry.textbook import CENTROSYMMETRIC_CLASSES

# Textbook facts (International Tables for Crystallography, Vol. A, Ch. 10), typed by name.
ORDERS = {
    "C1": 1, "Ci": 2, "C2": 2, "Cs": 2, "C2h": 4, "D2": 4, "C2v": 4, "D2h": 8,
    "C4": 4, "S4": 4, "C4h": 8, "D4": 8, "C4v": 8, "D2d": 8, "D4h": 16,
    "C3": 3, "C3i": 6, "D3": 6, "C3v": 6, "D3d": 12,
    "C6": 6, "C3h": 6, "C6h": 12, "D6": 12, "C6v": 12, "D3h": 12, "D6h": 24,
    "T": 12, "Th": 24, "O": 24, "Td": 24, "Oh": 48,
}  # fmt: skip
HERMANN_MAUGUIN = {
    "C1": "1", "Ci": "-1", "C2": "2", "Cs": "m", "C2h": "2/m", "D2": "222", "C2v": "mm2", "D2h": "mmm",
    "C4": "4", "S4": "-4", "C4h": "4/m", "D4": "422", "C4v": "4mm", "D2d": "-42m", "D4h": "4/mmm",
    "C3": "3", "C3i": "-3", "D3": "32", "C3v": "3m", "D3d": "-3m",
    "C6": "6", "C3h": "-6", "C6h": "6/m", "D6": "622", "C6v": "6mm", "D3h": "-6m2", "D6h": "6/mmm",
    "T": "23", "Th": "m-3", "O": "432", "Td": "-43m", "Oh": "m-3m",
}  # fmt: skip
PROPER = {"C1", "C2", "D2", "C4", "D4", "C3", "D3", "C6", "D6", "T", "O"}  # the 11 enantiomorphic classes


def _contains(elements, matrix):
    return np.any(np.max(np.abs(elements - matrix), axis=(1, 2)) < 1e-9)


def test_there_are_32_groups_with_textbook_names_and_orders():
    assert set(point_group_names()) == set(ORDERS)
    for name, order in ORDERS.items():
        group = point_group(name)
        assert group.order == order
        assert group.hermann_mauguin == HERMANN_MAUGUIN[name]
        assert point_group(HERMANN_MAUGUIN[name]) is group


@pytest.mark.parametrize("name", sorted(ORDERS))
def test_group_axioms_closure_inverse_identity_orthogonality(name):
    elements = point_group(name).elements
    assert np.allclose(elements[0], np.eye(3))
    assert np.allclose(np.einsum("gij,gkj->gik", elements, elements), np.eye(3))
    for a in elements:
        assert _contains(elements, a.T)  # inverse
        for b in elements:
            assert _contains(elements, a @ b)  # closure
    distinct = {tuple(np.round(e, 6).ravel()) for e in elements}
    assert len(distinct) == len(elements)  # no duplicates


@pytest.mark.parametrize("name", sorted(ORDERS))
def test_determinant_signs(name):
    group = point_group(name)
    determinants = np.linalg.det(group.elements)
    assert np.allclose(np.abs(determinants), 1.0)
    proper = int(np.sum(group.determinants == 1))
    # proper groups: all det +1; the others: the proper rotations are an index-2 subgroup
    assert proper == (group.order if name in PROPER else group.order // 2)
    assert group.is_centrosymmetric == (name in CENTROSYMMETRIC_CLASSES)


def test_aliases_and_case():
    for alias, target in {"C1v": "Cs", "C1h": "Cs", "S2": "Ci", "S6": "C3i", "Vd": "D2d", "V": "D2",
                          "m3m": "Oh", "-4 2 m": "D2d", "c4v": "C4v", "OH": "Oh"}.items():  # fmt: skip
        assert point_group(alias) is point_group(target)
    assert point_group(point_group("D3")) is point_group("D3")


def test_unknown_name_lists_accepted_names():
    with pytest.raises(ValueError, match=r"C4v \(4mm\).*D2d \(-42m\).*C1v = Cs"):
        point_group("C5v")


def test_settings_of_the_documented_convention():
    # D2d: two-fold axes x and y, diagonal mirrors; C4v, C2v: mirrors with normals x and y; Cs: normal y
    d2d = point_group("D2d").symmetry_elements()
    assert {"2-fold axis [1, 0, 0]", "2-fold axis [0, 1, 0]", "-4 axis [0, 0, 1]"} <= set(d2d)
    assert "mirror, normal [1/sqrt(2), 1/sqrt(2), 0]" in d2d and "mirror, normal [1, 0, 0]" not in d2d
    assert {"mirror, normal [1, 0, 0]", "mirror, normal [0, 1, 0]"} <= set(point_group("C4v").symmetry_elements())
    assert point_group("Cs").symmetry_elements() == ("mirror, normal [0, 1, 0]",)
    assert "2-fold axis [1, 0, 0]" in point_group("D3").symmetry_elements()
    assert "3-fold axis [1/sqrt(3), 1/sqrt(3), 1/sqrt(3)]" in point_group("T").symmetry_elements()


@pytest.mark.parametrize(
    "small, large",
    [("C4v", "D4h"), ("D2d", "D4h"), ("D2d", "Td"), ("C3v", "D3h"), ("C3v", "C6v"), ("D3", "D6"),
     ("C2v", "C4v"), ("D2", "D2d"), ("T", "O"), ("Td", "Oh"), ("D4h", "Oh"), ("C3v", "D3d"), ("D3", "D3d"),
     ("3m1", "-3m1"), ("321", "-3m1"), ("3m1", "-6m2"), ("31m", "-31m"), ("312", "-31m"), ("31m", "-62m"),
     ("321", "-62m"), ("31m", "6mm"), ("-62m", "6/mmm")],
)  # fmt: skip
def test_subgroup_relations_are_consistent_across_settings(small, large):
    big = point_group(large).elements
    assert all(_contains(big, g) for g in point_group(small).elements)


# International Tables, Vol. A, Table 10.1.2.2 (hexagonal axes, a1 = x, a2 at 120 degrees): the symbol
# position after the 3 (or -6) refers to the a1 directions, the next one to the directions normal to them.
TRIGONAL_SETTINGS = {
    "321": ("D3", [rotation((1, 0, 0), 2)]), "312": ("D3", [rotation((0, 1, 0), 2)]),
    "3m1": ("C3v", [mirror((1, 0, 0))]), "31m": ("C3v", [mirror((0, 1, 0))]),
    "-3m1": ("D3d", [rotation((1, 0, 0), 2), mirror((1, 0, 0))]),
    "-31m": ("D3d", [rotation((0, 1, 0), 2), mirror((0, 1, 0))]),
    "-6m2": ("D3h", [mirror((1, 0, 0)), rotation((0, 1, 0), 2)]),
    "-62m": ("D3h", [rotation((1, 0, 0), 2), mirror((0, 1, 0))]),
}  # fmt: skip


@pytest.mark.parametrize("symbol", sorted(TRIGONAL_SETTINGS))
def test_trigonal_settings_have_their_elements_where_the_symbol_puts_them(symbol):
    schoenflies, elements = TRIGONAL_SETTINGS[symbol]
    group = point_group(symbol)
    assert group.name == schoenflies
    assert all(_contains(group.elements, g) for g in elements)
    # the other setting (rotated by 90 degrees about z) is a different set of matrices
    quarter = rotation((0, 0, 1), 4)
    assert not any(_contains(group.elements, quarter @ g @ quarter.T) for g in elements)


def test_default_trigonal_names_are_the_first_settings():
    for short, full in (("32", "321"), ("3m", "3m1"), ("-3m", "-3m1"), ("C3v", "3m1"), ("D3h", "-6m2")):
        assert np.array_equal(point_group(short).elements, point_group(full).elements)
    assert point_group("-62m") is not point_group("-6m2")


def test_bad_generators_raise():
    with pytest.raises(ValueError, match="orthogonal"):
        close_group([2 * np.eye(3)])
    with pytest.raises(ValueError, match="max_order"):
        close_group([rotation((0, 0, 1), 7) @ rotation((1, 0, 0), 5)])
    with pytest.raises(ValueError, match="order"):
        rotation((0, 0, 1), 0)


def test_mirror_and_rotation_primitives():
    assert np.allclose(mirror((0, 0, 2)), np.diag([1, 1, -1]))
    assert np.allclose(rotation((0, 0, 1), 4) @ [1, 0, 0], [0, 1, 0])  # right-handed


@given(st.sampled_from(sorted(ORDERS)), st.lists(st.floats(-1, 1), min_size=4, max_size=4))
def test_rotated_setting_is_a_group_of_the_same_order(name, quaternion):
    q = np.array(quaternion) + np.array([1e-3, 0, 0, 0])
    q /= np.linalg.norm(q)
    w, x, y, z = q
    frame = np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                      [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                      [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])  # fmt: skip
    group = point_group(name)
    rotated = group.rotated(frame)
    regenerated = PointGroup.from_generators(rotated.elements[1:] if group.order > 1 else [])
    assert regenerated.order == group.order
    assert np.array_equal(np.sort(rotated.determinants), np.sort(group.determinants))
