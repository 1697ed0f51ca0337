"""--load: latency under load with locust (runner.py runs it in a child process)."""
from typing import Optional

from ...model import Chart, Section
from ...registry import FeatureSpec, feature, measurement, section
from . import options

feature(FeatureSpec("load", "latency under load (locust)", options.build, options.OPTIONS, order=10))


@measurement("load")
def load(probes):
    """The locust run (child process) with connects timed from this process."""
    from .runner import run_load
    return run_load(probes.target.host, probes.target.port, probes.config.payload,
                    probes.content_type, probes.accept, probes.config.load, probes.progress)


@section
def load_section(results, probes) -> Optional[Section]:
    """The locust run's numbers and plots, when it ran (JSON `sections.load.data`)."""
    stats = probes.measured("load") if probes is not None else None
    if stats is None:
        return None
    data = stats.summary()
    cpu = ", ".join(f"{c:.0f} %" for c in data["generator_cpu_percent"])
    figures = (("requests", data["requests"]), ("failures", data["failures"]), ("req/s", f"{data['rps']:.1f}"),
               ("p50", f"{data['p50_ms']} ms"), ("p90", f"{data['p90_ms']} ms"),
               ("p99", f"{data['p99_ms']} ms"), ("max", f"{data['max_ms']} ms"), ("generator CPU", cpu))
    timeline = data["timeline"]
    marks = {"p99": data["p99_ms"]} if data["p99_ms"] is not None else {}
    slo = probes.config.load.p99_ms if probes.config is not None and probes.config.load else None
    if slo is not None:
        marks["p99 limit"] = slo
    charts = (
        Chart("line", "Latency of /invocations per second", "seconds", "ms",
              series={"p50 ms": [(r["t"], r["p50_ms"]) for r in timeline],
                      "max ms": [(r["t"], r["max_ms"]) for r in timeline]}, marks=marks),
        Chart("line", "Completed requests per second", "seconds", "req/s",
              series={"requests": [(r["t"], r["requests"]) for r in timeline],
                      "failures": [(r["t"], r["failures"]) for r in timeline]}),
        Chart("histogram", "Latency histogram", "ms", "requests",
              values=tuple(data["latencies_ms"]), marks=marks))
    summary = (f"{data['requests']} requests, {data['failures']} failures, {data['rps']:.1f} req/s; "
               f"p50 {data['p50_ms']} ms, p90 {data['p90_ms']} ms, p99 {data['p99_ms']} ms, "
               f"max {data['max_ms']} ms; generator CPU {cpu}")
    exports = (("locust.html", stats.locust_html),) if stats.locust_html else ()
    return Section("load", "Load", summary, figures=figures, charts=charts, data=data, exports=exports)
