"""What a check sees: the run's config, the image's metadata, and, once the container
runs, where to reach it, how its start-up went and the shared probes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from docker.models.containers import Container

from ..config import RunConfig
from .launcher import Limits, Target
from .lifecycle import StopDrill
from .port_drill import PortDrill
from .probes import Probes
from .readiness import StartupResult
from ..errors import ProbeError
from ..contract import SERVING_PORT


@dataclass
class CheckContext:
    config: RunConfig
    image_attrs: dict
    limits: Limits
    container: Optional[Container] = None
    target: Optional[Target] = None
    startup: Optional[StartupResult] = None
    _probes: Optional[Probes] = None
    training: Optional[object] = None        # TrainingProbes in --mode train
    log_tail: Optional[Callable[[], str]] = None   # set by the mode's driver
    stop_drill: Callable[[], StopDrill] = lambda: StopDrill(0.0, None, skipped="no stop drill in this mode")
    nonroot_drill: Optional[Callable[[], StartupResult]] = None   # the image run as nobody (serving)
    port_drill: Optional[Callable[[float], PortDrill]] = None        # the image told SAGEMAKER_BIND_TO_PORT
    pipeline: Optional[object] = None        # PipelineRun with --pipeline
    mme: Optional[Callable[[], object]] = None         # --mode mme: the /models drill (MmeDrill), run once
    mme_memory: Optional[Callable[[], object]] = None  # --mode mme: the memory drill (MemoryDrill), run once
    images: dict = field(default_factory=dict)   # name -> metadata of every image the run uses
    selected: frozenset = frozenset()        # ids of the checks this run takes
    port: int = SERVING_PORT                 # where the platform calls this container
    containers: Optional[Callable[[], list]] = None   # a pipeline: (name, CheckContext) per container
    invokable: bool = True                   # False: one container of a pipeline (no payload of its own)
    mode_state: dict = field(default_factory=dict)   # what a mode's driver shares with its checks
    judge_each: bool = False                 # the base mode's checks are judged on each of `containers`
    results: list = field(default_factory=list)   # the run's results so far (the report's own list)

    @property
    def probes(self) -> Probes:
        if self._probes is None:
            raise ProbeError("the server is not reachable, so nothing could be measured")
        return self._probes

    @property
    def image_config(self) -> dict:
        return self.image_attrs.get("Config") or {}

    @property
    def has_payload(self) -> bool:
        """A body for /invocations; a multi-model endpoint's goes to /models/<id>/invoke."""
        return self.invokable and self.config.payload is not None and self.config.mode_settings.invokes

    def gives(self, need: str) -> bool:
        """Does this run give what a check declared it needs (registry.NEEDS)?"""
        return {"payload": self.has_payload, "files": self.container is not None}[need]

    def logs(self) -> str:
        """The last log lines of what the mode's driver runs (empty before anything ran)."""
        return self.log_tail() if self.log_tail is not None else ""
