"""Readable text of a point group's allowed tensor forms (what ``spincharge symmetry GROUP`` prints)."""

from __future__ import annotations

import textwrap

import sympy

from .groups import PointGroup, point_group
from .lifshitz import lifshitz_invariant
from .tensors import TENSORS, AllowedForm, allowed_form, tensor_spec

__all__ = ["describe", "format_form"]

_AXES = "xyz"
_VOIGT_ROWS = ("xx", "yy", "zz", "yz", "zx", "xy")


def _table(row_labels, column_labels, cells) -> list[str]:
    texts = [[str(cell) for cell in row] for row in cells]
    width = max(len(text) for row in texts + [list(column_labels)] for text in row)
    label_width = max(len(label) for label in row_labels)
    lines = [" " * (label_width + 2) + " ".join(label.rjust(width) for label in column_labels)]
    lines += [f"  {label.rjust(label_width)} " + " ".join(t.rjust(width) for t in row) for label, row in zip(row_labels, texts)]
    return lines


def format_form(form: AllowedForm) -> str:
    """One tensor's allowed form: a heading (index kinds, action term, parameters) and its matrix."""
    spec = tensor_spec(form.tensor)
    kinds = " x ".join(spec.indices)
    parity = "pseudotensor" if spec.is_pseudotensor else "true tensor"
    symmetric = f", symmetric in indices {spec.symmetric_pair}" if spec.symmetric_pair else ""
    heading = f"{spec.name}: {kinds} ({parity}{symmetric}); term {spec.term}"
    if not form.is_allowed:
        return f"{heading}\n  forbidden (all components vanish)"
    count = f"  {form.dimension} free parameter{'s' if form.dimension > 1 else ''}: {', '.join(form.parameters)}"
    matrix = form.matrix
    rows = [[matrix[i, j] for j in range(matrix.shape[1])] for i in range(matrix.shape[0])]
    if spec.rank == 2:
        lines = _table(list(_AXES), list(_AXES), rows)
    else:
        lines = ["  rows: symmetric pair ij (Voigt), columns: last index k"] + _table(_VOIGT_ROWS, list(_AXES), rows)
    return "\n".join([heading, count] + lines)


def describe(group_name: str | PointGroup, tensor: str | None = None) -> str:
    """The text ``spincharge symmetry GROUP [--tensor NAME]`` prints.

    The group (names, order, symmetry elements of the setting, whether centrosymmetric, gyrotropic,
    piezoelectric), then the allowed form of ``tensor`` or of every tensor of paper 003 (Eqs. 4-6) and
    the spin susceptibility, and, without ``tensor``, the Lifshitz invariant (Eq. S4).  Unknown group or
    tensor names raise ValueError listing the accepted names.
    """
    group = point_group(group_name)
    names = list(TENSORS) if tensor is None else [tensor_spec(tensor).name]
    forms = {name: allowed_form(group, name) for name in set(names) | {"gamma", "beta"}}
    lines = [
        f"Point group {group.name} ({group.hermann_mauguin}), order {group.order}",
        textwrap.fill(
            "symmetry elements: " + ("; ".join(group.symmetry_elements()) or "identity only"),
            width=100, initial_indent="  ", subsequent_indent="    ",
        ),
        f"  centrosymmetric: {'yes' if group.is_centrosymmetric else 'no'}; "
        f"gyrotropic (gamma allowed): {'yes' if forms['gamma'].is_allowed else 'no'}; "
        f"piezoelectric (beta allowed): {'yes' if forms['beta'].is_allowed else 'no'}",
        "  indices: gradient = polar vector, spin = axial vector, gradient pair = eps_ljk d_j d_k (axial)",
    ]
    for name in names:
        lines += ["", format_form(forms[name])]
    if tensor is None:
        invariant = lifshitz_invariant(group)
        lines += ["", "Lifshitz invariant F_L = chi_ij h_j gamma_ik d_k phi (paper 003, Eq. S4):",
                  f"  F_L = {sympy.sstr(invariant.expression)}"]
    return "\n".join(lines)
