"""GET /ping: 200 every time, within 2 s, and only when /invocations really works; POST
/ping answered like GET (SHOULD). Sources: contract.md inference.ping, inference.ping.latency,
inference.ping.truth, inference.ping.post."""
from __future__ import annotations

from .. import check
from . import HOSTED
from ...engine.context import CheckContext
from ...engine.http import percentile
from ...model import Outcome, Phase, Severity, passed, skipped, violation, within
from ...contract import PING_LIMIT_S

PING_SOURCE = "contract.md inference.ping (AWS guide your-algorithms-inference-code)"


def _cut_short(ctx: CheckContext) -> str:
    """Why a start that timed out is not judged by /ping's answers: --startup-timeout ended
    the wait before the platform's window, and a server answering 404 or slowly while its
    model loads may still turn healthy within the window (a stuck start is evidence, and
    is judged)."""
    result, config = ctx.startup, ctx.config
    if result is None or result.state != "timeout" or not config.startup_cut_short:
        return ""
    return (f"the wait was cut at {config.startup_wait_s:g} s by --startup-timeout, before the platform's "
            f"{config.startup_window_s:g} s window ends: /ping may still turn 200 in time; see inference.startup")


@check(id="inference.ping", title="GET /ping answers 200 every time",
       modes=HOSTED, each_container=True,
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, source=PING_SOURCE,
       remediation="Return 200 from GET /ping whenever the model can serve; never error out "
                   "of the handler (a non-200 marks the instance unhealthy).", remote=True)
def ping_status(ctx: CheckContext) -> Outcome:
    startup, undecided_start = ctx.startup, _cut_short(ctx)
    if undecided_start:
        return skipped(undecided_start)
    if startup is None or not startup.healthy:
        answered = startup.answered if startup and startup.waited_out else []
        if not answered:
            return skipped("/ping never answered; see inference.startup and inference.port")
        codes = sorted({a.status for a in answered})
        return violation(f"GET /ping answered {', '.join(map(str, codes))} on all {len(answered)} answered "
                         f"attempts over {startup.elapsed_s:.1f} s, never 200{startup.stuck_note}",
                         measured=answered[-1].status, limit=200, unit="status")
    series = ctx.probes.ping_series()
    bad = [s for s in series if s.status != 200]
    if not bad:
        return passed(f"{len(series)}/{len(series)} pings answered 200", measured=200, limit=200)
    first = bad[0]
    return violation(f"{len(bad)} of {len(series)} pings did not answer 200 after the server was "
                     f"healthy; first: {first.describe()}",
                     measured=first.status if first.status else first.error, limit=200,
                     details={"failed": len(bad), "asked": len(series)})


@check(id="inference.ping.latency", title="GET /ping answers within 2 s",
       modes=HOSTED, each_container=True,
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False,
       source="contract.md inference.ping.latency (HOST, BATCH: each /ping attempt times out after 2 s)",
       remediation="Answer /ping from a readiness flag; never load or run the model inside /ping.", remote=True)
def ping_latency(ctx: CheckContext) -> Outcome:
    startup, undecided_start = ctx.startup, _cut_short(ctx)
    if undecided_start:
        return skipped(undecided_start)
    if startup is None or not startup.healthy:
        late = [a for a in (startup.attempts if startup else []) if a.error.startswith("no answer")]
        if startup is None or not startup.waited_out or not late:
            return skipped("no /ping was answered late; see inference.startup")
        return violation(f"{len(late)} /ping attempts were accepted but not answered within "
                         f"{PING_LIMIT_S:g} s{startup.stuck_note}", measured=f">{PING_LIMIT_S:g}",
                         limit=PING_LIMIT_S, unit="s")
    series = ctx.probes.ping_series()
    times = [s.elapsed_s for s in series]
    details = {"p50_s": round(percentile(times, 50), 4), "max_s": round(max(times), 4), "n": len(times)}
    return within(round(max(times), 4), PING_LIMIT_S, "s",
                  f"max {max(times):.3f} s, p50 {percentile(times, 50):.3f} s over {len(times)} pings "
                  f"(limit {PING_LIMIT_S:g} s)", details)


@check(needs=("payload",), id="inference.ping.truth", title="/invocations works once /ping says 200",
       severity=Severity.MUST, phase=Phase.LIVE, priority=0,
       source="contract.md inference.ping.truth (HOST: 200 means ready for /invocations). The "
              "contract lists it as our SHOULD; issue #3 makes it MUST because the platform "
              "routes traffic the moment /ping says 200",
       remediation="Return 200 from /ping only after the model has loaded; answer 503 while loading.", remote=True)
def ping_truth(ctx: CheckContext) -> Outcome:
    samples = ctx.probes.first_invocations()
    first = samples[0]
    if first.ok:
        return passed(f"the first invocation after the healthy ping succeeded: {first.describe()}")
    working = [s for s in samples if s.ok]
    last = samples[-1]   # a held request can outlast the retry window: count to its end
    later = (f"first success {working[0].started - first.started:.2f} s later" if working
             else f"no success in {len(samples)} attempt{'s' * (len(samples) > 1)} over "
                  f"{last.started + last.elapsed_s - first.started:.1f} s")
    return violation(f"/ping said 200, but the first invocation failed ({first.describe()}); {later}",
                     measured=first.status or first.error, limit="2xx")


@check(id="inference.ping.post", title="POST /ping is answered like GET (the requirements' wording)",
       modes=HOSTED, each_container=True, severity=Severity.SHOULD, phase=Phase.LIVE,
       source="contract.md inference.ping.post (HOST: the requirement list says the server must "
              "accept POST requests to /invocations and /ping; its ping section and the platform's "
              "health check use GET, so this probe is harsher than the platform and only warns)",
       remediation="Route POST /ping to the same handler as GET /ping (Flask: methods=[\"GET\", "
                   "\"POST\"]; FastAPI: @app.api_route(\"/ping\", methods=[\"GET\", \"POST\"])).",
       remote=True)
def ping_post(ctx: CheckContext) -> Outcome:
    sample = ctx.probes.ping_post()
    if sample.status == 200 and sample.elapsed_s <= PING_LIMIT_S:
        return passed(f"POST /ping answered 200 in {sample.elapsed_s:.3f} s", measured=200, limit=200,
                      unit="status")
    if sample.status == 200:
        return violation(f"POST /ping answered 200 but only after {sample.elapsed_s:.3f} s",
                         measured=round(sample.elapsed_s, 3), limit=PING_LIMIT_S, unit="s")
    return violation(f"POST /ping was not answered like GET /ping: {sample.describe()} (GET answers 200; "
                     f"the platform's own health check uses GET)", measured=sample.status or sample.error,
                     limit=200, unit="status")
