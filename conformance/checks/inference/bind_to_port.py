"""inference.bind-to-port: an image that carries accept-bind-to-port=true keeps its word. The
label tells SageMaker that the server listens on SAGEMAKER_BIND_TO_PORT, which an inference
pipeline or a multi-container endpoint sets; a single-container endpoint never does, so this
drill is harsher than serve mode and only warns (pipeline.bind judges it in a pipeline). An
image without the label promises nothing and passes, as batch.execution-parameters passes a
route that is not served. Source: contract.md pipeline.label, pipeline.bind (PIPE, MCE)."""
from __future__ import annotations

from .. import check
from ...contract import BIND_TO_PORT_LABEL, SERVING_PORT
from ...engine.context import CheckContext
from ...engine.port_drill import BIND_PORT_BASE, KEPT_CONFIRM_S, PortDrill, labelled_bind_to_port
from ...model import Mode, Outcome, Phase, Severity, passed, undecided, violation

DRILL_MIN_WAIT_S = 60.0   # the drill's container gets 3x the run's own time to healthy, at least this


@check(id="inference.bind-to-port", title="When labelled accept-bind-to-port=true, it serves on SAGEMAKER_BIND_TO_PORT",
       severity=Severity.SHOULD, phase=Phase.LIVE, priority=95, modes=(Mode.SERVE,),
       source="contract.md pipeline.label and pipeline.bind (PIPE, MCE: the label says the server reads "
              "SAGEMAKER_BIND_TO_PORT; a single-container endpoint never sets it, so this drill only warns)",
       remediation="Read SAGEMAKER_BIND_TO_PORT (fall back to 8080 when absent) and listen there with the "
                   "server that answers /ping and /invocations; or drop the label while the image cannot.")
def bind_to_port(ctx: CheckContext) -> Outcome:
    if not labelled_bind_to_port(ctx.image_config):
        return passed(f"not labelled {BIND_TO_PORT_LABEL}=true: it promises no other port than "
                      f"{SERVING_PORT} (a pipeline would refuse it: pipeline.label)",
                      measured="not labelled", limit="its port, when labelled")
    if ctx.port_drill is None or ctx.target is None or ctx.startup is None:
        return undecided("the tool did not start this container, so it cannot start it with another port")
    if not ctx.target.exact_accept:
        return undecided("the drill needs a direct route to the container (--connect bridge or joined); "
                         "a published connection reaches port 8080 only")
    wait_s = min(ctx.config.startup_wait_s, max(DRILL_MIN_WAIT_S, 3 * ctx.startup.elapsed_s))
    return _judge(ctx.port_drill(wait_s), wait_s)


def _judge(drill: PortDrill, wait_s: float) -> Outcome:
    told = f"told SAGEMAKER_BIND_TO_PORT={BIND_PORT_BASE}"
    seen = ", ".join(str(l) for l in drill.listeners or []) or "nothing"
    if drill.state == "bound":
        return passed(f"{told}: /ping on {BIND_PORT_BASE} answered 200 after {drill.elapsed_s:.2f} s",
                      measured=BIND_PORT_BASE, limit=BIND_PORT_BASE, unit="port")
    if drill.state == "kept-8080":
        return violation(f"{told}, it still serves on {SERVING_PORT}: /ping there answered 200 after "
                         f"{drill.on_default_s:.2f} s, and {BIND_PORT_BASE} gave no 200 {KEPT_CONFIRM_S:g} s "
                         f"later (last: {drill.last}); it listens on {seen}",
                         measured=SERVING_PORT, limit=BIND_PORT_BASE, unit="port")
    if drill.state in ("exited", "start-failed"):
        return violation(f"{told}, the container ended before /ping on {BIND_PORT_BASE} answered 200 "
                         f"(exit code {drill.exit_code}{'; ' + drill.start_error if drill.start_error else ''})",
                         measured=drill.state, limit=BIND_PORT_BASE, unit="port")
    return violation(f"{told}, /ping on {BIND_PORT_BASE} gave no 200 within {wait_s:.0f} s (3x this run's own "
                     f"start, at least {DRILL_MIN_WAIT_S:g} s; last: {drill.last}); it listens on {seen}",
                     measured="no 200", limit=BIND_PORT_BASE, unit="port")
