"""--mode train: what CreateTrainingJob would say (channels, hyperparameters, hosts, input
mode, the stopping condition, metric definitions, checkpoints); contract.md §10-13."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings
from ...contract import MAX_CHANNELS, MAX_METRIC_DEFINITIONS, PLATFORM_TRAIN_STOP_GRACE_S
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig

MAX_CONTAINER_ARGV, MAX_CONTAINER_ARG = 100, 256   # ContainerEntrypoint/-Arguments (API-SM AlgorithmSpecification)
CHANNEL_NAME = re.compile(r"^[A-Za-z0-9.\-_]{1,64}$")  # API-SM Channel.ChannelName
DEFAULT_MAX_RUNTIME_S = 600.0   # the tool's default --max-runtime (StoppingCondition.MaxRuntimeInSeconds)


@dataclass(frozen=True)
class TrainingSettings(ModeSettings):
    mode: ClassVar[str] = "train"
    argument: ClassVar[str] = "train"
    stop_grace_s: ClassVar[float] = PLATFORM_TRAIN_STOP_GRACE_S
    takes_target: ClassVar[bool] = False
    invokes: ClassVar[bool] = False
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
    container_entrypoint: tuple = ()                      # AlgorithmSpecification.ContainerEntrypoint
    container_arguments: tuple = ()                       # AlgorithmSpecification.ContainerArguments

    @property
    def command(self) -> list:
        """What follows the entry point: `train`, unless the job names its own entry point
        or arguments; then exactly its arguments (contract.md training.start, API-SM
        AlgorithmSpecification)."""
        if self.container_entrypoint or self.container_arguments:
            return list(self.container_arguments)
        return [self.argument]

    def options(self) -> tuple:
        flags = (("require_encrypted_traffic", self.require_encrypted_traffic),
                 ("metric_definitions", bool(self.metric_definitions)),
                 ("objective_metric", bool(self.objective_metric)), ("checkpoints", self.checkpoints),
                 ("fastfile", self.input_mode == "FastFile"))
        return tuple(name for name, on in flags if on)

    def validate(self, config: "RunConfig") -> None:
        training = self
        for name, folder in training.channels.items():
            if not CHANNEL_NAME.match(name):
                raise UsageError(f"invalid channel name {name!r}", "1-64 characters of [A-Za-z0-9.-_]")
            if not Path(folder).is_dir():
                raise UsageError(f"channel {name}: folder not found: {folder}")
        if len(training.channels) > MAX_CHANNELS:
            raise UsageError(f"more than {MAX_CHANNELS} channels", f"SageMaker allows at most {MAX_CHANNELS}")
        if training.instance_count < 1:
            raise UsageError("--instance-count must be >= 1")
        if training.input_mode not in ("File", "FastFile", "Pipe"):
            raise UsageError("--input-mode must be File, FastFile or Pipe")
        for flag, argv in (("container-entrypoint", training.container_entrypoint),
                           ("container-arguments", training.container_arguments)):
            if len(argv) > MAX_CONTAINER_ARGV or any(not 0 < len(a) <= MAX_CONTAINER_ARG for a in argv):
                raise UsageError(f"--{flag}: at most {MAX_CONTAINER_ARGV} strings of 1-{MAX_CONTAINER_ARG} "
                                 f"characters (AlgorithmSpecification), got {len(argv)}",
                                 "contract.md training.start")
        if training.distribution not in ("FullyReplicated", "ShardedByS3Key"):
            raise UsageError("--distribution must be FullyReplicated or ShardedByS3Key")
        names = [name for name, _ in training.metric_definitions]
        if training.objective_metric is not None and training.objective_metric not in names:
            raise UsageError(f"--objective-metric {training.objective_metric!r} is not among the metric "
                             f"definitions ({', '.join(names) or 'none given'})",
                             "a tuning job's objective must be one of the algorithm's MetricDefinitions")
        if len(training.metric_definitions) > MAX_METRIC_DEFINITIONS:
            raise UsageError(f"more than {MAX_METRIC_DEFINITIONS} metric definitions",
                             f"SageMaker allows at most {MAX_METRIC_DEFINITIONS}")
        for name, regex in training.metric_definitions:
            try:
                compiled = re.compile(regex)
            except re.error as exc:
                raise UsageError(f"metric {name!r}: invalid regex {regex!r}: {exc}") from None
            if compiled.groups < 1 or not 1 <= len(name) <= 255 or not 1 <= len(regex) <= 500:
                raise UsageError(f"metric {name!r}: need a name of 1-255 characters and a regex of "
                                 f"1-500 characters with one capture group")


