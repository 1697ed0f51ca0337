"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option
from .settings import DEFAULT_MAX_RUNTIME_S, TrainingSettings

TRAINING = TrainingSettings()   # the defaults, stated once

OPTIONS = (
    option("channel", "paths", "a training channel, NAME=FOLDER (repeat, or one per line)",
           "training.channel.file", group="training"),
    option("hyperparameters", "path", "JSON object of hyperparameters", "training.hyperparameters",
           group="training"),
    option("instance-count", "int", "hosts of the training job", "distributed.hosts",
           group="training", default=TRAINING.instance_count),
    option("distribution", "text", "S3DataDistributionType of every channel", "training.channel.file",
           group="training", default=TRAINING.distribution, choices=("FullyReplicated", "ShardedByS3Key")),
    option("input-mode", "text", "TrainingInputMode: File, FastFile (each channel mounted read-only) "
           "or Pipe (FIFOs <channel>_<epoch>)", "training.channel.pipe", group="training",
           default=TRAINING.input_mode, choices=("File", "FastFile", "Pipe")),
    option("container-entrypoint", "argv", "AlgorithmSpecification.ContainerEntrypoint: run this "
           "instead of the image's ENTRYPOINT, with no `train` argument (a JSON array or a command line)",
           "training.start", group="training"),
    option("container-arguments", "argv", "AlgorithmSpecification.ContainerArguments: the arguments "
           "instead of `train` (a JSON array or a command line)", "training.start", group="training"),
    option("max-runtime", "text", "stop the job after this (MaxRuntimeInSeconds), e.g. 10m",
           "training.limits", group="training", default=f"{DEFAULT_MAX_RUNTIME_S:g}s"),
    option("failure-hyperparameters", "path", "hyperparameters that make the job fail "
           "(default: empty data channels)", "training.failure", group="training"),
    option("metric-definitions", "path", 'JSON list of {"Name", "Regex"}, as MetricDefinitions',
           "training.metrics", group="training"),
    option("objective-metric", "text", "run the job as a tuning job runs it: this metric (one of "
           "--metric-definitions) goes into hyperparameters.json as _tuning_objective_metric, and the "
           "job must emit it", "training.metrics", group="training"),
    option("checkpoints", "bool", "mount /opt/ml/checkpoints and run the spot-interruption resume "
           "drill", "training.checkpoints", group="training", default=False),
    option("require-encrypted-traffic", "bool", "plaintext between hosts fails instead of warning",
           "distributed.traffic.encrypted", group="training", default=False),
    option("artifacts-dir", "path", "where the trained model.tar.gz is written", "training.model",
           group="training", default="reports"),
)
