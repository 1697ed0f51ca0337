"""Property-based fuzzing of /invocations (hypothesis): strategies.py builds requests from
the declared content type and the user's payload; runner.py sends them and shrinks what
fails."""
from ...registry import FeatureSpec, feature, measurement
from . import options

feature(FeatureSpec("fuzz", "property-based fuzzing of /invocations", options.build, options.OPTIONS, order=20))


@measurement("fuzz")
def fuzz(probes):
    """hypothesis examples against /invocations, each followed by /ping (hypothesis is
    imported only when a run fuzzes)."""
    from .runner import run_fuzz
    return run_fuzz(lambda: probes.target.base_url, probes.payload, probes.content_type, probes.accept,
                    probes.config.fuzz, probes.still_healthy, probes.log_tail, probes.progress,
                    restart=probes.restart,
                    max_body=probes.max_body)
from . import report  # noqa: F401  (its report section registers)
