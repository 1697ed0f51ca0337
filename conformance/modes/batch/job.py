"""A transform job against the running container: GET /execution-parameters first, then
every mini-batch with at most MaxConcurrentTransforms in flight, each with the invocation
timeout and its retries; the responses of each input file assembled into <file>.out, and
no output for a file with a failed mini-batch (contract.md batch.*, API-SM, BT)."""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

from ...engine.http import HttpSample, http_call
from ...registry import measurement
from .settings import DEFAULTS, PAYLOAD_TOTAL_MB, STRATEGY_ENV, BatchSettings
from .split import MiniBatch, mini_batches

RESPONSE_KEEP_BYTES = 256 * 1024 * 1024   # a response is assembled whole into <file>.out
PARAMS_TIMEOUT_S = 5.0   # the platform's wait for /execution-parameters is not documented
STRATEGIES = {v: k for k, v in STRATEGY_ENV.items()}   # SINGLE_RECORD -> SingleRecord


@dataclass
class Sent:
    batch: MiniBatch
    attempts: list = field(default_factory=list)   # HttpSample per attempt
    in_flight: int = 0                             # requests in flight when the first attempt went out

    @property
    def ok(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].ok


@dataclass
class BatchJob:
    params: dict                     # the values used
    origin: dict                     # where each came from: job | container | default
    answer: Optional[HttpSample]     # GET /execution-parameters
    problems: list                   # what is wrong with the container's answer
    sent: list = field(default_factory=list)
    outputs: dict = field(default_factory=dict)   # file -> {"records", "ok", "lines", "path"}
    max_in_flight: int = 0
    elapsed_s: float = 0.0


def execution_parameters(base_url: str) -> tuple[Optional[HttpSample], dict, list]:
    """(the answer, the valid values it gave, what is wrong with it)."""
    sample = http_call(base_url, "GET", "/execution-parameters", read_timeout=PARAMS_TIMEOUT_S,
                       keep_bytes=64 * 1024)
    if sample.status != 200:
        return sample, {}, []
    try:
        answer = json.loads(sample.body_head)
    except ValueError:
        return sample, {}, [f"not JSON: {sample.body_head[:80]!r}"]
    if not isinstance(answer, dict):
        return sample, {}, ["not a JSON object"]
    return sample, *_valid(answer)


def _valid(answer: dict) -> tuple[dict, list]:
    good, problems = {}, []
    concurrent, strategy, payload = (answer.get(k) for k in DEFAULTS)
    if concurrent is not None:
        if isinstance(concurrent, int) and not isinstance(concurrent, bool) and concurrent >= 1:
            good["MaxConcurrentTransforms"] = concurrent
        else:
            problems.append(f"MaxConcurrentTransforms must be an integer >= 1, not {concurrent!r}")
    if strategy is not None:
        if strategy in STRATEGIES:
            good["BatchStrategy"] = STRATEGIES[strategy]
        else:
            problems.append(f"BatchStrategy must be SINGLE_RECORD or MULTI_RECORD, not {strategy!r}")
    if payload is not None:
        if isinstance(payload, int) and not isinstance(payload, bool) and 0 <= payload <= 100:
            good["MaxPayloadInMB"] = payload
        else:
            problems.append(f"MaxPayloadInMB must be an integer 0-100, not {payload!r}")
    if good.get("MaxConcurrentTransforms", 1) * good.get("MaxPayloadInMB", 0) > PAYLOAD_TOTAL_MB:
        problems.append(f"MaxConcurrentTransforms x MaxPayloadInMB is over {PAYLOAD_TOTAL_MB} MB")
    return good, problems


def run_batch(base_url: Callable[[], str], settings: BatchSettings, content_type: str, accept: str,
              progress: Callable[[str], None] = lambda _: None) -> BatchJob:
    started = time.monotonic()
    answer, offered, problems = execution_parameters(base_url())
    job = settings.job_values()
    params = {k: job.get(k, offered.get(k, default)) for k, default in DEFAULTS.items()}
    origin = {k: "job" if k in job else "container" if k in offered else "default" for k in DEFAULTS}
    result = BatchJob(params, origin, answer, problems)
    batches = mini_batches(settings.input, settings.split_type, params["BatchStrategy"], params["MaxPayloadInMB"])
    progress(f"batch transform: {len(batches)} mini-batches, {params['MaxConcurrentTransforms']} at a time")
    result.sent = _send_all(base_url, batches, params["MaxConcurrentTransforms"], settings,
                            {"Content-Type": content_type, "Accept": accept}, result)
    result.outputs = assemble(result.sent, settings)
    result.elapsed_s = round(time.monotonic() - started, 3)
    return result


def _send_all(base_url, batches: list, concurrency: int, settings: BatchSettings, headers: dict,
              job: BatchJob) -> list:
    lock, in_flight = threading.Lock(), [0]

    def send(batch: MiniBatch) -> Sent:
        sent = Sent(batch)
        for _ in range(1 + settings.retries):
            with lock:
                in_flight[0] += 1
                sent.in_flight = sent.in_flight or in_flight[0]
                job.max_in_flight = max(job.max_in_flight, in_flight[0])
            try:
                body = iter([batch.body]) if batch.chunked else batch.body   # a generator goes chunked
                sent.attempts.append(http_call(base_url(), "POST", "/invocations", body=body,
                                               headers=headers, read_timeout=settings.timeout_s,
                                               keep_bytes=RESPONSE_KEEP_BYTES))
            finally:
                with lock:
                    in_flight[0] -= 1
            if sent.attempts[-1].ok:
                break
        return sent

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(send, batches))


def assemble(sent: list, settings: BatchSettings) -> dict:
    """<file>.out per input file from its responses in order; nothing for a failed file."""
    outputs: dict = {}
    for item in sent:
        entry = outputs.setdefault(item.batch.file, {"records": 0, "ok": True, "parts": [], "path": None})
        entry["records"] += item.batch.records
        entry["ok"] = entry["ok"] and item.ok
        entry["parts"].append(item.attempts[-1].body_head if item.attempts else b"")
    for name, entry in outputs.items():
        parts = entry.pop("parts")
        if not entry["ok"]:
            entry["lines"] = None
            continue
        joiner = b"\n" if settings.assemble_with == "Line" else b""
        data = b"".join(p + joiner for p in parts)
        path = settings.output / f"{name}.out"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entry["path"], entry["lines"] = str(path), len([l for l in data.splitlines() if l.strip()])
    return outputs


@measurement("batch_job")
def batch_job(probes):
    """The whole transform job, run once and judged by every batch.* check."""
    return run_batch(lambda: probes.target.base_url, probes.config.mode_settings, probes.content_type,
                     probes.accept, probes.progress)
