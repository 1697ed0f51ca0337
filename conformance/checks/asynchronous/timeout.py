"""async.timeout: no server on the way cuts a request before InvocationTimeoutSeconds,
read from the servers' configuration (engine/server_timeouts.py).
Source: contract.md async.timeout (API-RT InvokeEndpointAsync)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import ASYNC
from ...engine.server_timeouts import KNOWN, read_timeouts
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(id="async.timeout", title="No server on the way cuts a request before InvocationTimeoutSeconds",
       severity=Severity.MUST, phase=Phase.LIVE, priority=80, modes=ASYNC,
       source="contract.md async.timeout (API-RT InvokeEndpointAsync InvocationTimeoutSeconds "
              "1-3600, default 900)",
       remediation="Raise the timeouts to at least InvocationTimeoutSeconds: gunicorn --timeout "
                   "(or gthread workers), nginx proxy_read_timeout, TorchServe/MMS "
                   "default_response_timeout (SAGEMAKER_MODEL_SERVER_TIMEOUT).")
def timeout(ctx: CheckContext) -> Outcome:
    limit = ctx.config.mode_settings.invocation_timeout_s
    found, commands = read_timeouts(ctx.container)
    read = "; ".join(f"{t.server}: {'none' if t.seconds is None else f'{t.seconds:g} s'} ({t.where})"
                     for t in found)
    details = {"how": "read from the server's configuration, not measured", "timeouts": read,
               "processes": commands[:20]}
    short = sorted((t for t in found if t.seconds is not None and t.seconds < limit), key=lambda t: t.seconds)
    if short:
        first = short[0]
        return violation(f"{first.server} cuts a request after {first.seconds:g} s ({first.where}); "
                         f"async allows {limit:g} s. Read from the configuration, not measured: {read}",
                         measured=first.seconds, limit=limit, unit="s", details=details)
    if found:
        return passed(f"no request timeout under {limit:g} s (read from the configuration, not "
                      f"measured): {read}", measured="none shorter", limit=limit, unit="s", details=details)
    return skipped(f"not measured: none of the servers this check can read ({', '.join(KNOWN)}) runs "
                   f"in the container, and a request would have to run {limit:g} s to measure it")
