"""Spin textures around a vortex, h_eff = n gamma phi_hat (paper 003, Appendix E, Eq. S2)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spincharge.symmetry import (
    group_gamma,
    plot_vortex_spin_textures,
    texture_class_weights,
    vortex_spin_texture,
)
from spincharge.symmetry.vortex import spin_galvanic_torque, torque_exchange_field

PAULI = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])]


@given(
    arrays(float, (3, 3), elements=st.floats(-2, 2)),
    arrays(float, 3, elements=st.floats(-2, 2)),
    st.floats(0.05, 0.95),
)
def test_torque_of_eq_s5_couples_spin_to_the_first_index_of_gamma(gamma, phase_gradient, pair_amplitude):
    """Eq. (S5) evaluated with 4x4 matrices on a phase-twisted singlet g equals the analytic contraction
    gamma_lk sigma_l d_k g (spin index first): the vortex phase gradient n phi_hat / r acts as an exchange
    field along gamma phi_hat, not along gamma^T phi_hat as Eq. (S2) prints."""
    torque, g, dg = spin_galvanic_torque(gamma, phase_gradient, pair_amplitude=pair_amplitude)
    assert np.allclose(g @ g, np.eye(4))
    sigma = [np.kron(p, np.eye(2)) for p in PAULI]
    spin_first = sum(gamma[l, k] * sigma[l] @ dg[k] for l in range(3) for k in range(3))
    assert np.allclose(torque, spin_first, atol=1e-12)
    assert np.allclose(torque_exchange_field(gamma, phase_gradient, pair_amplitude=pair_amplitude),
                       gamma @ phase_gradient, atol=1e-12)  # fmt: skip


def test_eq_9_bracket_order_gives_no_torque_for_a_singlet():
    # printed Eq. (9): {[d_k g, g s_i g], s_j}; g s_i g = s_i commutes with the spin-independent d_k g
    rng = np.random.default_rng(4)
    torque, _, _ = spin_galvanic_torque(rng.normal(size=(3, 3)), rng.normal(size=3), equation="9")
    assert np.max(np.abs(torque)) < 1e-14
    gamma = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert not np.allclose(torque_exchange_field(gamma, [0.0, 1.0, 0.0]), gamma.T @ [0.0, 1.0, 0.0])


@pytest.mark.parametrize("vorticity", [1, -2])
def test_three_classes_closed_forms(vorticity):
    phi = vortex_spin_texture(np.eye(3), vorticity=vorticity).angles
    radial = np.stack([np.cos(phi), np.sin(phi), 0 * phi], axis=1)
    azimuthal = np.stack([-np.sin(phi), np.cos(phi), 0 * phi], axis=1)
    rashba = vortex_spin_texture(group_gamma("C4v", {"gamma_xy": 0.7}), vorticity=vorticity)
    assert np.allclose(rashba.field, vorticity * 0.7 * radial)  # outward for n gamma_xy > 0 (Appendix E)
    chiral = vortex_spin_texture(group_gamma("O", {"gamma_xx": 1.3}), vorticity=vorticity)
    assert np.allclose(chiral.field, vorticity * 1.3 * azimuthal)
    dresselhaus = vortex_spin_texture(group_gamma("D2d", {"gamma_xx": 1.0}), vorticity=vorticity)
    assert np.allclose(dresselhaus.field, vorticity * np.stack([-np.sin(phi), -np.cos(phi), 0 * phi], axis=1))
    assert (rashba.in_plane_winding, chiral.in_plane_winding, dresselhaus.in_plane_winding) == (1, 1, -1)
    assert np.allclose(rashba.current_spin_angle, -np.pi / 2)
    assert np.allclose(chiral.current_spin_angle, 0.0)
    assert np.ptp(np.unwrap(dresselhaus.current_spin_angle)) > np.pi  # angle changes continuously


@given(st.lists(st.floats(-2, 2), min_size=4, max_size=4), st.sampled_from([-1, 1, 2]))
def test_in_plane_winding_is_the_sign_of_the_block_determinant(entries, vorticity):
    block = np.array(entries).reshape(2, 2)
    determinant_sign = np.linalg.slogdet(block)[0]  # robust against underflow of tiny entries
    singular = np.linalg.svd(block, compute_uv=False)
    gamma = np.zeros((3, 3))
    gamma[:2, :2] = block
    texture = vortex_spin_texture(gamma, vorticity=vorticity, n_angles=8)  # coarse: the count is exact
    if singular[-1] > 1e-9 * singular[0]:
        assert texture.in_plane_winding == int(determinant_sign)
    elif singular[-1] == 0.0:
        assert texture.in_plane_winding == 0


def test_degenerate_in_plane_block_has_no_winding():
    gamma = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # in-plane field vanishes at phi = pi/4
    assert vortex_spin_texture(gamma).in_plane_winding == 0


def test_rashba_plus_chiral_gives_a_fixed_angle():
    # C4: gamma = a 1 + b (Rashba) in plane: the spin makes the constant angle -atan2(b, a) with the current
    texture = vortex_spin_texture(group_gamma("C4", {"gamma_xx": 0.8, "gamma_xy": 0.5}))
    assert np.allclose(texture.current_spin_angle, -np.arctan2(0.5, 0.8))


@pytest.mark.parametrize(
    "group, values, mean",
    [("C2v", {"gamma_xy": 1.0, "gamma_yx": -0.4}, -np.pi / 2), ("D2", {"gamma_xx": 1.0, "gamma_yy": 0.4}, 0.0)],
)
def test_mixtures_vary_around_the_average_of_the_dominant_class(group, values, mean):
    angle = vortex_spin_texture(group_gamma(group, values)).current_spin_angle
    assert np.isclose(np.angle(np.mean(np.exp(1j * angle))), mean, atol=1e-12)
    assert np.ptp(angle) > 0.1


def test_class_weights_decompose_the_block():
    weights = texture_class_weights(np.array([[1.0, 3.0, 0], [1.0, 0.0, 0], [0, 0, 5.0]]))
    # rashba (3-1)/2, chiral (1+0)/2, dresselhaus |((1-0)/2, (3+1)/2)|
    assert weights == pytest.approx({"Rashba-like": 1.0, "chiral": 0.5, "Dresselhaus-like": np.hypot(0.5, 2.0)})


def test_bad_input_and_non_gyrotropic_groups_raise():
    with pytest.raises(ValueError, match="vorticity"):
        vortex_spin_texture(np.eye(3), vorticity=0)
    with pytest.raises(ValueError, match="gamma"):
        vortex_spin_texture(np.eye(2))
    with pytest.raises(ValueError, match="n_angles"):
        vortex_spin_texture(np.eye(3), n_angles=3)
    with pytest.raises(ValueError, match="not gyrotropic"):
        group_gamma("Td")
    with pytest.raises(ValueError, match="pair_amplitude"):
        spin_galvanic_torque(np.eye(3), np.ones(3), pair_amplitude=1.0)
    with pytest.raises(ValueError, match="equation"):
        spin_galvanic_torque(np.eye(3), np.ones(3), equation="S4")


def test_figure_has_one_panel_per_group():
    import matplotlib.pyplot as plt

    figure = plot_vortex_spin_textures(("C4v", "O", "D2d", "Cs"), values={"O": {"gamma_xx": -1.0}})
    panels = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title().split()[0] for ax in panels] == ["C4v", "O", "D2d", "Cs"]
    assert "winding -1" in panels[2].get_title()
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in panels)
    assert "dimensionless" in figure.axes[-1].get_ylabel()  # the colour bar
    assert [t.get_text() for t in figure.legends[0].get_texts()][0] == "vortex core"
    plt.close(figure)
