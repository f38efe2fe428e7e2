"""spincharge: computational spin-charge interconversion physics.

Subpackages, one per physical subject (see README.md):

``models``           continuum model dataclasses (Rashba metal, TI surface, Dirac ferromagnet)
``magnetoelectric``  paper 000: chi, g_spin, g_orb and texture-induced responses
``textures``         magnetization textures on grids
``diffusive``        paper 002: disorder-averaged Kubo responses, diffusive torque, Gilbert damping
``dynamics``         Landau-Lifshitz-Gilbert integrators
``symmetry``         point groups and allowed forms of spin-orbit tensors (paper 003)
``usadel``           BCS gap and Usadel solvers (paper 003)

Plumbing: ``units`` (SI conversion), ``store`` (content-keyed results store), ``sweeps`` (grid sweeps, ``spincharge.sweep``),
``reproduce`` (figures and claims of the papers), ``cli``.
"""

from importlib.metadata import version as _version

__version__ = _version("spincharge")

__all__ = ["__version__", "sweep"]


def __getattr__(name):
    # Lazy: importing spincharge must stay cheap (the CLI imports it for --help).
    if name == "sweep":
        from .sweeps import sweep

        return sweep
    raise AttributeError(f"module 'spincharge' has no attribute {name!r}")
