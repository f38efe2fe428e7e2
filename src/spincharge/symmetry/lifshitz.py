"""Lifshitz invariants of the Ginzburg-Landau functional of a gyrotropic superconductor.

Paper 003, Appendix F: the spin-galvanic term enters the linearised Usadel equation (Eq. S2 there) as an
effective exchange field, h_i -> h_i + q_k gamma_ik with q_k = i d_k the phase-gradient wave vector, so
the Zeeman energy F_Z = chi_ij h_i h_j / 2 (Eq. S3) acquires the term linear in the phase gradient

    F_L = chi_ij h_j gamma_ik d_k phi = h_j K_jk d_k phi,     K_jk = chi_ij gamma_ik     (Eq. S4).

chi (symmetric, a true tensor: spin and field are both axial) and gamma (a rank-2 pseudotensor) take the
allowed forms of the group (:func:`~spincharge.symmetry.tensors.allowed_form`), so F_L lists the allowed
Lifshitz terms h_j d_k phi with their coefficients.  K is again a rank-2 pseudotensor (h axial, d phi
polar): the terms are those of Agterberg's table (paper 003, Ref. [69]).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy

from .groups import PointGroup, point_group
from .tensors import allowed_form

__all__ = ["LifshitzInvariant", "lifshitz_invariant", "FIELD_SYMBOLS", "PHASE_GRADIENT_SYMBOLS"]

FIELD_SYMBOLS = sympy.symbols("h_x h_y h_z", real=True)
"""Zeeman (exchange) field components h_j."""
PHASE_GRADIENT_SYMBOLS = sympy.symbols("dphi_x dphi_y dphi_z", real=True)
"""Phase-gradient components d_k phi of the order parameter."""


@dataclass(frozen=True)
class LifshitzInvariant:
    """F_L = h_j K_jk d_k phi for one point group (paper 003, Eq. S4).

    ``chi`` and ``gamma`` are the allowed forms (sympy matrices in their named parameters), ``coupling`` is
    K = chi^T gamma, and ``expression`` is F_L in the symbols h_x, h_y, h_z, dphi_x, dphi_y, dphi_z,
    collected by products of the parameters; it is 0 for the 14 non-gyrotropic groups.
    """

    group: str
    chi: sympy.ImmutableMatrix
    gamma: sympy.ImmutableMatrix
    coupling: sympy.ImmutableMatrix
    expression: sympy.Expr

    @property
    def is_zero(self) -> bool:
        return self.expression == 0

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the chi and gamma parameters that appear in F_L."""
        fields = set(FIELD_SYMBOLS) | set(PHASE_GRADIENT_SYMBOLS)
        return tuple(sorted(str(s) for s in self.expression.free_symbols - fields))

    def energy(self, values: Mapping[str, float], field, phase_gradient) -> float:
        """F_L at the parameter ``values`` (all of ``parameters``), Zeeman ``field`` h and d phi."""
        missing = sorted(set(self.parameters) - set(values))
        if missing:
            raise ValueError(f"values must give every parameter of F_L; missing {missing}")
        parameters = [float(values[name]) for name in self.parameters]
        return float(self._function(parameters, np.asarray(field, dtype=float), np.asarray(phase_gradient, dtype=float)))

    @cached_property
    def _function(self):
        symbols = {str(s): s for s in self.expression.free_symbols}
        arguments = ([symbols[name] for name in self.parameters], FIELD_SYMBOLS, PHASE_GRADIENT_SYMBOLS)
        return sympy.lambdify(arguments, self.expression, "numpy")

    def __str__(self) -> str:
        return f"F_L({self.group}) = {self.expression}"


def lifshitz_invariant(group: str | PointGroup) -> LifshitzInvariant:
    """The Lifshitz invariant F_L = chi_ij h_j gamma_ik d_k phi allowed by ``group`` (paper 003, Eq. S4)."""
    group = point_group(group)
    chi_form, gamma_form = allowed_form(group, "chi"), allowed_form(group, "gamma")
    chi, gamma = chi_form.matrix, gamma_form.matrix
    coupling = sympy.ImmutableMatrix(chi.T * gamma).applyfunc(sympy.expand)
    h, dphi = sympy.Matrix(FIELD_SYMBOLS), sympy.Matrix(PHASE_GRADIENT_SYMBOLS)
    expression = sympy.expand((h.T * coupling * dphi)[0, 0])
    parameters = chi_form.symbols + gamma_form.symbols
    if expression != 0:
        # one term per product of parameters, times the combination of h_j d_k phi it multiplies
        expression = sympy.Add(
            *(
                sympy.Mul(*(p**e for p, e in zip(parameters, powers))) * sympy.factor(terms.as_expr())
                for powers, terms in sympy.Poly(expression, *parameters).terms()
            )
        )
    return LifshitzInvariant(group.name, chi, gamma, coupling, expression)
