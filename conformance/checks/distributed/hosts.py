"""distributed.hosts: with --instance-count N, every host algo-1..algo-N starts with its
own resourceconfig.json and finishes. Source: contract.md distributed.hosts (TRAIN-INFO)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation
from ...modes.train.job_network import HostsDrill
from ...modes.train.probes import HOSTS_DNS_LAG_S


@check(id="distributed.hosts", title="Every host of a distributed job finishes",
       severity=Severity.MUST, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md distributed.hosts (AWS guide your-algorithms-training-algo-running-"
              "container: hosts algo-1..algo-N, each with its own resourceconfig.json)",
       remediation="Read current_host and hosts from /opt/ml/input/config/resourceconfig.json, "
                   "reach peers by those names (retry DNS), and let every host exit.")
def hosts_finish(ctx: CheckContext) -> Outcome:
    if ctx.config.mode_settings.instance_count < 2:
        return skipped("single host (--instance-count 1)")
    main = ctx.training.main()
    failed = {h.host: h.exit_code for h in main.hosts if h.exit_code != 0}
    if failed:
        stuck = [h.host for h in main.hosts if h.stopped_by]
        note = f"; still running at --max-runtime: {', '.join(stuck)}" if stuck else ""
        return violation(f"hosts that did not finish with 0: {failed}{note}",
                         measured=len(main.hosts) - len(failed), limit=len(main.hosts), unit="hosts")
    return passed(f"all {len(main.hosts)} hosts exited 0 in {main.elapsed_s:.1f} s",
                  measured=len(main.hosts), limit=len(main.hosts), unit="hosts")


@check(id="distributed.hosts.names", title="Hosts know themselves from resourceconfig.json, not the hostname",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.resourceconfig (TRAIN-INFO: use current_host and hosts from "
              "resourceconfig.json; TT: do not trust /etc/hostname or /etc/hosts, DNS may lag, retry); "
              "a drill harsher than the platform may be (its hostnames are not documented), so it warns",
       remediation="Take the host's own name from current_host in /opt/ml/input/config/resourceconfig.json "
                   "(never socket.gethostname()), rank hosts by their place in `hosts`, and retry resolving "
                   "peers for minutes.")
def hosts_by_config(ctx: CheckContext) -> Outcome:
    if ctx.config.mode_settings.instance_count < 2:
        return skipped("single host (--instance-count 1)")
    if not ctx.training.main().succeeded:
        return skipped("the job itself did not succeed; see distributed.hosts and training.exit")
    drill = ctx.training.hosts_drill()
    lag = HOSTS_DNS_LAG_S
    named = ", ".join(f"{h.host} as {HostsDrill.hostname(h.address)}" for h in drill.hosts[:2] if h.address)
    setup = f"with hostnames unlike current_host ({named}) and host names that resolve only {lag:g} s after start"
    failing = [h for h in drill.hosts if h.exit_code != 0]
    if failing:
        failed = {h.host: h.exit_code for h in failing}
        first = next((h for h in failing if not h.stopped_by), failing[0])   # not one the job's end stopped
        last = (first.logs.strip().splitlines() or [""])[-1][:300]
        return violation(f"{setup}, hosts that did not finish with 0: {failed}; {first.host}'s last log "
                         f"line: {last}", measured=len(drill.hosts) - len(failed), limit=len(drill.hosts),
                         unit="hosts", details={"dns_lag_s": lag})
    return passed(f"{setup}, all {len(drill.hosts)} hosts exited 0 in {drill.elapsed_s:.1f} s",
                  measured=len(drill.hosts), limit=len(drill.hosts), unit="hosts", details={"dns_lag_s": lag})
