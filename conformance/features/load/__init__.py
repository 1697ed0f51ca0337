"""--load: latency under load with locust (runner.py runs it in a child process)."""
from ...registry import measurement, section


@measurement("load")
def load(probes):
    """The locust run (child process) with connects timed from this process."""
    from .runner import run_load
    return run_load(probes.target.host, probes.target.port, probes.config.payload,
                    probes.content_type, probes.accept, probes.config.load, probes.progress)


@section
def load_summary(report, probes) -> None:
    """The locust run's numbers, when it ran: report.load (JSON `load`, HTML and Markdown)."""
    if probes is not None and probes.has("measure:load"):
        report.load = probes.measure("load").summary()
