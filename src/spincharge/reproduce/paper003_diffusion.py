"""Paper 003, Appendix D: normal-state spin-charge diffusion (Eqs. S10-S13) in devices.

Beyond the paper's equations: the solvers of :mod:`spincharge.diffusion` applied to the devices
spintronics groups measure (nonlocal Hanle curve, spin Hall magnetoresistance), each against its
closed form, and the Appendix D statements checked by computation.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import simpson

from ..diffusion.equations import currents
from ..diffusion.modal import (
    InjectedCurrent,
    Insulating,
    Layer,
    MagneticInsulator,
    Ohmic,
    TunnelContact,
    solve_layers,
)
from ..diffusion.literature import nonlocal_hanle_resistance, spin_hall_magnetoresistance
from ..materials import Material
from .figures import legend_with_styles
from .framework import Claim, ReproduceContext, Section

PAPER = "003"
TITLE = "Spin-charge diffusion devices (Appendix D, Eqs. S10-S13): Hanle, SMR, Edelstein, reciprocity"


def _claim(statement, computed, holds, tolerance):
    return Claim(PAPER, statement, computed, bool(holds), tolerance, source=__name__)


def _hanle(ctx, section, quick):
    """Nonlocal spin valve: injector and detector (P = 0.3, m = x) at distance L, field along z."""
    import matplotlib.pyplot as plt

    lam, d, p = 1.0, 1.0, 0.3
    omegas = np.linspace(-6, 6, 25 if quick else 61)
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    worst = 0.0
    for separation, colour in ((0.5, "C0"), (1.5, "C1"), (3.0, "C2")):
        computed = []
        for omega in omegas:
            material = Material(D=d, Gamma=d / lam**2, h=(0, 0, omega / 2))  # spins precess at 2 |h|
            injector = TunnelContact(1e-6, p, (1, 0, 0), current=1.0)
            detector = TunnelContact(1e-6, p, (1, 0, 0), current=0.0)
            sol = solve_layers([Layer(material, 40.0)], axis="x", left=Ohmic(0.0), right=Insulating(),
                               contacts=[(20.0, injector), (20.0 + separation, detector)], points_per_layer=2)  # fmt: skip
            computed.append(sol.terminal_potential[3] - sol.terminal_potential[1])
        closed = nonlocal_hanle_resistance(separation, spin_diffusion_length=lam, diffusion=d, larmor_frequency=omegas,
                                           polarization=p)  # fmt: skip
        worst = max(worst, float(np.max(np.abs(np.array(computed) - closed)) / np.max(np.abs(closed))))
        fine = np.linspace(omegas[0], omegas[-1], 400)
        ax.plot(fine, nonlocal_hanle_resistance(separation, spin_diffusion_length=lam, diffusion=d,
                                                larmor_frequency=fine, polarization=p), "-", color=colour,
                label=f"L = {separation} lambda_s")  # fmt: skip
        ax.plot(omegas, computed, "o", ms=3, color=colour)
        ctx.progress(0.2 * (separation / 3.0))
    ax.set_xlabel("Larmor frequency omega_L tau_s (dimensionless)")
    ax.set_ylabel("R_NL (lambda_s / D per unit cross-section)")
    legend_with_styles(ax, [("-", "Jedema et al., Eq. (2)"), ("o", "exact layered solver")], loc="upper right")
    section.figures.append(ctx.save_figure(fig, "paper003_diffusion_hanle", (
        "Nonlocal Hanle curve of a 1D spin valve (tunnel contacts, P = 0.3, injector and detector along x, field "
        "along z): exact layered solver (dots) and Jedema et al., Nature 416, 713 (2002), Eq. (2) (lines).")))  # fmt: skip
    section.claims.append(_claim(
        "Beyond the paper: Eqs. (S11)-(S13) with a Zeeman precession reproduce the nonlocal Hanle curve of Jedema et al.",
        f"max |R_NL(solver) - R_NL(closed form)| / max |R_NL| = {worst:.1e} over {len(omegas)} fields and L/lambda = "
        "0.5, 1.5, 3 (contact conductance 1e-6 D/lambda)",
        worst < 1e-4, "relative deviation < 1e-4 (finite contact conductance)"))  # fmt: skip


def _smr(ctx, section, quick):
    """Spin Hall magnetoresistance of a film on a magnetic insulator vs thickness."""
    import matplotlib.pyplot as plt

    lam, d, theta, mixing = 1.0, 1.0, 0.1, 2.0 + 0.5j
    material = Material(D=d, Gamma=d / lam**2, theta=theta)
    thicknesses = np.geomspace(0.1, 10, 12 if quick else 30)
    directions = {"m = x": (1, 0, 0), "m = y": (0, 1, 0), "m = z": (0, 0, 1)}
    computed = {name: [] for name in directions}
    closed_forms = {}
    worst = 0.0
    for name, m in directions.items():
        for thick in thicknesses:
            sol = solve_layers([Layer(material, thick)], axis="z", right=MagneticInsulator(m, mixing),
                               grad_mu_in_plane=(1.0, 0, 0), reference_potential=0.0, points_per_layer=401)  # fmt: skip
            j0 = -d
            jx = simpson(sol.current[:, 0], x=sol.s) / thick
            computed[name].append(-(jx - j0) / j0)
        closed = closed_forms[name] = spin_hall_magnetoresistance(
            thicknesses, spin_diffusion_length=lam, diffusion=d, spin_hall_angle=theta, mixing_conductance=mixing,
            magnetization=m)[0]  # fmt: skip
        worst = max(worst, float(np.max(np.abs(np.array(computed[name]) - closed) / np.abs(closed))))
        ctx.progress(0.2 + 0.3 * (list(directions).index(name) + 1) / 3)
    amplitude = np.array(computed["m = x"]) - np.array(computed["m = y"])
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    # m = x and m = z give the same rho_xx (it depends on m_y^2 only): distinct markers and line styles keep both visible
    styles = {"m = x": ("o", "-", 5), "m = y": ("s", "-", 3), "m = z": ("x", "--", 5)}
    for name, colour in zip(directions, ("C0", "C1", "C2")):
        marker, line, size = styles[name]
        axes[0].semilogx(thicknesses, np.array(computed[name]) / theta**2, marker, ms=size, color=colour, mfc="none",
                         label=f"solver, {name}")  # fmt: skip
        axes[0].semilogx(thicknesses, closed_forms[name] / theta**2, line, color=colour, label=f"Chen et al., {name}")
    axes[0].set_xlabel("film thickness d / lambda_s")
    axes[0].set_ylabel("(rho_xx - rho) / (rho theta^2) (dimensionless)")
    axes[0].legend(fontsize=7, title="m = x and m = z coincide", title_fontsize=7)
    axes[1].semilogx(thicknesses, amplitude / theta**2, "o", ms=3, label="solver: rho(m=x) - rho(m=y)")
    axes[1].semilogx(thicknesses, (closed_forms["m = x"] - closed_forms["m = y"]) / theta**2, "-", color="C0",
                     label="Chen et al.")  # fmt: skip
    axes[1].set_xlabel("film thickness d / lambda_s")
    axes[1].set_ylabel("SMR amplitude / (rho theta^2) (dimensionless)")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    section.figures.append(ctx.save_figure(fig, "paper003_diffusion_smr", (
        "Spin Hall magnetoresistance of a film on a magnetic insulator (lambda_s = 1, theta_SH = 0.1, "
        "G = (2 + 0.5 i) D/lambda): exact layered solver (dots) against Chen et al., PRB 87, 144411 (2013) (lines).")))  # fmt: skip
    peak = thicknesses[np.argmax(amplitude)]
    section.claims.append(_claim(
        "Beyond the paper: Eqs. (S11)-(S13) with a magnetic-insulator boundary reproduce the SMR of Chen et al.",
        f"max relative deviation {worst:.1e} over {len(thicknesses)} thicknesses and three m; SMR amplitude maximal at "
        f"d = {peak:.2f} lambda", worst < 1e-5, "relative deviation < 1e-5"))  # fmt: skip


def _conductance_matrix(equations: str, h, m):
    """3-terminal conductance G_ij = dI_i/dV_j of a two-layer channel with a ferromagnetic contact."""
    gamma = [[0, 0.25, 0], [-0.25, 0, 0], [0, 0, 0]]
    layers = [Layer(Material(D=1.0, Gamma=0.5, h=h, gamma=gamma), 1.0), Layer(Material(D=2.0, Gamma=0.3, h=0.5 * h), 0.7)]
    matrix = np.zeros((3, 3))
    for j in range(3):
        v = np.eye(3)[j]
        sol = solve_layers(layers, axis="x", left=Ohmic(v[0]), right=Ohmic(v[1]), points_per_layer=2, equations=equations,
                           contacts=[(0.5, TunnelContact(0.8, 0.4, m, potential=v[2]))])  # fmt: skip
        matrix[:, j] = sol.terminal_current
    return matrix


def _reciprocity(section):
    h, m = np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])
    errors = {}
    for equations in ("onsager", "printed"):
        forward, backward = _conductance_matrix(equations, h, m), _conductance_matrix(equations, -h, -m)
        errors[equations] = float(np.max(np.abs(forward - backward.T)))
    section.claims.append(_claim(
        "Eqs. (S11)-(S12) as printed: the spin generation +gamma_lm d_m mu and the spin-galvanic current +gamma_ik S^i "
        "with the same sign",
        "Onsager-Casimir G_ij(h, m) = G_ji(-h, -m) of a 3-terminal channel with a ferromagnetic contact: max deviation "
        + ", ".join(f"{v:.1e} ({k} sign)" for k, v in errors.items())
        + "; spincharge uses the reciprocal sign (docs/conventions.md)",
        errors["printed"] < 1e-10, "reciprocity to 1e-10"))  # fmt: skip


def _appendix_statements(section):
    rng = np.random.default_rng(3)
    # spin Hall current perpendicular to the gradient, for any theta tensor
    theta = rng.normal(size=(3, 3))
    material = Material(D=1.0, Gamma=1.0, theta=theta)
    gradients = rng.normal(size=(20, 3))
    _, spin_current = currents(material, gradients, np.zeros((20, 3)), np.zeros((20, 3, 3)))
    parallel = np.max(np.abs(np.einsum("nk,nkl->nl", gradients, spin_current)))
    section.claims.append(_claim(
        "Appendix D: the spin Hall current is perpendicular to the gradient (theta_jki antisymmetric in i, k)",
        f"max |grad mu . j_l| = {parallel:.1e} for a random theta tensor and 20 random gradients (|j| ~ 1)",
        parallel < 1e-12, "< 1e-12"))  # fmt: skip
    # isotropic Gamma: relaxation rate Gamma_0 / 3, from the decay length of injected spin
    gamma0, d = 0.9, 1.0
    sol = solve_layers([Layer(Material(D=d, Gamma=gamma0 / 3), 30.0)], axis="x", right=Ohmic(0.0),
                       left=InjectedCurrent(0.0, (0, 0, 1.0)))  # fmt: skip
    window = (sol.s > 2) & (sol.s < 10)
    slope = -np.polyfit(sol.s[window], np.log(sol.spin[window, 2]), 1)[0]
    rate = d * slope**2
    section.claims.append(_claim(
        "Appendix D: for isotropic Gamma = Gamma_0 1 / 3 the relaxation torque reduces to -Gamma_0 S / 3",
        f"Gamma = {gamma0 / 3:.2f} x 1 (Gamma_0 = Tr Gamma = {gamma0:.2f}): injected spin decays at the rate "
        f"D / lambda^2 = {rate:.8f} (log-slope fit), Gamma_0 / 3 = {gamma0 / 3:.8f}",
        abs(rate - gamma0 / 3) < 1e-6, "|rate - Gamma_0/3| < 1e-6"))  # fmt: skip


def _edelstein_directions(section):
    """Spin of a uniform current along x and y: the directions each point group allows (Eq. 12)."""
    groups = {
        "C4v": {"gamma_xy": 0.3},
        "D2d": {"gamma_xx": 0.3},
        "C3v": {"gamma_xy": 0.3},
        "T": {"gamma_xx": 0.3},
    }
    lines, ok = [], True
    expected = {"C4v": "perpendicular", "C3v": "perpendicular", "D2d": "mirrored", "T": "parallel"}
    for group, params in groups.items():
        diag = {k: 1.0 for k in ("D_xx", "Gamma_xx")}
        material = Material.from_point_group(group, **diag, **{k: v for k, v in params.items()},
                                             **({"D_zz": 1.0, "Gamma_zz": 1.2} if group != "T" else {}))  # fmt: skip
        spins = []
        for direction in ((1.0, 0, 0), (0, 1.0, 0)):
            sol = solve_layers([Layer(material, 1.0)], axis="z", grad_mu_in_plane=direction, reference_potential=0.0,
                               points_per_layer=2)  # fmt: skip
            spins.append(sol.spin[0] / np.linalg.norm(sol.spin[0]))
        sx, sy = spins
        kind = ("parallel" if abs(sx[0]) > 0.999 and abs(sy[1]) > 0.999 and np.sign(sx[0]) == np.sign(sy[1]) else
                "perpendicular" if abs(sx[1]) > 0.999 and abs(sy[0]) > 0.999 and np.sign(sx[1]) != np.sign(sy[0]) else
                "mirrored" if abs(sx[0]) > 0.999 and abs(sy[1]) > 0.999 else "other")  # fmt: skip
        ok &= kind == expected[group]
        lines.append(f"{group}: grad mu = x -> S = ({sx[0]:+.2f}, {sx[1]:+.2f}, {sx[2]:+.2f}), "
                     f"y -> ({sy[0]:+.2f}, {sy[1]:+.2f}, {sy[2]:+.2f}) [{kind}]")  # fmt: skip
    section.claims.append(_claim(
        "Appendix D / E: a current gives spin perpendicular to it in C4v and C3v (Rashba-like), parallel in T "
        "(chiral), and mirrored (S_x for j_x, -S_y for j_y) in D2d (Dresselhaus-like)",
        "; ".join(lines), ok, "unit spin directions to 1e-3 from the layered solver"))  # fmt: skip


def _device_maps(ctx, section, quick):
    """Finite-element maps: spin Hall accumulation of a Hall bar, and the Edelstein spin of C4v vs D2d bars."""
    import matplotlib.pyplot as plt

    from ..diffusion import Contact, Device, hall_bar, plot_map, rectangle, solve

    h = 0.12 if quick else 0.06
    metal = Material(D=1.0, Gamma=1.0, theta=0.1)  # lambda = 1
    bar = hall_bar(metal, 10.0, 2.0, arm_width=1.0, arm_length=1.5, arm_positions=(0.5,), h=h)
    contacts = [Contact("source", "left", potential=5.0), Contact("drain", "right", potential=-5.0)]
    hall = solve(Device(bar, contacts))
    # across the bar's middle: S_z = -theta E lambda sinh(y/lambda)/cosh(w/2 lambda) sign-wise (strip formula)
    middle = np.abs(hall.coordinates[:, 0] - 2.5) < h / 2
    y, sz = hall.coordinates[middle, 1], np.real(hall.S[2, middle])
    inside = np.abs(y) <= 1.0
    closed = 0.1 * 1.0 * np.sinh(y[inside]) / np.cosh(1.0)
    deviation = float(np.max(np.abs(np.abs(sz[inside]) - np.abs(closed))) / np.max(np.abs(closed)))
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.6))
    # spin in units of e E lambda_s, E = the mean field (potential drop / bar length): 10 / 10 on the Hall bar
    plot_map(hall, "S_z", ax=axes[0], label="S_z / (e E lambda_s) (dimensionless)")
    axes[0].set_title("Hall bar: spin Hall S_z\n(theta = 0.1; arrows: charge current)", fontsize=9)
    maps = {}
    for ax, (group, params) in zip(axes[1:], (("C4v", {"gamma_xy": 0.3}), ("D2d", {"gamma_xx": 0.3}))):
        material = Material.from_point_group(group, D_xx=1.0, D_zz=1.0, Gamma_xx=1.0, Gamma_zz=1.2, **params)
        length, drain = 6.0, -3.0
        result = solve(Device(rectangle(material, length, 2.0, h=2 * h), contacts[:1] + [Contact("drain", "right", potential=drain)]))
        maps[group] = result
        component = "S_y" if group == "C4v" else "S_x"
        plot_map(result, component, ax=ax, scale=(contacts[0].potential - drain) / length,
                 label=f"{component} / (e E lambda_s) (dimensionless)")  # fmt: skip
        ax.set_title(f"{group}: Edelstein spin {component}\nof a current along x", fontsize=9)
    for ax in axes:
        ax.set_xlabel("x / lambda_s")
        ax.set_ylabel("y / lambda_s")
    fig.tight_layout()
    section.figures.append(ctx.save_figure(fig, "paper003_diffusion_maps", (
        "Finite elements (P1): spin Hall accumulation of a Hall bar (left) and the Edelstein spin of a current "
        "along x in a C4v (perpendicular, S_y) and a D2d (parallel, S_x) bar; spin accumulation in units of e E lambda_s, "
        "E the mean field (potential drop / length: 10/10 and 8/6; D = lambda_s = 1, contacts: spin-sink reservoirs "
        "at the ends).")))  # fmt: skip
    centre = {g: np.real(r.S[:, np.argmin(np.hypot(r.coordinates[:, 0] - 3.0, r.coordinates[:, 1]))])
              for g, r in maps.items()}  # fmt: skip
    section.claims.append(_claim(
        "Beyond the paper: the finite elements give the spin Hall accumulation across a bar (Dyakonov-Perel strip "
        "formula away from contacts and arms) and the Edelstein spin of C4v (S perpendicular to j) and D2d (S "
        "parallel to j along x)",
        f"|S_z(y)| at x = 2.5 vs theta E lambda sinh(y/lambda)/cosh(w/2 lambda): max deviation {deviation:.1e} of the "
        f"edge value; bar centres: C4v S = ({centre['C4v'][0]:+.4f}, {centre['C4v'][1]:+.4f}, {centre['C4v'][2]:+.4f}), "
        f"D2d S = ({centre['D2d'][0]:+.4f}, {centre['D2d'][1]:+.4f}, {centre['D2d'][2]:+.4f})",
        deviation < 0.05 and abs(centre["C4v"][0]) < 1e-3 * abs(centre["C4v"][1])
        and abs(centre["D2d"][1]) < 1e-3 * abs(centre["D2d"][0]),
        "strip formula within 5% (finite bar, P1 mesh); the other in-plane component < 1e-3 of the allowed one"))


def reproduce(ctx: ReproduceContext) -> Section:
    section = Section(PAPER, TITLE)
    _hanle(ctx, section, ctx.quick)
    _smr(ctx, section, ctx.quick)
    _reciprocity(section)
    ctx.progress(0.8)
    _appendix_statements(section)
    _edelstein_directions(section)
    _device_maps(ctx, section, ctx.quick)
    section.notes.append(
        "Exact layered 1D solver (matrix exponentials on pieces, spincharge.diffusion.modal); units: D = lambda = 1, "
        "conductances in D/lambda. The Edelstein (spin-generation) term has the Onsager-consistent sign, opposite to "
        "Eq. (S11) as printed (docs/conventions.md)."
    )
    return section
