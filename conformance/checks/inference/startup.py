"""inference.startup: the container stays up and answers its first healthy ping.
Source: contract.md inference.ping.window (HOST: healthy within 8 minutes, 60-3600 s
when ContainerStartupHealthCheckTimeoutInSeconds is set: --startup-window). The tool
waits the whole window by default, so a slow legal start is never a failure; a shorter
--startup-timeout that runs out is `error` (could not judge), never `fail`. A start that
is stuck (the same wrong /ping answer, or other ports only, with the container idle for
--settle-time: engine/start_evidence.py) fails at once, with that evidence."""
from __future__ import annotations

from .. import check
from . import HOSTED
from ...engine.context import CheckContext
from ...model import Outcome, Phase, Severity, undecided, violation, within


@check(id="inference.startup", title="Starts and answers its first healthy /ping",
       modes=HOSTED, each_container=True,
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, priority=0,
       source="contract.md inference.ping.window (AWS guide your-algorithms-inference-code: "
              "healthy within 8 minutes of start)",
       remediation="Make `serve` start the web server in the foreground and keep it running; "
                   "read the log lines below for why it stopped.")
def startup(ctx: CheckContext) -> Outcome:
    result = ctx.startup
    if result is None:
        return undecided("the container was not started")
    window = ctx.config.startup_window_s
    if result.state == "healthy":
        return within(round(result.elapsed_s, 3), window, "s",
                      f"healthy after {result.elapsed_s:.2f} s (the platform allows {window:g} s)")
    if result.state == "start-failed":
        return violation(f"Docker could not start the container: {result.start_error}")
    if result.state == "exited":
        return violation(f"the container exited with code {result.exit_code} after "
                         f"{result.elapsed_s:.2f} s, before /ping answered 200",
                         measured=result.exit_code, unit="exit code")
    if result.state == "elsewhere":
        where = ", ".join(str(l) for l in result.listeners or [])
        return violation(f"port {ctx.port} is bound to loopback only ({where}), so the platform's "
                         f"/ping can never reach it")
    if result.state == "stuck":
        evidence = result.stuck
        measured, limit, unit = evidence.measured()
        return violation(f"no healthy /ping: {evidence.summary}. {evidence.verdict_note[0].upper()}{evidence.verdict_note[1:]}",
                         measured=measured, limit=limit, unit=unit, details={"stuck": evidence.as_dict()})
    last = result.attempts[-1].describe() if result.attempts else "no /ping was sent"
    waited = ctx.config.startup_wait_s
    text = f"no healthy /ping within {waited:g} s ({len(result.attempts)} attempts; last: {last})"
    if not ctx.config.startup_cut_short:
        return violation(text + f"; the platform gives up after {window:g} s",
                         measured=round(result.elapsed_s, 1), limit=window, unit="s")
    return undecided(text + f"; the platform would wait up to {window:g} s: could not judge. "
                     f"Drop --startup-timeout to wait the whole window", measured=round(result.elapsed_s, 1),
                     limit=window, unit="s")
