#!/usr/bin/env bash
# Build GENEUS (github.com/jabirali/geneus) for the junction benchmarks -- benchmark-only, never a
# dependency of spincharge. Usage: build_geneus.sh SOURCE_DIR [BUILD_DIR]
#   SOURCE_DIR  a GENEUS work tree (e.g. `git --git-dir=MIRROR archive HEAD | tar -x -C /tmp/geneus-src`)
#   BUILD_DIR   where CMake builds (default: /tmp/geneus-build); the executables land in BUILD_DIR/bin
# GENEUS's own build system: its `configure` runs `cmake -DCMAKE_Fortran_COMPILER=gfortran -H. -Bbuild`
# and `make` in build/; CMakeLists.txt puts the executables in ../bin relative to that build folder.
# The same commands are used here with the build folder outside the source tree.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 SOURCE_DIR [BUILD_DIR]" >&2; exit 2
fi
src=$(cd "$1" && pwd)
build=${2:-/tmp/geneus-build}
[ -f "$src/CMakeLists.txt" ] && [ -d "$src/src/programs" ] || { echo "not a GENEUS source tree: $src" >&2; exit 2; }

if ! command -v gfortran >/dev/null 2>&1; then
  echo "-- installing gfortran from Debian's packages"
  apt-get install -y gfortran
fi
command -v cmake >/dev/null 2>&1 || apt-get install -y cmake
gfortran --version | head -1

mkdir -p "$build"
cmake -Wno-dev -DCMAKE_Fortran_COMPILER=gfortran -S "$src" -B "$build/build"
# One job per core at most; the benchmark machine is shared.
nice make -C "$build/build" -j"${GENEUS_JOBS:-2}"

# Smoke test: every program starts and asks for its configuration file.
for program in converge sweep_phase critical flow sweep_voltage; do
  out=$("$build/bin/$program" 2>&1 || true)
  case "$out" in
    *"Missing the command line argument"*) echo "-- $build/bin/$program runs" ;;
    *) echo "$program did not start: $out" >&2; exit 1 ;;
  esac
done
