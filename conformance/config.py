"""RunConfig: everything one run needs, built by the fronts, read by the engine. What
only one mode has lives in that mode's settings (a ModeSettings, modes/<mode>/settings.py);
RunConfig holds what every run has, and asks the mode for the rest."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Optional

from .contract import (INVOKE_LIMIT_S, MAX_BODY_BYTES, MAX_ENV_BYTES, MAX_ENV_ENTRIES,
                       PLATFORM_SERVE_STOP_GRACE_S, PLATFORM_STARTUP_WINDOW_S, STARTUP_WINDOW_RANGE_S)
from .errors import UsageError
from .features.baseline.settings import Baseline
from .features.fuzz.settings import FuzzSettings
from .features.load.settings import LoadSettings
from .instances import InstanceSpec, lookup_instance

# A start that shows the same wrong /ping answer (or other ports than the platform's) with
# the container idle for this long is stuck (engine/start_evidence.py): the tool's choice,
# long enough for a quiet pause in a real start, short enough for a verdict in seconds.
DEFAULT_SETTLE_S = 20.0
ENV_KEY = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # API-SM ContainerDefinition.Environment


@dataclass(frozen=True)
class ModeSettings:
    """What a mode adds to a run, and how the platform treats the container in it. This
    base is a real-time endpoint: `serve`, 60 s and 6 MiB per invocation (contract.md
    inference.invocations.latency / request-size), SIGKILL 30 s after SIGTERM
    (lifecycle.sigterm.hosting). A mode's settings override what differs."""
    mode: ClassVar[str] = "serve"           # its name in the registry (registry.mode_spec)
    reported_as: ClassVar[str] = ""         # the --mode value, when not `mode` (a pipeline: serve)
    argument: ClassVar[str] = "serve"       # what `docker run IMAGE` is given
    stop_grace_s: ClassVar[float] = PLATFORM_SERVE_STOP_GRACE_S
    takes_target: ClassVar[bool] = True     # --target: an endpoint the tool did not start
    invokes: ClassVar[bool] = True          # the platform POSTs the payload to /invocations
    response_limited: ClassVar[bool] = True  # the response comes back through InvokeEndpoint (6 MiB)
    startup_window_s: ClassVar[Optional[float]] = None   # a window fixed by the mode
    reads_models: ClassVar[bool] = False    # --model names several models (NAME=PATH), read by the mode

    @property
    def invocation_limit_s(self) -> float:
        return INVOKE_LIMIT_S

    @property
    def max_body_bytes(self) -> int:
        return MAX_BODY_BYTES

    def environment(self) -> dict:
        """Variables the platform sets in this mode."""
        return {}

    def options(self) -> tuple:
        """Optional check groups the settings enable (registry.check(option=...))."""
        return ()

    def images(self, image: str) -> tuple:
        """Every image of the run when there are several (a pipeline), else ()."""
        return ()

    def fixed_limits(self) -> Optional[tuple]:
        """(vCPUs, memory bytes, note) when the mode fixes them (serverless), else None."""
        return None

    def validate(self, config: "RunConfig") -> None:
        """Refuse settings the platform would refuse (UsageError)."""


@dataclass(frozen=True)
class RunConfig:
    image: str
    mode_settings: ModeSettings = field(default_factory=ModeSettings)
    payload: Optional[Path] = None
    content_type: str = "application/octet-stream"
    accept: str = "*/*"
    model: Optional[Path] = None
    env: dict = field(default_factory=dict)
    instance_type: str = "ml.m5.large"
    memory: Optional[str] = None
    cpus: Optional[float] = None
    startup_window_s: float = PLATFORM_STARTUP_WINDOW_S   # the platform's window, judged against
    startup_timeout_s: Optional[float] = None   # how long the tool waits; None: the whole window
    settle_time_s: float = DEFAULT_SETTLE_S     # a stuck start ends the wait after this; 0: never
    stop_timeout_s: Optional[float] = None   # None: the platform's grace for the mode
    strict: bool = False
    require_complete: bool = False          # a MUST check that did not run fails the verdict
    keep_log: bool = False                  # --certify: keep the log of what the run started
    only: tuple = ()
    skip: tuple = ()
    connect: str = "auto"  # auto | bridge | joined | published (engine/reach.py)
    target: Optional[str] = None   # http://HOST:PORT of an endpoint the tool did not start
    load: Optional[LoadSettings] = None
    artifacts_dir: Path = Path("reports")   # where a training run's model.tar.gz is written
    network_isolation: bool = False         # EnableNetworkIsolation: no outbound network
    fuzz: Optional[FuzzSettings] = None     # --fuzz N: hypothesis examples against /invocations
    stream: bool = False                    # --stream: the image claims streamed responses
    bidi: bool = False                      # --bidi: the image streams both ways (WebSocket)
    baseline: Optional[Baseline] = None     # --baseline REPORT.json: an earlier report to compare with
    image_layout: Optional[Path] = None     # --image-layout: the image as it is pushed (image.manifest)

    @property
    def mode(self) -> str:
        """The --mode value the run reports."""
        return self.mode_settings.reported_as or self.mode_settings.mode

    @property
    def check_mode(self) -> str:
        """The registry's mode: a pipeline has checks of its own, whatever serves in it."""
        return self.mode_settings.mode

    @property
    def stop_grace_s(self) -> float:
        if self.stop_timeout_s is not None:
            return self.stop_timeout_s
        return self.mode_settings.stop_grace_s

    @property
    def serves(self) -> bool:
        """The image is started with `serve` (real-time, serverless, async, batch, MME), not `train`."""
        return self.mode_settings.argument == "serve"

    @property
    def invocation_limit_s(self) -> float:
        """How long one /invocations may take in this mode."""
        return self.mode_settings.invocation_limit_s

    @property
    def pipeline_images(self) -> tuple:
        return self.mode_settings.images(self.image)

    @property
    def container_env(self) -> dict:
        """The container's environment: the model's, and what the mode's platform sets."""
        return {**self.env, **self.mode_settings.environment()}

    @property
    def argument(self) -> str:
        """What `docker run IMAGE` is given: `serve` or `train`."""
        return self.mode_settings.argument

    @property
    def max_body_bytes(self) -> int:
        """The largest request and response body the platform passes in this mode."""
        return self.mode_settings.max_body_bytes

    @property
    def startup_wait_s(self) -> float:
        """How long the tool waits for the first healthy /ping: never past the platform's
        window (a later answer fails), and the whole window unless told otherwise."""
        if self.startup_timeout_s is None:
            return self.startup_window_s
        return min(self.startup_timeout_s, self.startup_window_s)

    @property
    def startup_cut_short(self) -> bool:
        """--startup-timeout ends the wait before the platform's window: a start still
        pending then (not stuck, not exited) cannot be judged."""
        return self.startup_wait_s < self.startup_window_s

    @property
    def options(self) -> tuple:
        """Optional check groups this run enables (see registry.check(option=...))."""
        options = ("load",) if self.load is not None else ()
        options += self.mode_settings.options()
        if self.fuzz is not None:
            options += ("fuzz",)
        if self.network_isolation:
            options += ("network_isolation",)
        if self.stream:
            options += ("stream",)
        if self.bidi:
            options += ("bidi",)
        if self.baseline is not None:
            options += ("baseline",)
        if self.image_layout is not None:
            options += ("image_layout",)
        return options

    @property
    def instance(self) -> InstanceSpec:
        return lookup_instance(self.instance_type)

    def validate(self) -> "RunConfig":
        for name in (self.image, *self.pipeline_images):
            if not name or not name.isprintable():
                raise UsageError(f"the image name {name!r} has control characters or is empty",
                                 "give the image as `docker images` lists it")
        if self.target is not None:
            self._validate_target()
        self.mode_settings.validate(self)
        if self.network_isolation and self.connect == "published":
            raise UsageError("--network-isolation cannot publish a port: an internal network has no "
                             "route from outside", "use --connect bridge or joined")
        if self.target is not None and self.network_isolation:
            raise UsageError("--network-isolation needs a container the tool starts, not a --target")
        self._validate_files()
        self._validate_env()
        if (self.startup_timeout_s is not None and self.startup_timeout_s <= 0) or self.stop_grace_s <= 0:
            raise UsageError("timeouts must be positive")
        if not 0 <= self.settle_time_s <= 3600:   # NaN fails this too
            raise UsageError(f"--settle-time must be 0-3600 s, not {self.settle_time_s:g}",
                             "0 waits the whole window for any start")
        low, high = STARTUP_WINDOW_RANGE_S
        if not low <= self.startup_window_s <= high:
            raise UsageError(f"--startup-window must be {low:g}-{high:g} s, not {self.startup_window_s:g}",
                             "it is the variant's ContainerStartupHealthCheckTimeoutInSeconds")
        if self.connect not in ("auto", "bridge", "joined", "published"):
            raise UsageError(f"--connect must be auto, bridge, joined or published, not {self.connect!r}")
        self.instance  # raises UsageError for an unknown type
        if self.load is not None:
            self.load.validate(self)
        if self.fuzz is not None or self.stream or self.bidi:
            self._validate_fuzz()
        if self.image_layout is not None and not self.image_layout.exists():
            raise UsageError(f"--image-layout not found: {self.image_layout}",
                             "an OCI layout folder or tar, or a skopeo dir: folder")
        if self.baseline is not None and self.baseline.mode != self.mode:
            raise UsageError(f"--baseline {self.baseline.path} is a report of --mode {self.baseline.mode}, "
                             f"this run is --mode {self.mode}", "compare runs of one mode")
        return self

    def _validate_env(self) -> None:
        for key, value in self.env.items():
            if not ENV_KEY.match(key) or len(key) > MAX_ENV_BYTES or len(str(value)) > MAX_ENV_BYTES:
                raise UsageError(f"invalid environment entry {key!r}",
                                 f"keys match [a-zA-Z_][a-zA-Z0-9_]*; keys and values <= {MAX_ENV_BYTES} bytes")
        if len(self.env) > MAX_ENV_ENTRIES:
            raise UsageError(f"more than {MAX_ENV_ENTRIES} --env entries", f"SageMaker allows at most {MAX_ENV_ENTRIES}")

    def _validate_fuzz(self) -> None:
        if not self.serves:
            raise UsageError("--fuzz, --stream and --bidi apply to --mode serve", "they send requests to the server")
        if self.fuzz is not None and self.fuzz.examples < 1:
            raise UsageError(f"--fuzz must be >= 1, not {self.fuzz.examples}", "or leave it out (0: off)")
        if self.fuzz is not None and self.fuzz.seed is not None and not 0 <= self.fuzz.seed < 2 ** 64:
            raise UsageError(f"--fuzz-seed must be 0..2**64-1, not {self.fuzz.seed}")

    def _validate_target(self) -> None:
        if not self.mode_settings.takes_target:
            raise UsageError(f"--target does not apply to --mode {self.mode}",
                             "the tool starts the image itself in this mode; --target is for --mode serve")
        match = re.fullmatch(r"http://[^/\s:\[\]]+(?::(\d{1,5}))?/?", self.target)
        if not match or not 1 <= int(match.group(1) or 80) <= 65535:
            raise UsageError(f"--target expects http://HOST:PORT (port 1-65535), got {self.target!r}")

    def _validate_files(self) -> None:
        if self.payload is not None:
            if not self.payload.is_file():   # also refuses a FIFO or a device: reading it could block
                raise UsageError(f"payload file not found (or not a regular file): {self.payload}",
                                 "give --payload a file that holds one request body")
            size = self.payload.stat().st_size
            if size > self.max_body_bytes:
                raise UsageError(f"payload {self.payload} is {size} bytes, over the platform's limit of "
                                 f"{self.max_body_bytes} bytes for an InvokeEndpoint body in {self.mode} mode",
                                 "give a smaller request body; the tool itself grows one to the limit "
                                 "for inference.invocations.request-size")
        if self.model is not None:
            if not self.model.exists():
                raise UsageError(f"model not found: {self.model}",
                                 "give --model a directory or a model.tar.gz")
            if not (self.model.is_dir() or self.model.is_file()):
                raise UsageError(f"model {self.model} is neither a directory nor a regular file",
                                 "give --model a directory or a model.tar.gz (not a FIFO or device)")


def read_regular_file(path: Path, what: str) -> str:
    """The text of a regular file: a FIFO or a device given as a JSON option would block the
    run for ever, so it is refused before it is opened."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{what} {path} is not a regular file", "give a JSON file, not a FIFO or a device")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}") from None


def parse_memory(text: str) -> int:
    """'8g', '512m', '1073741824' -> bytes."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]i?b?)?", text.strip().lower())
    if not match:
        raise UsageError(f"cannot read memory size {text!r}", "use e.g. 512m or 8g")
    number = float(match.group(1))
    unit = (match.group(2) or "")[:1]
    return int(number * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit])


def host_cpu_count() -> int:
    return os.cpu_count() or 1
