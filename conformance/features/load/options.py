"""The options of --load, declared where the feature lives (options.py gathers them
through the registry), and the LoadSettings they resolve to."""
from typing import Any, Mapping, Optional

from ...option_spec import option, parse_duration
from .settings import LoadSettings

LOAD = LoadSettings()   # the engine's defaults, stated once

OPTIONS = (
    option("load", "bool", "also hold latency under load (locust)", group="load", default=False),
    option("users", "int", "concurrent locust users", group="load", default=LOAD.users),
    option("spawn-rate", "float", "users started per second", group="load", default=LOAD.spawn_rate),
    option("duration", "text", "length of the load run, e.g. 30s or 2m", group="load",
           default=f"{LOAD.duration_s:g}s"),
    option("p99-ms", "float", "SLO for load.latency (default: the platform's 60 s limit)",
           "inference.invocations.latency", group="load"),
    option("max-error-rate", "float", "SLO for load.errors", group="load", default=LOAD.max_error_rate),
    option("min-rps", "float", "SLO for load.throughput", group="load"),
    option("workers", "int", "local locust worker processes", group="load", default=LOAD.workers),
    option("load-master", "text", "also take locust workers from other machines, listening on HOST:PORT "
           "(e.g. 0.0.0.0:5557); start each with `sagemaker-conformance load-worker --master HOST:PORT`",
           group="load"),
    option("remote-workers", "int", "with load-master: how many workers to wait for (60 s at most) "
           "before the load starts", group="load", default=1),
    option("export-locustfile", "path", "also write a stand-alone locustfile here", group="load"),
)


def load_settings(v: Mapping[str, Any]) -> LoadSettings:
    """The load run the option values describe (also for --export-locustfile without --load)."""
    return LoadSettings(users=v["users"], spawn_rate=v["spawn-rate"],
                        duration_s=parse_duration(v["duration"]), p99_ms=v["p99-ms"],
                        max_error_rate=v["max-error-rate"], workers=v["workers"],
                        min_rps=v["min-rps"], master=v["load-master"] or None,
                        remote_workers=v["remote-workers"])


def build(v: Mapping[str, Any], derandomize: bool = False) -> Optional[LoadSettings]:
    return load_settings(v) if v["load"] else None
