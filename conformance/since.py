"""Which release of sagemaker-conformance each built-in check appeared in: the rules'
release notes, in one place. A check's `since` (list-checks, docs/checks.md, the
compatibility matrix) comes from here; tests/test_registry.py fails when a built-in check
is missing from this table or the table names a check that does not exist. A plugin's
checks carry the version of the distribution that ships them instead."""
from __future__ import annotations

from typing import Optional

INTRODUCED = {
    "0.1.0": (
        "image.entrypoint.handles-arg", "image.entrypoint.exec-form", "image.init.tini",
        "image.network-isolation", "image.manifest", "image.arch", "image.user.root", "image.credentials",
        "inference.accept", "inference.accept.burst", "inference.port", "inference.bind",
        "inference.concurrency", "inference.errors", "inference.errors.status", "inference.headers",
        "inference.invocations", "inference.invocations.request-size", "inference.invocations.content-type",
        "inference.ping", "inference.ping.latency", "inference.ping.truth", "inference.ping.post",
        "inference.startup", "load.accept", "load.errors", "load.generator", "load.latency", "load.ping",
        "load.throughput", "lifecycle.sigterm", "training.channels", "training.channels.read-only",
        "training.checkpoints", "training.config", "training.exit", "training.failure",
        "training.hyperparameters", "training.metrics", "training.model", "distributed.hosts",
        "distributed.traffic.encrypted", "fuzz.alive", "fuzz.status", "streaming.bidi.label",
        "streaming.bidi.endpoint", "streaming.bidi.keepalive", "streaming.bidi.close",
        "streaming.response.chunked", "streaming.response.first-byte", "streaming.response.limits",
        "variants.agreement", "variants.latency", "serverless.disk", "serverless.image", "serverless.memory",
        "serverless.user", "serverless.workers", "component.copies", "component.memory", "component.workers",
        "baseline.verdicts", "baseline.latency", "async.concurrency", "async.payload", "async.timeout",
        "batch.concurrency", "batch.execution-parameters", "batch.output", "batch.output.records",
        "batch.payload", "batch.ping", "batch.strategy", "batch.timeout", "pipeline.bind", "pipeline.direct",
        "pipeline.label", "pipeline.ping", "pipeline.serial", "mme.get", "mme.invoke", "mme.label", "mme.list",
        "mme.list.pagination", "mme.load", "mme.load.conflict", "mme.memory", "mme.ping", "mme.unload",
    ),
    "0.2.0": ("image.gpu.no-drivers", "inference.headers.custom-attributes", "distributed.hosts.names",
              "inference.bind-to-port"),
}
_SINCE = {check_id: version for version, ids in INTRODUCED.items() for check_id in ids}


def since(check_id: str) -> Optional[str]:
    return _SINCE.get(check_id)
