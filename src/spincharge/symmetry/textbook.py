"""Textbook lists of crystal classes, typed by name: independent witnesses for the computed forms.

Sources: J. F. Nye, *Physical Properties of Crystals* (Oxford), chapter on piezoelectricity;
L. D. Landau and E. M. Lifshitz, *Electrodynamics of Continuous Media*, natural optical activity;
International Tables for Crystallography, Vol. A, Ch. 10 (point groups).  Paper 003 quotes the counts
("18 gyrotropic classes", "20 piezoelectric crystal classes", below Eq. 6).
"""

GYROTROPIC_CLASSES = frozenset(
    {"C1", "C2", "Cs", "D2", "C2v", "C4", "S4", "D4", "C4v", "D2d", "C3", "D3", "C3v", "C6", "D6", "C6v", "T", "O"}
)
"""The 18 classes that allow a second-rank pseudotensor (optical activity, current-induced spin)."""

PIEZOELECTRIC_CLASSES = frozenset(
    {"C1", "C2", "Cs", "D2", "C2v", "C4", "S4", "D4", "C4v", "D2d", "C3", "D3", "C3v", "C6", "C3h", "D6", "C6v", "D3h",
     "T", "Td"}
)  # fmt: skip
"""The 20 classes that allow a polar third-rank tensor symmetric in a pair (all non-centrosymmetric but O)."""

POLAR_CLASSES = frozenset({"C1", "C2", "Cs", "C2v", "C4", "C4v", "C3", "C3v", "C6", "C6v"})
"""The 10 pyroelectric classes, which allow a polar vector."""

CENTROSYMMETRIC_CLASSES = frozenset({"Ci", "C2h", "D2h", "C4h", "D4h", "C3i", "D3d", "C6h", "D6h", "Th", "Oh"})
"""The 11 Laue classes."""

PIEZOELECTRIC_MODULI = {
    "C1": 18, "C2": 8, "Cs": 10, "D2": 3, "C2v": 5, "C4": 4, "S4": 4, "D4": 1, "C4v": 3, "D2d": 2,
    "C3": 6, "D3": 2, "C3v": 4, "C6": 4, "C3h": 2, "D6": 1, "C6v": 3, "D3h": 1, "T": 1, "Td": 1, "O": 0,
}  # fmt: skip
"""Number of independent piezoelectric moduli d_iJ per non-centrosymmetric class (Nye)."""
