"""Paper 002: disordered Dirac ferromagnet on a TI surface.

Born self-energy (:mod:`.self_energy`), bare bubble M(q, omega) by direct integration (:mod:`.bubble`),
ladder correlator K(q, omega) and the Ward identity (:mod:`.correlator`), anomalous Hall conductivity
(:mod:`.hall`, crossed X and Psi diagrams in :mod:`.crossed`, Fermi-sea Streda term in :mod:`.streda`), diffusive spin-orbit torque (:mod:`.torque`), Gilbert damping tensor (:mod:`.gilbert`),
and the paper's closed forms used as witnesses (:mod:`.analytic`). Conventions: docs/conventions.md,
"Diffusive spin-orbit torque (paper 002)".
"""

from .bubble import Bubble, spin_bubble
from .correlator import (
    DCConductivity,
    SpinCorrelator,
    WardIdentity,
    dc_conductivity,
    spin_correlator,
    ward_identity,
)
from .crossed import CrossedHall, crossed_hall_conductivity
from .gilbert import GilbertDamping, gilbert_damping
from .hall import AnomalousHall, anomalous_hall_conductivity
from .self_energy import SelfEnergy, born_self_energy, leading_order_self_energy
from .streda import FermiSeaHall, fermi_sea_hall_conductivity
from .torque import (
    DiffusiveSpinDensity,
    diffusion_kernel,
    diffusive_spin_density,
    diffusive_to_field_like_ratio,
    diffusive_torque,
    field_like_spin_density,
    gate_spin_density,
    plane_wave_spin_density,
)

__all__ = [
    "AnomalousHall",
    "CrossedHall",
    "Bubble",
    "DCConductivity",
    "DiffusiveSpinDensity",
    "FermiSeaHall",
    "GilbertDamping",
    "SelfEnergy",
    "SpinCorrelator",
    "WardIdentity",
    "anomalous_hall_conductivity",
    "born_self_energy",
    "crossed_hall_conductivity",
    "dc_conductivity",
    "fermi_sea_hall_conductivity",
    "diffusion_kernel",
    "diffusive_spin_density",
    "diffusive_to_field_like_ratio",
    "diffusive_torque",
    "field_like_spin_density",
    "gate_spin_density",
    "gilbert_damping",
    "leading_order_self_energy",
    "plane_wave_spin_density",
    "spin_bubble",
    "spin_correlator",
    "ward_identity",
]
