"""Time-dependent drives of ``solve_transient`` (issue 9, item 2): contact potentials and injected currents
as functions of t. Witnesses: the time-harmonic solver (long-time response to a sinusoid, amplitude and
phase), the diffusion kernel of a spin injected from t = 0 (step response with relaxation and
precession), and the time-step order of Crank-Nicolson and backward Euler."""

import numpy as np
import pytest
from scipy.integrate import quad

from spincharge.diffusion import Contact, Device, rectangle, segment, solve, solve_transient
from spincharge.materials import Material

OMEGA = np.pi / 2  # period 4


def _harmonic_error(transient, harmonic, terminal):
    """Deviation at the last time T from Re[i X e^{-i omega T}], the response to sin(omega t) = Re[i e^{-i omega t}]."""
    phase = 1j * np.exp(-1j * OMEGA * transient.t[-1])
    spin = np.abs(transient.S[-1] - (phase * harmonic.S).real).max() / np.abs(harmonic.S).max()
    mu = np.abs(transient.mu[-1] - (phase * harmonic.mu).real).max() / np.abs(harmonic.mu).max()
    index = harmonic.terminal.index(terminal)
    current = abs(transient.terminal_current[-1, index] - (phase * harmonic.terminal_current[index]).real)
    return max(spin, mu), current / abs(harmonic.terminal_current[index])


def test_sinusoidal_contact_potential_settles_on_the_time_harmonic_response():
    """A spin Hall strip (theta = 0.2) whose source contact is driven at V(t) = sin(omega t): after four
    periods (every transient decays by e^-39) the fields and the source current equal the time-harmonic
    solution's amplitude and phase. Crank-Nicolson at second order: field errors 1.31e-4, 3.26e-5 for
    dt = 0.05, 0.025 (ratio 4.00), source current 3.5e-4, 8.9e-5 (the charging term M du/dt included);
    backward Euler first order (1.67e-2, 8.4e-3: ratio 1.99)."""
    metal = Material(D=1.0, Gamma=2.0, theta=0.2)
    device = Device(rectangle(metal, 2.0, 0.5, h=0.1), [Contact("s", "left", potential=1.0), Contact("d", "right", potential=0.0)])
    harmonic = solve(device, omega=OMEGA)
    drive = {"s": lambda t: np.sin(OMEGA * t)}
    errors = {}
    for method in ("crank-nicolson", "backward-euler"):
        errors[method] = [_harmonic_error(solve_transient(device, t_end=16.0, dt=dt, method=method, drives=drive,
                                                          save_every=1000), harmonic, "s")
                          for dt in (0.05, 0.025)]  # fmt: skip
    (field_coarse, current_coarse), (field_fine, current_fine) = errors["crank-nicolson"]
    assert field_fine < 4e-5 and 3.8 < field_coarse / field_fine < 4.2
    assert current_fine < 2e-4 and 3.5 < current_coarse / current_fine < 4.5
    (field_coarse, _), (field_fine, _) = errors["backward-euler"]
    assert 1.8 < field_coarse / field_fine < 2.2


def test_sinusoidal_injected_current_of_a_ferromagnetic_contact_matches_the_time_harmonic_spin():
    """A current I(t) = sin(omega t) through a ferromagnetic tunnel injector (P = 0.4, G = 0.5) on a channel
    with a field: the injector's potential is algebraic (no capacitance) and holds at every step (no
    Crank-Nicolson ringing); the
    fields and the floating detector's potential follow the time-harmonic solution."""
    metal = Material(D=1.0, Gamma=1.0, h=(0.4, 0, 0))
    channel = segment(metal, 3.0, 150, points=(1.0,))  # slowest charge mode e^{-(pi/6)^2 t}: e^-16 at t = 60
    contacts = [Contact("inj", "left", current=1.0, conductance=0.5, polarization=0.4),
                Contact("det", (1.0, 1.0), conductance=0.5, polarization=0.4), Contact("g", "right", potential=0.0)]  # fmt: skip
    device = Device(channel, contacts)
    harmonic = solve(device, omega=OMEGA)
    errors = []
    for dt in (0.04, 0.02):
        transient = solve_transient(device, t_end=60.0, dt=dt, drives={"inj": lambda t: np.sin(OMEGA * t)}, save_every=10**4)
        phase = 1j * np.exp(-1j * OMEGA * transient.t[-1])
        potentials = [abs(transient.terminal_potential[-1, k] - (phase * harmonic.terminal_potential[k]).real)
                      / abs(harmonic.terminal_potential[k]) for k in (0, 1)]  # fmt: skip
        errors.append([_harmonic_error(transient, harmonic, "inj")[0], *potentials])
    errors = np.array(errors)  # measured fields 1.48e-4, 3.70e-5; injector 3.5e-5, 8.8e-6; detector 3.3e-4, 8.1e-5
    assert np.all(errors[1] < [5e-5, 1.5e-5, 1.2e-4]) and np.all((3.7 < errors[0] / errors[1]) & (errors[0] / errors[1] < 4.3))


def _spin_injected_at_t0(x, t, polarization, larmor):
    """Half line x > 0 fed with spin current P (along z) from t = 0, field along x (precession at omega_L):
    the image of the free diffusion kernel, S_z - i S_y = P int_0^t 2 e^{-x^2/4s - s} e^{-i omega_L s} /
    sqrt(4 pi s) ds (D = tau_s = 1), by quadrature."""
    kernel = lambda s, f: 2 * np.exp(-(x**2) / (4 * s) - s) * f(larmor * s) / np.sqrt(4 * np.pi * s)  # noqa: E731
    s_z = polarization * quad(kernel, 0, t, args=(np.cos,), limit=200)[0]
    s_y = -polarization * quad(kernel, 0, t, args=(np.sin,), limit=200)[0]
    return s_z, s_y


def test_step_in_the_injected_current_builds_the_spin_of_the_diffusion_kernel():
    """A weak ferromagnetic injector (G = 1e-6, P = 0.5, m along z) at the end of a long channel (12 lambda)
    switched on at t = 0 (``lambda t: 1.0``: the drive at t = 0 is part of the consistent start) with a field
    along x: S_z and S_y at x = 0, 0.5, 1 and t = 0.5 .. 2 follow the kernel (relaxation and precession).
    Crank-Nicolson with two backward-Euler start steps: 1.7e-4, 4.4e-5 for dt = 0.02, 0.01 (second order);
    without them the stiff modes of the step survive at x = 0 (errors of a few 1e-3, changing sign)."""
    larmor, polarization = 1.2, 0.5
    metal = Material(D=1.0, Gamma=1.0, h=(larmor / 2, 0, 0))
    contacts = [Contact("inj", "left", current=0.0, conductance=1e-6, polarization=polarization),
                Contact("g", "right", potential=0.0)]  # fmt: skip
    device = Device(segment(metal, 12.0, 1200), contacts)

    def error(dt, startup):
        result = solve_transient(device, t_end=2.0, dt=dt, drives={"inj": lambda t: 1.0}, startup=startup,
                                 save_every=int(round(0.5 / dt)))  # fmt: skip
        x = result.coordinates[:, 0]
        worst = 0.0
        for k, t in enumerate(result.t[1:], start=1):
            for position in (0.0, 0.5, 1.0):
                i = np.argmin(np.abs(x - position))
                s_z, s_y = _spin_injected_at_t0(x[i], t, polarization, larmor)
                worst = max(worst, abs(result.S[k, 2, i] - s_z), abs(result.S[k, 1, i] - s_y))
        return worst

    coarse, fine = error(0.02, 2), error(0.01, 2)
    assert fine < 6e-5 and 3.3 < coarse / fine < 4.5
    assert error(0.02, 0) > 10 * coarse


def test_bad_drives_are_refused():
    metal = Material(D=1.0, Gamma=1.0)
    device = Device(segment(metal, 1.0, 10), [Contact("a", "left", potential=1.0), Contact("b", "right", potential=0.0)])
    run = lambda **kw: solve_transient(device, t_end=0.2, dt=0.1, **kw)  # noqa: E731
    with pytest.raises(ValueError, match="drives: no contact named \\['c'\\]"):
        run(drives={"c": np.sin})
    with pytest.raises(ValueError, match="drives\\['a'\\] must be a callable"):
        run(drives={"a": 1.0})
    with pytest.raises(ValueError, match="drives\\['a'\\] must return a finite number, got nan at t = 0.0"):
        run(drives={"a": lambda t: np.nan})
    with pytest.raises(ValueError, match="startup must be >= 0"):
        run(startup=-1)


def test_the_potential_of_a_current_driven_tunnel_contact_does_not_ring():
    """Crank-Nicolson from rest with a constant current through a tunnel contact (the device's own
    current=1, no drive): the contact's potential is algebraic, solved at t = 0 and at every step, so it
    starts at 1/G and never drops (the theta-average of an equation without capacitance would alternate
    between ~2/G and ~0). The charge piled up at the contact node still excites Crank-Nicolson's undamped
    stiff modes (a staircase, measured 2.362, 2.361, 2.536, 2.537, ...); two backward-Euler start steps
    make the rise smooth."""
    metal = Material(D=1.0, Gamma=1.0)
    contacts = [Contact("inj", "left", current=1.0, conductance=0.5, polarization=0.4), Contact("g", "right", potential=0.0)]
    device = Device(segment(metal, 2.0, 40), contacts)
    plain = solve_transient(device, t_end=1.0, dt=0.05).terminal_potential[:, 0]
    assert plain[0] == pytest.approx(1 / 0.5, rel=1e-12)  # mu = S = 0 at t = 0: V = I / G
    assert np.all(plain >= plain[0]) and np.all(plain < 2 * plain[0])
    damped = solve_transient(device, t_end=1.0, dt=0.05, startup=2).terminal_potential[:, 0]
    steps = np.diff(damped)
    assert np.all(steps > 0) and np.all(np.diff(steps[2:]) < 0)  # rising, ever more slowly after the start
