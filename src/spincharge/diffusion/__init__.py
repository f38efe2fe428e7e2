"""Spin-charge diffusion in any crystal class (paper 003, Appendix D, Eqs. S10-S13).

Two independent discretisations of the same equations (:mod:`.equations`, the pointwise currents and
torques with the corrections documented there and in docs/conventions.md, "Spin-charge diffusion"):

* finite elements (scikit-fem, P1/P2, AMG-preconditioned or direct sparse solves) for 1D segments and
  films and 2D devices: :mod:`.geometry`, :mod:`.boundary`, :mod:`.solver`;
* the exact layered 1D solver (matrix exponentials on pieces) :mod:`.modal`, with its own end and contact
  conditions (``from spincharge.diffusion.modal import Layer, Ohmic, TunnelContact, ...``);

and :mod:`.literature`, the closed forms both are checked against.

Public API of the finite elements.

Geometry (``geometry.py``):
    ``segment(material, length, n, axis="x", points=())``; ``layers([Layer(material, thickness, n), ...],
    interfaces=[None | Interface(conductance, polarization, magnetization)], axis="z")`` (a film across
    its thickness); ``rectangle(material, length, width, h=)``, ``rectangles(boxes, material(s), h=,
    interfaces={(i, j): Interface | None})``, ``hall_bar``, ``h_bar``, ``cross``; ``triangle_mesh(points,
    triangles, material(s), material_index=, interfaces=)``: interfaces between boxes or regions double the
    nodes of their shared edges (``split_regions``).
Boundary conditions (``boundary.py``; edges without one are insulating):
    ``Contact(name, where, potential=None, current=0.0, conductance=None, polarization=0.0,
    magnetization=(0, 0, 1))`` (a terminal: transparent spin sink, or a ferromagnetic/tunnel contact with
    a conductance; a floating probe by default), ``Injection(where, charge, spin)``,
    ``MagneticInsulator(where, g_r, g_i, magnetization)``, ``Fixed(where, mu, S)``.
Device and solvers (``solver.py``):
    ``Device(geometry, boundaries, electric_field=(0, 0, 0), source=None, gauge=None)``;
    ``solve(device, omega=0.0, element="P1", solver="direct")`` -> :class:`DiffusionResult` (steady or
    time-harmonic, d_t -> -i omega); ``solve_transient(device, t_end=, dt=, method="crank-nicolson",
    drives={contact name: f(t)}, startup=0)`` -> :class:`TransientResult` (contact potentials or currents
    as functions of time); ``resistance(device, source=, drain=, plus=, minus=)`` ->
    :class:`ResistanceResult` (local or nonlocal).
Results:
    ``DiffusionResult`` (mu, S[l], j[k], j_s[k, l] at the vertices; terminal potentials, currents, spin
    currents; currents through the interfaces; ``to_dataset()``), ``plot_map(result, "S_z")``.

Set-ups for the literature comparisons: a film across its thickness with a magnetic insulator at z = 0
and vacuum at z = d driven by an in-plane field (spin Hall magnetoresistance)::

    film = layers([Layer(metal, d, 200)])
    device = Device(film, [MagneticInsulator("left", g_r, g_i, m)], electric_field=(E, 0, 0), gauge="mean")
    result = solve(device)          # result.j[0] is j_x(z); its mean over z gives the film's conductance

and a 1D nonlocal spin valve (ferromagnetic injector at x = 0, detector at x = L, field h in the
material)::

    channel = segment(metal, 2 * a + L, n, start=-a, points=(0.0, L))
    contacts = [Contact("injector", (0, 0), current=1.0, conductance=G, polarization=P, magnetization=m1),
                Contact("detector", (L, L), conductance=G, polarization=P, magnetization=m2),
                Contact("ground", "left", potential=0.0), Contact("reference", "right")]
    R_nl = resistance(Device(channel, contacts), source="injector", drain="ground", plus="detector",
                      minus="reference")   # the detector and the far reference carry no charge current
"""

from . import literature, modal
from .boundary import Contact, Fixed, Injection, MagneticInsulator
from .equations import currents, operator_tensors, torque
from .geometry import (
    Geometry, Interface, Layer, cross, h_bar, hall_bar, layers, rectangle, rectangles, segment, split_regions, triangle_mesh,
)  # fmt: skip
from .modal import LayeredSolution, solve_layers
from .plotting import plot_map
from .results import DiffusionResult, ResistanceResult, TransientResult
from .solver import Device, resistance, solve, solve_transient

__all__ = [
    "Geometry", "Interface", "Layer", "segment", "layers", "rectangle", "rectangles", "hall_bar", "h_bar",
    "cross", "triangle_mesh", "split_regions", "Contact", "Injection", "MagneticInsulator", "Fixed", "Device", "solve",
    "solve_transient", "resistance", "DiffusionResult", "TransientResult", "ResistanceResult", "plot_map",
    "operator_tensors", "currents", "torque", "solve_layers", "LayeredSolution", "literature", "modal",
]  # fmt: skip
