#!/usr/bin/env bash
# Build Kwant 1.5 (the peer of benchmarks/bench_lattice.py) in its own virtual environment.
# Kwant 1.5 compiles its Cython extensions against the numpy 1.x C API, so it needs numpy<2 and
# --no-build-isolation; keeping it in a separate venv leaves spincharge's numpy 2 untouched.
# Usage: bash benchmarks/make_kwant_env.sh [VENV_DIR]   (default: benchmarks/.kwant-venv)
set -euo pipefail
venv="${1:-$(dirname "$0")/.kwant-venv}"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "numpy<2" "scipy<1.14" "cython<3.1" "tinyarray>=1.2" setuptools wheel
"$venv/bin/pip" install --quiet --no-build-isolation "kwant==1.5.0"
"$venv/bin/python" -c "import kwant, numpy; print('kwant', kwant.__version__, 'numpy', numpy.__version__)"
echo "kwant environment: $venv (run benchmarks with $venv/bin/python)"
