"""distributed.hosts: with --instance-count N, every host algo-1..algo-N starts with its
own resourceconfig.json and finishes. Source: contract.md distributed.hosts (TRAIN-INFO)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


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
