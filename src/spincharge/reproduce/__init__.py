"""Reproduce the papers' figures and check their claims, computed in the run.

Each paper contributes one or more modules named ``paper<NNN>*.py`` in this package. Such a module
defines ``PAPER = "<NNN>"``, ``TITLE`` (what the module covers) and ``reproduce(ctx) -> Section``.
Modules are discovered, so a subject adds its reproduction without editing shared files.
"""

from .framework import Claim, FigureRef, ReproduceContext, Section, discover, run_papers

__all__ = ["Claim", "FigureRef", "ReproduceContext", "Section", "discover", "run_papers", "PAPERS"]

PAPERS = ("000", "002", "003")
