"""RunConfig: everything one run needs, built by the fronts, read by the engine."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import UsageError
from .instances import InstanceSpec, lookup_instance
from .modes.batch.settings import BatchSettings
from .modes.batch.validate import validate_batch
from .features.fuzz.settings import FuzzSettings
from .features.load.runner import LoadSettings
from .modes.mme.settings import MME_ENV, MmeSettings, validate_mme

from .contract import (ASYNC_DEFAULT_TIMEOUT_S, ASYNC_MAX_PAYLOAD_BYTES, ASYNC_TIMEOUT_RANGE_S,
                       INVOKE_LIMIT_S, MAX_BODY_BYTES, PLATFORM_SERVE_STOP_GRACE_S,
                       PLATFORM_STARTUP_WINDOW_S, PLATFORM_TRAIN_STOP_GRACE_S, SERVERLESS_MAX_BODY_BYTES,
                       SERVERLESS_MEMORY_SIZES_MB, STARTUP_WINDOW_RANGE_S)

# A start that shows the same wrong /ping answer (or other ports than the platform's) with
# the container idle for this long is stuck (engine/start_evidence.py): the tool's choice,
# long enough for a quiet pause in a real start, short enough for a verdict in seconds.
DEFAULT_SETTLE_S = 20.0
DEFAULT_MAX_RUNTIME_S = 600.0   # the tool's default --max-runtime (StoppingCondition.MaxRuntimeInSeconds)


@dataclass(frozen=True)
class AsyncSettings:
    payload_bytes: int = ASYNC_MAX_PAYLOAD_BYTES    # the body async.payload streams from disk
    invocation_timeout_s: float = ASYNC_DEFAULT_TIMEOUT_S
    max_concurrent: int = 4                         # MaxConcurrentInvocationsPerInstance
CHANNEL_NAME = re.compile(r"^[A-Za-z0-9.\-_]{1,64}$")  # API-SM Channel.ChannelName
ENV_KEY = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # API-SM ContainerDefinition.Environment


@dataclass(frozen=True)
class TrainingSettings:
    channels: dict = field(default_factory=dict)          # name -> local folder
    hyperparameters: dict = field(default_factory=dict)   # as the user wrote them (any JSON type)
    instance_count: int = 1
    distribution: str = "FullyReplicated"                 # or ShardedByS3Key
    input_mode: str = "File"                              # or Pipe (FIFOs <channel>_<epoch>)
    max_runtime_s: float = DEFAULT_MAX_RUNTIME_S
    failure_hyperparameters: Optional[dict] = None        # how to provoke a failure (default: empty channels)
    require_encrypted_traffic: bool = False               # plaintext between hosts fails (else warns)
    metric_definitions: tuple = ()                        # ((Name, Regex), ...) as MetricDefinitions
    objective_metric: Optional[str] = None                # a tuning job's objective (one of the above)
    checkpoints: bool = False                             # CheckpointConfig: /opt/ml/checkpoints + the resume drill


@dataclass(frozen=True)
class RunConfig:
    image: str
    mode: str = "serve"
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
    only: tuple = ()
    skip: tuple = ()
    connect: str = "auto"  # auto | bridge | joined | published (engine/reach.py)
    target: Optional[str] = None   # http://HOST:PORT of an endpoint the tool did not start
    load: Optional[LoadSettings] = None
    training: Optional[TrainingSettings] = None
    artifacts_dir: Path = Path("reports")   # where a training run's model.tar.gz is written
    memory_size_mb: Optional[int] = None    # --mode serverless: MemorySizeInMB
    network_isolation: bool = False         # EnableNetworkIsolation: no outbound network
    async_: Optional[AsyncSettings] = None  # --mode async
    batch: Optional[BatchSettings] = None   # --mode batch
    pipeline: tuple = ()                    # --pipeline: the images after `image`, in order
    pipeline_mode: str = "serial"           # InferenceExecutionConfig.Mode: serial | direct
    fuzz: Optional[FuzzSettings] = None     # --fuzz N: hypothesis examples against /invocations
    stream: bool = False                    # --stream: the image claims streamed responses
    mme: Optional[MmeSettings] = None       # --mode mme: the models and the memory drill

    @property
    def stop_grace_s(self) -> float:
        if self.stop_timeout_s is not None:
            return self.stop_timeout_s
        return PLATFORM_TRAIN_STOP_GRACE_S if self.mode == "train" else PLATFORM_SERVE_STOP_GRACE_S

    @property
    def serves(self) -> bool:
        """The image is started with `serve` (real-time, serverless, async, batch, MME), not `train`."""
        return self.mode != "train"

    @property
    def invocation_limit_s(self) -> float:
        """How long one /invocations may take: 60 s (real-time, serverless),
        InvocationTimeoutSeconds in async (contract.md async.timeout), or the transform job's
        InvocationsTimeoutInSeconds in batch (contract.md batch.timeout: 600 s by default)."""
        if self.async_ is not None:
            return self.async_.invocation_timeout_s
        if self.batch is not None:   # ModelClientConfig.InvocationsTimeoutInSeconds (default 600 s)
            return self.batch.timeout_s
        return INVOKE_LIMIT_S

    @property
    def pipeline_images(self) -> tuple:
        return (self.image, *self.pipeline) if self.pipeline else ()

    @property
    def check_mode(self) -> "Mode":
        """The registry's mode: a pipeline has checks of its own, whatever serves in it."""
        from .model import Mode
        return Mode.PIPELINE if self.pipeline else Mode(self.mode)

    @property
    def container_env(self) -> dict:
        """The container's environment: the model's, and a transform job's or a multi-model
        endpoint's variables."""
        return {**self.env, **(self.batch.environment() if self.batch is not None else {}),
                **(MME_ENV if self.mme is not None else {})}

    @property
    def argument(self) -> str:
        """What `docker run IMAGE` is given: `serve` (real-time, serverless) or `train`."""
        return "serve" if self.serves else "train"

    @property
    def max_body_bytes(self) -> int:
        """The largest request and response body the platform passes in this mode."""
        if self.batch is not None and self.batch.max_payload_mb:   # MaxPayloadInMB (contract.md batch.payload)
            return self.batch.max_payload_mb * 1024 * 1024
        return SERVERLESS_MAX_BODY_BYTES if self.mode == "serverless" else MAX_BODY_BYTES

    @property
    def startup_wait_s(self) -> float:
        """How long the tool waits for the first healthy /ping: never past the platform's
        window (a later answer fails), and the whole window unless told otherwise."""
        if self.startup_timeout_s is None:
            return self.startup_window_s
        return min(self.startup_timeout_s, self.startup_window_s)

    @property
    def options(self) -> tuple:
        """Optional check groups this run enables (see checks.check(option=...))."""
        options = ("load",) if self.load is not None else ()
        if self.training is not None and self.training.require_encrypted_traffic:
            options += ("require_encrypted_traffic",)
        if self.training is not None and self.training.metric_definitions:
            options += ("metric_definitions",)
        if self.training is not None and self.training.objective_metric:
            options += ("objective_metric",)
        if self.training is not None and self.training.checkpoints:
            options += ("checkpoints",)
        if self.fuzz is not None:
            options += ("fuzz",)
        if self.network_isolation:
            options += ("network_isolation",)
        if self.pipeline:
            options += (f"pipeline_{self.pipeline_mode}",)
        if self.stream:
            options += ("stream",)
        return options

    @property
    def instance(self) -> InstanceSpec:
        return lookup_instance(self.instance_type)

    def validate(self) -> "RunConfig":
        from .model import Mode
        for name in (self.image, *self.pipeline):
            if not name or not name.isprintable():
                raise UsageError(f"the image name {name!r} has control characters or is empty",
                                 "give the image as `docker images` lists it")
        if self.mode not in Mode.chosen():
            raise UsageError(f"mode {self.mode!r} is not supported", f"use --mode {' | '.join(Mode.chosen())}")
        if self.mode == "train":
            self._validate_training()
        self._validate_serverless()
        self._validate_async()
        self._validate_pipeline()
        validate_mme(self)
        if (self.batch is not None) != (self.mode == "batch"):
            raise UsageError("the batch options apply to --mode batch")
        if self.batch is not None:
            validate_batch(self.batch, self.target)
        if self.target is not None:
            self._validate_target()
        if self.network_isolation and self.connect == "published":
            raise UsageError("--network-isolation cannot publish a port: an internal network has no "
                             "route from outside", "use --connect bridge or joined")
        if self.target is not None and self.network_isolation:
            raise UsageError("--network-isolation needs a container the tool starts, not a --target")
        self._validate_files()
        for key, value in self.env.items():
            if not ENV_KEY.match(key) or len(key) > 1024 or len(str(value)) > 1024:
                raise UsageError(f"invalid environment entry {key!r}",
                                 "keys match [a-zA-Z_][a-zA-Z0-9_]*; keys and values <= 1024 bytes")
        if len(self.env) > 100:
            raise UsageError("more than 100 --env entries", "SageMaker allows at most 100")
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
            if self.payload is None:
                raise UsageError("--load needs --payload", "give a request body for /invocations")
            if self.load.users < 1 or self.load.duration_s <= 0 or self.load.workers < 0 or self.load.spawn_rate <= 0:
                raise UsageError("--users must be >= 1, --spawn-rate > 0, --duration > 0, --workers >= 0")
            if self.load.master and not re.fullmatch(r"[^\s:]*:\d{1,5}", self.load.master):
                raise UsageError(f"--load-master expects HOST:PORT, got {self.load.master!r}",
                                 "e.g. 0.0.0.0:5557 to take workers from any interface")
            if self.load.master and self.load.remote_workers < 1:
                raise UsageError("--remote-workers must be >= 1 with --load-master")
        self._validate_fuzz()
        return self


    def _validate_serverless(self) -> None:
        """Serverless refuses what it does not support (contract.md serverless.exclusions,
        SLS); the tool refuses the options that would not mean anything there."""
        if self.mode != "serverless":
            if self.memory_size_mb is not None:
                raise UsageError("--memory-size applies to --mode serverless", "use --memory for an instance")
            return
        if self.memory_size_mb not in SERVERLESS_MEMORY_SIZES_MB:
            raise UsageError(f"--memory-size must be one of {', '.join(map(str, SERVERLESS_MEMORY_SIZES_MB))} "
                             f"(MB), not {self.memory_size_mb}", "MemorySizeInMB of ProductionVariantServerlessConfig")
        if self.network_isolation:
            raise UsageError("serverless endpoints do not support network isolation",
                             "contract.md serverless.exclusions (SLS): leave --network-isolation out")
        for given, name in ((self.memory, "--memory"), (self.cpus, "--cpus"), (self.target, "--target")):
            if given is not None:
                raise UsageError(f"{name} does not apply to --mode serverless",
                                 "serverless memory is --memory-size, its vCPUs follow it, and the tool "
                                 "starts the image itself")

    def _validate_pipeline(self) -> None:
        """2-15 containers (contract.md pipeline.size, API-SM CreateModelInput.Containers)."""
        count = len(self.pipeline_images)
        if not self.pipeline:
            return
        if not 2 <= count <= 15:
            raise UsageError(f"a pipeline holds 2-15 containers, not {count}",
                             "IMAGE and each --pipeline IMAGE count (contract.md pipeline.size)")
        if self.mode != "serve" or self.target is not None:
            raise UsageError("--pipeline applies to --mode serve and starts its images itself",
                             "serverless does not support pipelines (contract.md serverless.exclusions)")
        if self.pipeline_mode not in ("serial", "direct"):
            raise UsageError(f"--pipeline-mode must be serial or direct, not {self.pipeline_mode!r}")

    def _validate_async(self) -> None:
        settings = self.async_
        if (settings is not None) != (self.mode == "async"):
            raise UsageError("the async options apply to --mode async")
        if settings is None:
            return
        low, high = ASYNC_TIMEOUT_RANGE_S
        if not low <= settings.invocation_timeout_s <= high:
            raise UsageError(f"--invocation-timeout must be {low:g}-{high:g} s, not "
                             f"{settings.invocation_timeout_s:g}", "InvocationTimeoutSeconds")
        if not 1 <= settings.payload_bytes <= ASYNC_MAX_PAYLOAD_BYTES:
            raise UsageError(f"--async-payload-size must be 1 byte to 1 GiB, not {settings.payload_bytes}")
        if not 1 <= settings.max_concurrent <= 1000:
            raise UsageError(f"--max-concurrent-invocations must be 1-1000, not {settings.max_concurrent}",
                             "MaxConcurrentInvocationsPerInstance")
        if self.target is not None:
            raise UsageError("--mode async starts the image itself; --target does not apply")

    def _validate_fuzz(self) -> None:
        if self.fuzz is None and not self.stream:
            return
        if not self.serves:
            raise UsageError("--fuzz and --stream apply to --mode serve", "they send requests to /invocations")
        if self.fuzz is not None and self.fuzz.examples < 1:
            raise UsageError(f"--fuzz must be >= 1, not {self.fuzz.examples}", "or leave it out (0: off)")
        if self.fuzz is not None and self.fuzz.seed is not None and not 0 <= self.fuzz.seed < 2 ** 64:
            raise UsageError(f"--fuzz-seed must be 0..2**64-1, not {self.fuzz.seed}")

    def _validate_target(self) -> None:
        if self.mode != "serve":
            raise UsageError("--target applies to --mode serve", "a training job is always started by the tool")
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

    def _validate_training(self) -> None:
        training = self.training or TrainingSettings()
        for name, folder in training.channels.items():
            if not CHANNEL_NAME.match(name):
                raise UsageError(f"invalid channel name {name!r}", "1-64 characters of [A-Za-z0-9.-_]")
            if not Path(folder).is_dir():
                raise UsageError(f"channel {name}: folder not found: {folder}")
        if len(training.channels) > 20:
            raise UsageError("more than 20 channels", "SageMaker allows at most 20")
        if training.instance_count < 1:
            raise UsageError("--instance-count must be >= 1")
        if training.input_mode not in ("File", "Pipe"):
            raise UsageError("--input-mode must be File or Pipe")
        if training.distribution not in ("FullyReplicated", "ShardedByS3Key"):
            raise UsageError("--distribution must be FullyReplicated or ShardedByS3Key")
        if self.load is not None:
            raise UsageError("--load applies to --mode serve")
        names = [name for name, _ in training.metric_definitions]
        if training.objective_metric is not None and training.objective_metric not in names:
            raise UsageError(f"--objective-metric {training.objective_metric!r} is not among the metric "
                             f"definitions ({', '.join(names) or 'none given'})",
                             "a tuning job's objective must be one of the algorithm's MetricDefinitions")
        if len(training.metric_definitions) > 40:
            raise UsageError("more than 40 metric definitions", "SageMaker allows at most 40")
        for name, regex in training.metric_definitions:
            try:
                compiled = re.compile(regex)
            except re.error as exc:
                raise UsageError(f"metric {name!r}: invalid regex {regex!r}: {exc}") from None
            if compiled.groups < 1 or not 1 <= len(name) <= 255 or not 1 <= len(regex) <= 500:
                raise UsageError(f"metric {name!r}: need a name of 1-255 characters and a regex of "
                                 f"1-500 characters with one capture group")


def read_metric_definitions(path: Optional[Path]) -> tuple:
    """A JSON list of {"Name": ..., "Regex": ...}, as CreateTrainingJob takes MetricDefinitions."""
    if path is None:
        return ()
    import json
    try:
        data = json.loads(read_regular_file(Path(path), "metric definitions"))
        found = tuple((item["Name"], item["Regex"]) for item in data)
        if not all(isinstance(name, str) and isinstance(regex, str) for name, regex in found):
            raise ValueError("each Name and Regex must be a string")
        return found
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read metric definitions {path}: {exc}",
                         'expected [{"Name": "...", "Regex": "..."}]') from None


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


def read_json_object(path: Optional[Path], what: str) -> Optional[dict]:
    if path is None:
        return None
    import json
    try:
        data = json.loads(read_regular_file(Path(path), what))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {what} {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{what} {path} must hold a JSON object")
    return data


def parse_duration(text: str) -> float:
    """'30s', '2m', '1h', '45' -> seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smh]?)", text.strip().lower())
    if not match:
        raise UsageError(f"cannot read duration {text!r}", "use e.g. 30s or 2m")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


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
