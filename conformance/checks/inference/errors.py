"""inference.errors: bad requests (malformed, empty, wrong content type, 6 MiB of junk)
leave the server healthy; inference.errors.status: they get a 4xx, not a 5xx.
Source: contract.md inference.invocations.errors (our policy: a crashed server fails
/ping and the instance is replaced; a 5xx for a client's input is counted as a model error)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, passed, violation

SOURCE = "contract.md inference.invocations.errors (API-RT ModelError; our policy)"


@check(id="inference.errors", title="Bad requests do not take the server down",
       severity=Severity.MUST, phase=Phase.DESTRUCTIVE, source=SOURCE,
       remediation="Validate the request body and answer 400 instead of letting the worker "
                   "crash; catch exceptions in the /invocations handler.", remote=True)
def survives_bad_requests(ctx: CheckContext) -> Outcome:
    results = ctx.probes.bad_requests()
    for result in results:
        if not result.alive:
            return violation(f"after a request with a {result.case} ({result.sample.describe()}), "
                             f"{result.after}", measured="down", limit="healthy")
    cases = ", ".join(r.case for r in results)
    return passed(f"healthy after each bad request ({cases})", measured="healthy", limit="healthy")


@check(id="inference.errors.status", title="Bad requests get a 4xx, not a 5xx",
       severity=Severity.SHOULD, phase=Phase.DESTRUCTIVE, source=SOURCE,
       remediation="Answer malformed, empty or unsupported input with 400 or 415; keep 5xx "
                   "for faults of the server itself.", remote=True)
def client_errors(ctx: CheckContext) -> Outcome:
    results = ctx.probes.bad_requests()
    wrong = [r for r in results if r.sample.status is None or r.sample.status >= 500]
    summary = "; ".join(f"{r.case}: {r.sample.status or r.sample.error}" for r in results)
    if wrong:
        return violation(f"{len(wrong)} of {len(results)} bad requests got no 4xx ({summary})",
                         measured=wrong[0].sample.status or wrong[0].sample.error, limit="4xx")
    answered = ",".join(str(s) for s in sorted({r.sample.status for r in results}))
    return passed(f"no 5xx for bad input ({summary})", measured=answered, limit="< 500", unit="status")
