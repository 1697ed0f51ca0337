"""The platform's limits, each written once with the rule of shared/contract.md it comes
from and its AWS source (the tags of contract.md's source list, see sources.py). Code
reads the plain numbers below; `LIMITS` keeps what each one means, for docs and tests.
Numbers that are the tool's own choices (poll intervals, measurement graces) are not
here: they live beside the code that uses them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    name: str
    value: object
    unit: str
    rule: str       # the rule's id in shared/contract.md
    source: str     # where AWS says so


LIMITS: dict[str, Limit] = {}


def limit(name: str, value, unit: str, rule: str, source: str):
    """Record one limit and give back its value; a name is recorded once."""
    if name in LIMITS:
        raise ValueError(f"limit {name} is defined twice")
    LIMITS[name] = Limit(name, value, unit, rule, source)
    return value


# Real-time hosting.
SERVING_PORT = limit("SERVING_PORT", 8080, "port", "inference.port", "HOST")
ACCEPT_LIMIT_S = limit("ACCEPT_LIMIT_S", 0.250, "s", "inference.accept", "HOST your-algorithms-inference-code")
PING_LIMIT_S = limit("PING_LIMIT_S", 2.0, "s", "inference.ping.latency", "HOST")
INVOKE_LIMIT_S = limit("INVOKE_LIMIT_S", 60.0, "s", "inference.invocations.latency", "API-RT InvokeEndpoint")
MAX_BODY_BYTES = limit("MAX_BODY_BYTES", 6 * 1024 * 1024, "bytes",
                       "inference.invocations.request-size / response-size", "API-RT InvokeEndpoint")
# The window for the first healthy /ping: 8 minutes by the current hosting guide (4 in the
# 2019-2023 text); 60-3600 s when the variant sets ContainerStartupHealthCheckTimeoutInSeconds.
PLATFORM_STARTUP_WINDOW_S = limit("PLATFORM_STARTUP_WINDOW_S", 480.0, "s", "inference.ping.window",
                                  "HOST, HOST-2023")
STARTUP_WINDOW_RANGE_S = limit("STARTUP_WINDOW_RANGE_S", (60.0, 3600.0), "s", "inference.ping.window",
                               "API-SM ProductionVariant ContainerStartupHealthCheckTimeoutInSeconds")
PLATFORM_SERVE_STOP_GRACE_S = limit("PLATFORM_SERVE_STOP_GRACE_S", 30.0, "s", "lifecycle.sigterm.hosting", "HOST")
MAX_ENV_ENTRIES = limit("MAX_ENV_ENTRIES", 100, "entries", "inference.env", "API-SM ContainerDefinition")
MAX_ENV_BYTES = limit("MAX_ENV_BYTES", 1024, "bytes", "inference.env", "API-SM ContainerDefinition")

# contract.md pipeline.label: the label that says the server listens on SAGEMAKER_BIND_TO_PORT.
BIND_TO_PORT_LABEL = "com.amazonaws.sagemaker.capabilities.accept-bind-to-port"

# Training.
PLATFORM_TRAIN_STOP_GRACE_S = limit("PLATFORM_TRAIN_STOP_GRACE_S", 120.0, "s", "lifecycle.sigterm.training",
                                    "TRAIN-RUN")
MAX_CHANNELS = limit("MAX_CHANNELS", 20, "channels", "training.inputdataconfig", "API-SM CreateTrainingJob")
MAX_METRIC_DEFINITIONS = limit("MAX_METRIC_DEFINITIONS", 40, "definitions", "training.metrics",
                               "API-SM AlgorithmSpecification")
FAILURE_REASON_MAX = limit("FAILURE_REASON_MAX", 1024, "characters", "training.failure", "TRAIN-SIG")

# Serverless inference (SLS, API-SM ProductionVariantServerlessConfig): bodies <= 4 MB (read
# as MiB, as the real-time 6 MB is 6 MiB in API-RT: UNCONFIRMED), 5 GB of disk, images <= 10 GB.
SERVERLESS_MEMORY_SIZES_MB = limit("SERVERLESS_MEMORY_SIZES_MB", (1024, 2048, 3072, 4096, 5120, 6144), "MB",
                                   "serverless.memory", "API-SM ProductionVariantServerlessConfig")
SERVERLESS_MAX_BODY_BYTES = limit("SERVERLESS_MAX_BODY_BYTES", 4 * 1024 * 1024, "bytes", "serverless.payload", "SLS")
SERVERLESS_STARTUP_WINDOW_S = limit("SERVERLESS_STARTUP_WINDOW_S", 180.0, "s", "serverless.startup", "SLS")
SERVERLESS_DISK_BYTES = limit("SERVERLESS_DISK_BYTES", 5 * 1024 ** 3, "bytes", "serverless.disk", "SLS")
SERVERLESS_IMAGE_BYTES = limit("SERVERLESS_IMAGE_BYTES", 10 * 1024 ** 3, "bytes", "serverless.image", "SLS")

# Asynchronous inference (ASYNC, API-RT InvokeEndpointAsync, API-SM AsyncInferenceConfig).
ASYNC_MAX_PAYLOAD_BYTES = limit("ASYNC_MAX_PAYLOAD_BYTES", 1024 ** 3, "bytes", "async.payload", "ASYNC")
ASYNC_TIMEOUT_RANGE_S = limit("ASYNC_TIMEOUT_RANGE_S", (1.0, 3600.0), "s", "async.timeout",
                              "API-RT InvokeEndpointAsync InvocationTimeoutSeconds")
ASYNC_DEFAULT_TIMEOUT_S = limit("ASYNC_DEFAULT_TIMEOUT_S", 900.0, "s", "async.timeout",
                                "API-RT InvokeEndpointAsync InvocationTimeoutSeconds")
ASYNC_CONCURRENCY_RANGE = limit("ASYNC_CONCURRENCY_RANGE", (1, 1000), "invocations", "async.concurrency",
                                "API-SM AsyncInferenceConfig MaxConcurrentInvocationsPerInstance")

# Inference pipelines (PIPE, API-SM CreateModelInput.Containers).
PIPELINE_SIZE_RANGE = limit("PIPELINE_SIZE_RANGE", (2, 15), "containers", "pipeline.size", "API-SM CreateModel")
