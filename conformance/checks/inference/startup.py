"""inference.startup: the container stays up and answers its first healthy ping.
Source: contract.md inference.ping.window (HOST: healthy within 8 minutes, 60-3600 s
when ContainerStartupHealthCheckTimeoutInSeconds is set)."""
from __future__ import annotations

from .. import check
from ..context import CheckContext
from ...config import PLATFORM_STARTUP_WINDOW_S
from ...model import Outcome, Phase, Severity, passed, undecided, violation


@check(id="inference.startup", title="Starts and answers its first healthy /ping",
       severity=Severity.MUST, phase=Phase.STARTUP, needs_healthy=False, priority=0,
       source="contract.md inference.ping.window (AWS guide your-algorithms-inference-code: "
              "healthy within 8 minutes of start)",
       remediation="Make `serve` start the web server in the foreground and keep it running; "
                   "read the log lines below for why it stopped.")
def startup(ctx: CheckContext) -> Outcome:
    result = ctx.startup
    if result is None:
        return undecided("the container was not started")
    window = PLATFORM_STARTUP_WINDOW_S
    if result.state == "healthy":
        return passed(f"healthy after {result.elapsed_s:.2f} s (platform allows {window:g} s)",
                      measured=round(result.elapsed_s, 3), limit=window, unit="s")
    if result.state == "start-failed":
        return violation(f"Docker could not start the container: {result.start_error}")
    if result.state == "exited":
        return violation(f"the container exited with code {result.exit_code} after "
                         f"{result.elapsed_s:.2f} s, before /ping answered 200",
                         measured=result.exit_code, unit="exit code")
    if result.state == "elsewhere":
        where = ", ".join(str(l) for l in result.listeners or [])
        return violation(f"the server listens on {where}, not on 0.0.0.0:8080, so the "
                         f"platform's /ping can never reach it")
    last = result.attempts[-1].describe() if result.attempts else "no /ping was sent"
    text = (f"no healthy /ping within {ctx.config.startup_timeout_s:g} s "
            f"({len(result.attempts)} attempts; last: {last})")
    if ctx.config.startup_timeout_s >= window:
        return violation(text, measured=round(result.elapsed_s, 1), limit=window, unit="s")
    return undecided(text + f"; the platform would wait up to {window:g} s: raise "
                     f"--startup-timeout to judge a slower start", measured=round(result.elapsed_s, 1),
                     limit=window, unit="s")
