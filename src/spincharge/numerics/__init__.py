"""Numerical kernels shared by the physics subjects (quadrature, occupation functions, Matsubara sums).

Each module here is subject-neutral: it knows mathematics, not papers.
"""
