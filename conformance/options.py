"""Every run option, declared once: its kind, default, help and the rule it comes from.
The CLI's flags, the pytest plugin's --sagemaker-* options and ini keys, the Action's
inputs, the [tool.sagemaker-conformance] table and the SMC_* variables all come from
OPTIONS (settings.py resolves them; fronts.py turns them into flags and inputs)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from . import registry
from .config import DEFAULT_SETTLE_S
from .contract import ASYNC_DEFAULT_TIMEOUT_S, PLATFORM_STARTUP_WINDOW_S
from .errors import UsageError
from .features.load.settings import LoadSettings
from .modes.asynchronous.settings import AsyncSettings
from .modes.train.settings import DEFAULT_MAX_RUNTIME_S, TrainingSettings

LOAD, TRAINING = LoadSettings(), TrainingSettings()   # the engine's defaults, stated once

# Sources named by `rule` are the keys of shared/contract.md; "tool" marks a choice of
# this tool's, not of the platform.


def _text(value: Any) -> str:
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not re.fullmatch(r"\s*-?\d+\s*", str(value)):
        raise ValueError("expected a whole number")
    return int(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(number):   # nan would make every wait endless, inf too
        raise ValueError("expected a finite number")
    return number


def _header(value: Any) -> str:
    """A header value as HTTP carries it: Latin-1, no CR, LF or other control characters."""
    text = str(value)
    if any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in text):
        raise ValueError("expected a header value without control characters (no CR or LF)")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError("expected a header value in Latin-1 (HTTP headers carry no other text)") from None
    return text


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _items(value: Any) -> tuple:
    """Comma-separated text, or a list of such texts (a repeated flag): ("a", "b")."""
    parts = value if isinstance(value, (list, tuple)) else [value]
    items = [item.strip() for part in parts for item in str(part).split(",")]
    return tuple(item for item in items if item)


def _pairs(value: Any) -> tuple:
    """KEY=VALUE lines, a list of them, or a table: (("KEY", "VALUE"), ...)."""
    if isinstance(value, dict):
        return tuple((str(k), str(v)) for k, v in value.items())
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    pairs = []
    for line in (str(item).strip() for item in lines):
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"expected KEY=VALUE, got {line!r}")
        key, text = line.split("=", 1)
        pairs.append((key.strip(), text))
    return tuple(pairs)


def _models(value: Any) -> tuple:
    """[NAME=]PATH lines, or a list of them: (("NAME", "PATH"), ...), NAME "" when not given.
    Outside --mode mme one unnamed path is the model (settings.serving_model)."""
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    models = []
    for line in (str(item).strip() for item in lines):
        if line:
            whole = "=" not in line or Path(line).exists()   # a path may hold "=" itself
            name, _, path = ("", "", line) if whole else line.partition("=")
            if not path:
                raise ValueError(f"expected [NAME=]PATH, got {line!r}")
            models.append((name.strip(), path))
    return tuple(models)


KINDS: dict[str, Callable[[Any], Any]] = {
    "text": _text, "path": _text, "int": _integer, "float": _number, "bool": _flag, "header": _header,
    "list": _items, "pairs": _pairs, "paths": _pairs,   # paths: NAME=FOLDER pairs
    "models": _models,                                  # [NAME=]PATH entries
}


@dataclass(frozen=True)
class Option:
    name: str                       # flag name without dashes: "startup-window"
    kind: str                       # a key of KINDS
    help: str
    rule: str                       # the contract rule it comes from, or "tool"
    group: str = "run"              # run | report | training | load
    default: Any = None
    choices: tuple = ()

    @property
    def key(self) -> str:           # attribute, ini and TOML key: startup_window
        return self.name.replace("-", "_")

    @property
    def env(self) -> str:           # SMC_STARTUP_WINDOW
        return "SMC_" + self.key.upper()

    @property
    def repeatable(self) -> bool:   # --env A=1 --env B=2
        return self.kind in ("pairs", "paths", "models")

    @property
    def accepts_many(self) -> bool:   # a repeated flag, or a comma-separated list
        return self.repeatable or self.kind == "list"

    def describe(self) -> str:
        """The help text every front shows, with the choices."""
        return self.help + (f" ({'|'.join(self.choices)})" if self.choices else "")

    def parse(self, value: Any, origin: str, base: Optional[Path] = None) -> Any:
        """One value from a flag, a variable or a file, checked; relative paths from a file
        are resolved against that file's folder (`base`)."""
        try:
            parsed = KINDS[self.kind](value)
        except ValueError as exc:
            raise UsageError(f"{origin}: {exc} for {self.name}, got {value!r}", self.help) from None
        if self.choices and parsed not in self.choices:
            raise UsageError(f"{origin}: {self.name} must be one of {', '.join(self.choices)}, "
                             f"not {parsed!r}")
        if base is not None and self.kind == "path":
            parsed = str(base / parsed)
        if base is not None and self.kind in ("paths", "models"):
            parsed = tuple((name, str(base / folder)) for name, folder in parsed)
        return parsed


def _o(name: str, kind: str, help: str, rule: str = "tool", **more: Any) -> Option:
    return Option(name, kind, help, rule, **more)


OPTIONS: tuple[Option, ...] = (
    _o("image", "list", "the image to check (built or pulled on this engine); pytest takes several, "
       "comma-separated: one run per image, in parallel under pytest-xdist -n N --dist loadscope",
       "image.entrypoint.handles-arg", default=()),
    _o("mode", "text", "which contract: serve (real-time hosting), train, serverless (serve within "
       "--memory-size), async (asynchronous inference), batch (a transform job over --input) or mme "
       "(a multi-model endpoint: --model NAME=PATH per model)",
       "image.entrypoint.handles-arg", default="serve",
       choices=registry.mode_names()),
    _o("pipeline", "list", "another container of an inference pipeline, after IMAGE (repeat, or "
       "comma-separated: 2-15 containers in all)", "pipeline.size", group="pipeline", default=()),
    _o("pipeline-mode", "text", "serial (each response goes to the next container) or direct "
       "(each container invoked alone)", "pipeline.mode", group="pipeline", default="serial",
       choices=("serial", "direct")),
    _o("input", "path", "--mode batch: the folder of input files (every file under it)",
       "batch.split", group="batch"),
    _o("output", "path", "--mode batch: where <file>.out is written per input file", "batch.output",
       group="batch", default="reports/batch-output"),
    _o("split-type", "text", "--mode batch: SplitType", "batch.split", group="batch", default="None",
       choices=("None", "Line", "RecordIO", "TFRecord")),
    _o("batch-strategy", "text", "--mode batch: BatchStrategy (unset: the container's "
       "/execution-parameters, else MultiRecord)", "batch.split", group="batch",
       choices=("MultiRecord", "SingleRecord")),
    _o("max-payload-mb", "int", "--mode batch: MaxPayloadInMB, 0-100 (0: each file whole, chunked; "
       "unset: the container's, else 6)", "batch.payload", group="batch"),
    _o("max-concurrent", "int", "--mode batch: MaxConcurrentTransforms (unset: the container's, "
       "else 1)", "batch.concurrency", group="batch"),
    _o("assemble-with", "text", "--mode batch: AssembleWith (Line: a newline after each response)",
       "batch.output", group="batch", default="None", choices=("None", "Line")),
    _o("invocations-timeout", "float", "--mode batch: InvocationsTimeoutInSeconds, 1-3600",
       "batch.timeout", group="batch", default=600.0),
    _o("invocations-max-retries", "int", "--mode batch: InvocationsMaxRetries, 0-3", "batch.timeout",
       group="batch", default=3),
    _o("async-payload-size", "text", "--mode async: the body streamed from disk to /invocations, "
       "e.g. 64m (the platform allows 1 GB)", "async.payload", default="1g"),
    _o("invocation-timeout", "float", "--mode async: InvocationTimeoutSeconds, 1-3600",
       "async.timeout", default=ASYNC_DEFAULT_TIMEOUT_S),
    _o("max-concurrent-invocations", "int", "--mode async: MaxConcurrentInvocationsPerInstance, 1-1000",
       "async.concurrency", default=AsyncSettings().max_concurrent),
    _o("memory-size", "int", "serverless MemorySizeInMB: 1024, 2048, 3072, 4096, 5120 or 6144, "
       "a hard memory limit with vCPUs in proportion", "serverless.memory"),
    _o("payload", "path", "a file holding one request body for /invocations", "inference.invocations"),
    _o("content-type", "header", "Content-Type of the payload", "inference.invocations",
       default="application/octet-stream"),
    _o("accept", "header", "Accept header sent with the payload", "inference.invocations", default="*/*"),
    _o("model", "models", "model directory or model.tar.gz for /opt/ml/model; --mode mme: NAME=PATH, "
       "one per model (repeat), each unpacked under /opt/ml/models/<opaque id>/model",
       "inference.model-dir"),
    _o("mme-memory", "text", "--mode mme: the memory limit of the memory drill's own container, "
       "e.g. 512m (it loads models until the server answers 507 or dies)", "mme.load",
       group="mme", default="1g"),
    _o("env", "pairs", "the container's environment, KEY=VALUE (repeat, or one per line)",
       "inference.env"),
    _o("instance-type", "text", "instance type whose vCPUs, memory and architecture to apply",
       "tool", default="ml.m5.large"),
    _o("memory", "text", "override the instance's memory, e.g. 4g", "tool"),
    _o("cpus", "float", "override the instance's vCPUs", "tool"),
    _o("startup-window", "float", "the platform's window for the first healthy /ping, judged "
       "against: 480 s, or ContainerStartupHealthCheckTimeoutInSeconds (60-3600)",
       "inference.ping.window", default=PLATFORM_STARTUP_WINDOW_S),
    _o("startup-timeout", "float", "wait less than the window (a start still pending then is "
       "`error`, could not judge); default: the whole window", "inference.ping.window"),
    _o("settle-time", "float", "end the wait early when the start is stuck: the same wrong /ping "
       "answer (or only other ports than the platform's) with the container idle for this long; "
       "the platform itself would keep trying until the window ends (0: always wait the window)",
       "inference.ping.window", default=DEFAULT_SETTLE_S),
    _o("stop-timeout", "float", "grace after SIGTERM (platform: 30 s serving, 120 s training)",
       "lifecycle.sigterm.hosting"),
    _o("strict", "bool", "SHOULD failures fail the verdict", default=False),
    _o("require-complete", "bool", "a MUST check that could not run (no payload, a --target, a skip) "
       "fails the verdict: for gates where a pass must mean every MUST rule was judged", default=False),
    _o("checks", "list", "comma-separated check ids or id prefixes to run (empty: all)", default=()),
    _o("skip", "list", "comma-separated check ids or id prefixes to skip", default=()),
    _o("network-isolation", "bool", "run with no outbound network (EnableNetworkIsolation): an "
       "internal network with no route out; the tool still reaches the container",
       "image.network-isolation", default=False),
    _o("connect", "text", "how the tool reaches the container (engine/reach.py)", default="auto",
       choices=("auto", "bridge", "joined", "published")),
    _o("target", "text", "check an endpoint the tool did not start, http://HOST:PORT: what HTTP "
       "can measure is measured, every other rule is reported as not measured"),
    _o("report-dir", "path", "write report.json, report.xml, report.html and summary.md here",
       group="report"),
    _o("json", "path", "write the JSON report here", group="report"),
    _o("junit", "path", "write the JUnit XML report here", group="report"),
    _o("html", "path", "write the HTML report here", group="report"),
    _o("markdown", "path", "write the Markdown summary here", group="report"),
    _o("quiet", "bool", "no table, only the verdict line", group="report", default=False),
    _o("channel", "paths", "a training channel, NAME=FOLDER (repeat, or one per line)",
       "training.channel.file", group="training"),
    _o("hyperparameters", "path", "JSON object of hyperparameters", "training.hyperparameters",
       group="training"),
    _o("instance-count", "int", "hosts of the training job", "distributed.hosts",
       group="training", default=TRAINING.instance_count),
    _o("distribution", "text", "S3DataDistributionType of every channel", "training.channel.file",
       group="training", default=TRAINING.distribution, choices=("FullyReplicated", "ShardedByS3Key")),
    _o("input-mode", "text", "TrainingInputMode: File, or Pipe (FIFOs <channel>_<epoch>)",
       "training.channel.pipe", group="training", default=TRAINING.input_mode, choices=("File", "Pipe")),
    _o("max-runtime", "text", "stop the job after this (MaxRuntimeInSeconds), e.g. 10m",
       "training.limits", group="training", default=f"{DEFAULT_MAX_RUNTIME_S:g}s"),
    _o("failure-hyperparameters", "path", "hyperparameters that make the job fail "
       "(default: empty data channels)", "training.failure", group="training"),
    _o("metric-definitions", "path", 'JSON list of {"Name", "Regex"}, as MetricDefinitions',
       "training.metrics", group="training"),
    _o("objective-metric", "text", "run the job as a tuning job runs it: this metric (one of "
       "--metric-definitions) goes into hyperparameters.json as _tuning_objective_metric, and the "
       "job must emit it", "training.metrics", group="training"),
    _o("checkpoints", "bool", "mount /opt/ml/checkpoints and run the spot-interruption resume "
       "drill", "training.checkpoints", group="training", default=False),
    _o("require-encrypted-traffic", "bool", "plaintext between hosts fails instead of warning",
       "distributed.traffic.encrypted", group="training", default=False),
    _o("artifacts-dir", "path", "where the trained model.tar.gz is written", "training.model",
       group="training", default="reports"),
    _o("load", "bool", "also hold latency under load (locust)", group="load", default=False),
    _o("users", "int", "concurrent locust users", group="load", default=LOAD.users),
    _o("spawn-rate", "float", "users started per second", group="load", default=LOAD.spawn_rate),
    _o("duration", "text", "length of the load run, e.g. 30s or 2m", group="load",
       default=f"{LOAD.duration_s:g}s"),
    _o("p99-ms", "float", "SLO for load.latency (default: the platform's 60 s limit)",
       "inference.invocations.latency", group="load"),
    _o("max-error-rate", "float", "SLO for load.errors", group="load", default=LOAD.max_error_rate),
    _o("min-rps", "float", "SLO for load.throughput", group="load"),
    _o("workers", "int", "local locust worker processes", group="load", default=LOAD.workers),
    _o("load-master", "text", "also take locust workers from other machines, listening on HOST:PORT "
       "(e.g. 0.0.0.0:5557); start each with `sagemaker-conformance load-worker --master HOST:PORT`",
       group="load"),
    _o("remote-workers", "int", "with load-master: how many workers to wait for (60 s at most) "
       "before the load starts", group="load", default=1),
    _o("export-locustfile", "path", "also write a stand-alone locustfile here", group="load"),
    _o("fuzz", "int", "send N hypothesis examples to /invocations, each followed by /ping "
       "(fuzz.* checks); 0: off", "inference.invocations.errors", group="fuzz", default=0),
    _o("fuzz-seed", "int", "replay a fuzzing run with its seed (default: a fresh seed, shown in "
       "the report; the pytest plugin is derandomized unless given)", group="fuzz"),
    _o("stream", "bool", "the image streams its responses (InvokeEndpointWithResponseStream): "
       "check chunked transfer and time to first byte (streaming.* checks)",
       "streaming.response.chunked", group="fuzz", default=False),
)

BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
BY_KEY: dict[str, Option] = {o.key: o for o in OPTIONS}
