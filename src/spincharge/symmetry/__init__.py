"""Point-group symmetry of the spin-orbit response tensors (paper 003).

Give a crystallographic point group, get the allowed form of every tensor of the NLSM action of
paper 003 (Eqs. 4-6), the Lifshitz invariant of the Ginzburg-Landau functional (Appendix F) and the spin
texture around a vortex (Appendix E)::

    >>> from spincharge.symmetry import allowed_form
    >>> allowed_form("C4v", "gamma").matrix
    Matrix([[0, gamma_xy, 0], [-gamma_xy, 0, 0], [0, 0, 0]])

Settings and the transformation law of each tensor: docs/conventions.md, "Point-group symmetry".
"""

from .describe import describe, format_form
from .groups import GROUP_TOLERANCE, PointGroup, close_group, mirror, point_group, point_group_names, rotation
from .lifshitz import FIELD_SYMBOLS, PHASE_GRADIENT_SYMBOLS, LifshitzInvariant, lifshitz_invariant
from .tensors import (
    INDEX_KINDS,
    TENSORS,
    AllowedForm,
    TensorSpec,
    allowed_form,
    character,
    invariant_count,
    representation,
    tensor_spec,
    transform,
)
from .vortex import (
    TEXTURE_CLASSES,
    VortexSpinTexture,
    group_gamma,
    plot_vortex_spin_textures,
    spin_galvanic_torque,
    texture_class_weights,
    texture_classes,
    torque_exchange_field,
    vortex_spin_texture,
)

__all__ = [
    "AllowedForm",
    "FIELD_SYMBOLS",
    "GROUP_TOLERANCE",
    "INDEX_KINDS",
    "LifshitzInvariant",
    "PHASE_GRADIENT_SYMBOLS",
    "PointGroup",
    "TENSORS",
    "TEXTURE_CLASSES",
    "TensorSpec",
    "VortexSpinTexture",
    "allowed_form",
    "character",
    "close_group",
    "describe",
    "format_form",
    "group_gamma",
    "invariant_count",
    "lifshitz_invariant",
    "mirror",
    "plot_vortex_spin_textures",
    "point_group",
    "point_group_names",
    "representation",
    "rotation",
    "spin_galvanic_torque",
    "tensor_spec",
    "texture_class_weights",
    "texture_classes",
    "torque_exchange_field",
    "transform",
    "vortex_spin_texture",
]
