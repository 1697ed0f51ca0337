"""distributed.traffic.encrypted: what the hosts of a distributed job send each other,
captured on the job's network and classified per flow. The platform's inter-container
traffic encryption protects the wire between instances (IPsec, contract.md
distributed.ice.*); this check is our opt-in policy on what the container itself sends:
plaintext warns, and fails with --require-encrypted-traffic."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...modes.train.capture import first_plaintext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, undecided, violation


@check(id="distributed.traffic.encrypted", title="Hosts talk to each other encrypted",
       severity=Severity.SHOULD, severities={"require_encrypted_traffic": Severity.MUST},
       phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md distributed.ice.container (our opt-in policy; the platform's "
              "EnableInterContainerTrafficEncryption uses IPsec between instances, AWS guide train-encrypt)",
       remediation="Wrap the traffic between hosts in TLS (e.g. ssl.SSLContext around your sockets, "
                   "NCCL/MPI over an encrypted transport), or enable the platform's inter-container "
                   "traffic encryption and accept plaintext inside the container.")
def encrypted(ctx: CheckContext) -> Outcome:
    if ctx.config.mode_settings.instance_count < 2:
        return skipped("single host (--instance-count 1)")
    job = ctx.training.main()
    if job.capture_error:
        return undecided(f"could not capture the job's traffic ({job.capture_error}); capturing "
                         f"needs root on Linux and scapy")
    rows = job.traffic
    if not rows:
        return skipped("the hosts sent each other no TCP payload")
    plain = first_plaintext(rows)
    total = sum(r["bytes"] for r in rows)
    kinds = ", ".join(f"{r['from']} -> {r['to']}: {r['bytes']} B {r['kind']}" for r in rows[:6])
    details = {"flows": rows}
    if plain:
        plain_bytes = sum(r["bytes"] for r in rows if r["kind"] == "plaintext")
        return violation(f"{plain_bytes} of {total} bytes between hosts are readable plaintext, e.g. "
                         f"{plain['from']} -> {plain['to']}: {plain['sample']!r}", measured=plain_bytes,
                         limit=0, unit="bytes", details=details)
    return passed(f"{len(rows)} flows, {total} bytes, none plaintext ({kinds})", measured=0, limit=0,
                  unit="bytes", details=details)
