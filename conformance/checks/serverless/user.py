"""serverless.user: the image also becomes healthy when run as a non-root user (the
serverless troubleshooting guide: the container may lack write permission on image
paths). A warning: it contradicts the hosting guide's root (image.user.root).
Source: contract.md serverless.user (SLS troubleshooting)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...engine.endpoint import NOBODY
from ...model import Mode, Outcome, Phase, Severity, passed, undecided, violation


@check(id="serverless.user", title="Serves when run as a non-root user", severity=Severity.SHOULD,
       phase=Phase.LIVE, priority=90, modes=(Mode.SERVERLESS,),
       source="contract.md serverless.user (SLS troubleshooting; contradicts image.user.root, see §12)",
       remediation="Make what the server writes at start writable by anyone (chmod o+rwX) or "
                   "write under /tmp; do not bind ports below 1024.")
def non_root(ctx: CheckContext) -> Outcome:
    if ctx.nonroot_drill is None:
        return undecided("the tool did not start this container, so it cannot start it as another user")
    startup = ctx.nonroot_drill()
    if startup.healthy:
        return passed(f"as user {NOBODY}: healthy after {startup.elapsed_s:.2f} s",
                      measured="healthy", limit="healthy")
    last = startup.attempts[-1].describe() if startup.attempts else startup.start_error or "no answer"
    return violation(f"as user {NOBODY} it never became healthy ({startup.state}, exit code "
                     f"{startup.exit_code}; last: {last})", measured=startup.state, limit="healthy")
