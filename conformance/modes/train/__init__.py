"""--mode train: a training job, one container per host."""
from pathlib import Path

from ...option_spec import parse_duration
from .inputs import read_json_object, read_metric_definitions
from ...registry import ModeSpec, mode
from .driver import TrainDriver
from .settings import TrainingSettings
from .options import OPTIONS


def _path(text):
    return None if text in (None, "") else Path(text)


def build(values) -> TrainingSettings:
    return TrainingSettings(
        channels={name: Path(folder) for name, folder in values["channel"] or ()},
        hyperparameters=read_json_object(_path(values["hyperparameters"]), "hyperparameters") or {},
        instance_count=values["instance-count"], distribution=values["distribution"],
        input_mode=values["input-mode"], max_runtime_s=parse_duration(values["max-runtime"]),
        failure_hyperparameters=read_json_object(_path(values["failure-hyperparameters"]),
                                                 "failure hyperparameters"),
        require_encrypted_traffic=values["require-encrypted-traffic"], checkpoints=values["checkpoints"],
        metric_definitions=read_metric_definitions(_path(values["metric-definitions"])),
        objective_metric=values["objective-metric"] or None,
        container_entrypoint=tuple(values["container-entrypoint"] or ()),
        container_arguments=tuple(values["container-arguments"] or ()))


# The training options are not refused in other modes: a project's pyproject.toml may
# hold them for its training image beside a serving one.
mode(ModeSpec("train", "training job", build, lambda config: TrainDriver, order=20, declares=OPTIONS,
              refused_elsewhere=False))

