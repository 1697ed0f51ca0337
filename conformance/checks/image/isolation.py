"""image.network-isolation: with --network-isolation the image starts, serves or trains
with no outbound network at all: an internal Docker network with no route out (the tool
still reaches the container; training hosts still reach each other). An image that
fetches something at start fails with the cause named from its own log lines.
Source: contract.md image.network-isolation (ISO, API-SM EnableNetworkIsolation, MKT)."""
from __future__ import annotations

import re

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, undecided, violation

SOURCE = ("contract.md image.network-isolation (ISO; API-SM CreateModel / CreateTrainingJob "
          "EnableNetworkIsolation; MKT)")
# What programs print when a name does not resolve or a connection gets nowhere.
NETWORK_ERRORS = re.compile(
    r"Temporary failure in name resolution|Name or service not known|Could not resolve host|"
    r"getaddrinfo failed|nodename nor servname|Network is unreachable|No route to host|"
    r"NewConnectionError|Max retries exceeded|ConnectTimeout|Connection timed out|"
    r"timed out|Failed to establish a new connection|URLError|ENETUNREACH|EAI_AGAIN", re.IGNORECASE)


def network_evidence(logs: str, limit: int = 3) -> list[str]:
    """The log lines that point at the network, last ones first."""
    lines = [line.strip() for line in logs.splitlines() if NETWORK_ERRORS.search(line)]
    return lines[-limit:]


@check(id="image.network-isolation", title="Works with no outbound network",
       severity=Severity.MUST, phase=Phase.STARTUP, priority=60, needs_healthy=False,
       option="network_isolation", modes=(Mode.SERVE, Mode.TRAIN, Mode.MME), source=SOURCE,
       remediation="Bake everything the container needs into the image or the model artefact "
                   "(pip packages, tokenizers, model hub files); set offline flags such as "
                   "HF_HUB_OFFLINE=1; never call AWS APIs from the container.")
def isolation(ctx: CheckContext) -> Outcome:
    if ctx.training is not None:
        job = ctx.training.main()
        ok = job.succeeded
        state = "; ".join(f"{h.host} exit {h.exit_code}" for h in job.hosts)
        logs = "\n".join(h.logs for h in job.hosts)
        what = "trained"
    else:
        if ctx.startup is None:
            return undecided("the container was not started")
        ok, state, logs, what = ctx.startup.healthy, ctx.startup.state, ctx.logs(), "became healthy"
    if ok:
        return passed(f"{what} with no outbound network (an internal network, no route out)",
                      measured="offline", limit="offline")
    evidence = network_evidence(logs)
    if not evidence:
        return undecided(f"it did not succeed under network isolation ({state}), but nothing in "
                         f"its log points at the network; see the other checks")
    return violation(f"it reached for the network and failed without it ({state}): "
                     + " | ".join(e[:200] for e in evidence), measured="needs network",
                     limit="offline", details={"evidence": evidence})
