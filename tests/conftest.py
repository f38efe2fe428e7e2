import os

# One BLAS thread per process: the suite's batched eigh calls are small, and on a 2-core CI machine
# multithreaded BLAS oversubscribes the cores (measured: lattice tests 55 s instead of 9 s under load).
# Must run before numpy is imported; setdefault lets a user override it.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, settings

# Property tests run a fixed, modest number of examples with no per-example deadline: the physics
# kernels are deterministic but their run time varies with the machine's load. The default profile is
# derandomized so that a CI run is reproducible; the "thorough" profile draws new examples, and any input
# it finds is kept as an explicit test (e.g. tests/diffusive/test_streda.py).
settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
