"""What a fuzz finding looks like in a result: the minimal input (escaped, and whole as
base64 so the JSON and HTML reports carry it as a file), the response, /ping afterwards,
the container's log tail, and how to replay it."""
from __future__ import annotations

import base64
from typing import Optional

from ...features.fuzz.runner import FuzzFinding, FuzzResult
from ...features.fuzz.strategies import escaped

ATTACH_MAX_BYTES = 8 * 1024 * 1024   # the whole body up to the 6 MiB limit and a bit


def summary(result: FuzzResult, examples: int) -> dict:
    return {"examples_sent": result.examples, "examples_asked": examples, "seed": result.seed,
            "derandomized": result.derandomized, "replay": result.replay(examples),
            "elapsed_s": result.elapsed_s, "statuses": result.statuses,
            "stopped": result.stopped or None, "restarts": result.restarts,
            "hypothesis_storage": result.storage or None}


def finding_details(result: FuzzResult, finding: Optional[FuzzFinding], examples: int) -> dict:
    details = summary(result, examples)
    if finding is None:
        return details
    case, sample = finding.case, finding.sample
    attached = case.body[:ATTACH_MAX_BYTES]
    details["minimal_input"] = {
        "kind": finding.kind, "body_bytes": len(case.body), "body_escaped": escaped(case.body, 2000),
        "body_base64": base64.b64encode(attached).decode(), "headers": case.headers(),
        "headers_left_out": [n for n, v in (("Content-Type", case.content_type),
                                            ("Accept", case.accept)) if v is None],
        "failing_examples_seen": finding.seen}
    details["response"] = {"status": sample.status, "error": sample.error or None,
                           "elapsed_s": round(sample.elapsed_s, 3),
                           "body_head": escaped(sample.body_head, 300)}
    details["after"] = finding.after
    details["log_tail"] = finding.logs[-4000:]
    return details


def told(finding: FuzzFinding, result: FuzzResult, examples: int) -> str:
    """One paragraph: what broke, on which minimal input, and how to replay it."""
    response = finding.sample.describe()
    return (f"{finding.kind} on {finding.case.describe(120)} -> {response}; then {finding.after}. "
            f"Smallest of {finding.seen} failing example(s) after {result.examples} requests; "
            f"replay: {result.replay(examples)}")
