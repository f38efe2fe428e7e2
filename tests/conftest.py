import os

from hypothesis import HealthCheck, settings

# Property tests run a fixed, modest number of examples with no per-example deadline: the physics
# kernels are deterministic but their run time varies with the machine's load.
settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
