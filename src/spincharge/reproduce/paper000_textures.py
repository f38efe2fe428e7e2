"""Paper 000, Eqs. (2)-(3) and Fig. 1(c): currents and spin densities induced by magnetization textures.

A Neel skyrmion on a TI surface (coefficients from ``spincharge.magnetoelectric.coefficients``, the
numeric evaluation of paper 000, Eqs. 6-9) and the diode set-up of Fig. 1(c), in SI units for a
Bi2Se3-like surface (v = 5e5 m/s, mu = 10 meV, exchange amplitude 1 meV). The claims are checked on the
computed fields: the rotationally symmetric forms quoted after Eq. (3), div J = 0, the stream-function
law for the current through a cut, spectral vs closed-form derivatives, and J = e v z_hat x S on a TI.
"""

from __future__ import annotations

import numpy as np

from .framework import Claim, ReproduceContext, Section

PAPER = "000"
TITLE = "Texture-induced currents and spin densities (Eqs. 2-3, Fig. 1(c))"

_SOURCE = __name__


def _claim(statement: str, computed: str, holds: bool, tolerance: str) -> Claim:
    return Claim(PAPER, statement, computed, bool(holds), tolerance, _SOURCE)


def _radial_projections(response, texture):
    """(J . phi_hat, S . rho_hat, dM_z/d rho) at the grid points off the core, dM_z/d rho from the
    texture's closed-form Jacobian."""
    X, Y = texture.grid.mesh()
    rho = np.hypot(X, Y)
    off_core = rho > 0
    rho_hat = np.stack([X[off_core], Y[off_core]]) / rho[off_core]
    j_phi = -response.J_x.values[off_core] * rho_hat[1] + response.J_y.values[off_core] * rho_hat[0]
    s_rho = response.S_x.values[off_core] * rho_hat[0] + response.S_y.values[off_core] * rho_hat[1]
    dmz = np.einsum("ap,ap->p", texture.jacobian[2][:, off_core], rho_hat)
    return j_phi, s_rho, dmz


def reproduce(ctx: ReproduceContext) -> Section:
    from scipy.integrate import simpson

    from ..magnetoelectric import coefficients, induced_response
    from ..models import TISurface
    from ..textures import Grid, Texture, gradient
    from ..textures.plotting import plot_current_streamlines, plot_diode_current, plot_spin_arrows
    from ..units import UnitSystem

    section = Section(PAPER, TITLE)
    # internal units: E0 = 10 meV = mu, L0 = hbar v / E0 (v = 5e5 m/s, about 33 nm)
    units = UnitSystem.from_velocity(energy_eV=0.01, velocity_m_s=5e5)
    model = TISurface(v=1.0, mu=1.0, delta=0.0)
    coefficient = coefficients(model)
    chi, g_spin = coefficient.chi, coefficient.g_spin
    section.notes.append(
        f"TI surface v = 5e5 m/s, mu = 10 meV, Delta = 0 (E0 = 10 meV, L0 = {units.length_m * 1e9:.1f} nm): "
        f"numeric chi = {chi:.10f} e/hbar = {units.to_si(chi, 'chi'):.4e} A/J, g_spin = {g_spin:.10f} "
        f"(= {units.to_si(g_spin, 'g_spin'):.4e} 1/(J m)). Exchange amplitude M0 = 0.1 E0 = 1 meV."
    )

    n = 256  # cheap (about a second); quick runs keep it, the claims' tolerances need it
    amplitude, radius, width = 0.1, 2.0, 0.6
    grid = Grid.square(n, 16 * radius)
    skyrmion = Texture.neel_skyrmion(grid, radius=radius, wall_width=width, amplitude=amplitude)
    response = induced_response(skyrmion, coefficient, derivative="spectral")
    exact = induced_response(skyrmion, coefficient, derivative="analytic")

    # the rotationally symmetric forms quoted after Eq. (3)
    j_phi, s_rho, dmz = _radial_projections(response, skyrmion)
    scale = np.abs(dmz).max()
    j_deviation = np.abs(j_phi - chi * dmz).max() / (abs(chi) * scale)
    section.claims.append(
        _claim(
            "Rotationally symmetric M_z(rho): J(rho) = chi M_z'(rho) theta_hat (text after Eq. 3), "
            "from J = -chi curl(z_hat M_z) (Eq. 2)",
            f"max|J_phi - chi M_z'| / max|chi M_z'| = {j_deviation:.1e} (Neel skyrmion, spectral grad)",
            j_deviation < 1e-6,
            "relative 1e-6; M_z' from the profile's closed form",
        )
    )
    ratio = np.sum(s_rho * dmz) / (g_spin * np.sum(dmz * dmz))
    section.claims.append(
        _claim(
            "Rotationally symmetric M_z(rho): S = -g_spin M_z'(rho) rho_hat (text after Eq. 3)",
            f"S_rho / (g_spin M_z') = {ratio:+.6f}: Eq. (3), S = g_spin grad M_z, and the supplement's energy "
            "g_spin int M_z div M with Eq. (1) give +g_spin M_z' rho_hat; the text's sign is a slip "
            "(TI: chi = e v g_spin also needs the + sign)",
            abs(ratio + 1) < 1e-6,
            "ratio -1 within 1e-6",
        )
    )

    current = np.stack([response.J_x.values, response.J_y.values])
    derivative, _ = gradient(current, grid, derivative="spectral")
    divergence = np.abs(derivative[0, 0] + derivative[1, 1]).max() * grid.spacing[0] / np.abs(current).max()
    section.claims.append(
        _claim(
            "J = -chi curl(z_hat M_z) (Eq. 2) is divergence-free: no charge piles up around a texture",
            f"max|div J| h / max|J| = {divergence:.1e} (spectral, {n}x{n} grid)",
            divergence < 1e-12,
            "1e-12 (rounding)",
        )
    )

    spectral_error = max(
        float(np.abs(response[name] - exact[name]).max() / np.abs(exact[name]).max())
        for name in ("J_x", "J_y", "S_x", "S_y", "S_z")
    )
    section.claims.append(
        _claim(
            "Spectral derivatives of the gridded skyrmion reproduce the closed-form J and S",
            f"max relative deviation {spectral_error:.1e}; spectral error estimate "
            f"{response.attrs['J_error'] / np.abs(exact.J_x).max().item():.1e}",
            spectral_error < 1e-6,
            "relative 1e-6",
        )
    )

    row, centre = grid.ny // 2, grid.nx // 2
    half = slice(centre, None)
    through_cut = simpson(response.J_y.values[row, half], x=grid.x[half])
    stream = chi * (skyrmion.mz[row, -1] - skyrmion.mz[row, centre])
    section.claims.append(
        _claim(
            "chi M_z is the stream function of J (Eq. 2): the current through a radial cut is "
            "chi [M_z(inf) - M_z(0)] = 2 chi M0, independent of the profile",
            f"int J_y dx over x > 0 = {through_cut:.10f}, 2 chi M0 = {2 * chi * amplitude:.10f}",
            abs(through_cut - stream) < 1e-5 * abs(stream) and abs(stream - 2 * chi * amplitude) < 1e-12,
            "relative 1e-5 (Simpson's rule on the grid, h = w/4.8)",
        )
    )

    cross = np.stack([-response.S_y.values, response.S_x.values])
    ti_deviation = np.abs(current - model.v * cross).max() / np.abs(current).max()
    section.claims.append(
        _claim(
            "TI surface: in-plane M enters as (M_x + e v A_y, M_y - e v A_x) (supplement Sec. B), so "
            "J = e v z_hat x S for every texture; with chi = e v g_spin (Fig. 1 caption) Eqs. (2)-(3) must agree",
            f"max|J - v z_hat x S| / max|J| = {ti_deviation:.1e} with the numeric chi, g_spin",
            ti_deviation < 1e-8,
            "relative 1e-8 (accuracy of the coefficients)",
        )
    )

    slope = 0.01  # dM_z/dy in E0/L0: 1 meV over 330 nm
    diode_grid = Grid(32, 41, 20.0, 20.0, periodic=(True, False))
    diode = induced_response(
        Texture.out_of_plane_gradient(diode_grid, gradient=(0.0, slope)), coefficient, units=units
    )
    expected = float(units.to_si(-chi * slope, "sheet_current_density"))
    diode_deviation = max(
        float(np.abs(diode.J_x - expected).max()) / abs(expected), float(np.abs(diode.J_y).max()) / abs(expected)
    )
    section.claims.append(
        _claim(
            "Fig. 1(c): a uniform gradient of M_z along y drives a uniform current along x, J_x = -chi dM_z/dy",
            f"J_x = {float(diode.J_x.mean()):.4e} A/m (expected {expected:.4e}); max deviation {diode_deviation:.1e}",
            diode_deviation < 1e-10,
            "relative 1e-10",
        )
    )

    view = dict(x=slice(-4 * radius * units.length_m, 4 * radius * units.length_m))
    view["y"] = view["x"]
    si_response = induced_response(skyrmion, coefficient, derivative="spectral", units=units).sel(**view)
    section.figures.append(
        ctx.save_figure(
            plot_current_streamlines(si_response),
            "paper000_skyrmion_current",
            "Neel skyrmion (R = 66 nm, wall width 20 nm, M0 = 1 meV) on a TI surface (v = 5e5 m/s, "
            "mu = 10 meV, Delta = 0): current J = -chi curl(z_hat M_z) (paper 000, Eq. 2) circulating in the wall, "
            "over M_z.",
        )
    )
    section.figures.append(
        ctx.save_figure(
            plot_spin_arrows(si_response),
            "paper000_skyrmion_spin",
            "Same skyrmion: in-plane spin density S = g_spin grad M_z (paper 000, Eq. 3), radial in the wall.",
        )
    )
    section.figures.append(
        ctx.save_figure(
            plot_diode_current(diode),
            "paper000_diode_current",
            "Diode set-up of paper 000, Fig. 1(c): M_z rising along y (1 meV per 330 nm) drives a uniform "
            "current along x.",
        )
    )
    return section
