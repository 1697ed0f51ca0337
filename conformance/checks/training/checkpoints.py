"""training.checkpoints (with --checkpoints): the spot-interruption drill. A run is
stopped halfway, a new run starts with the same /opt/ml/checkpoints folder (as the
platform refills CheckpointConfig.LocalPath on restart), and we report whether it read
the checkpoints back or started over. On 2+ hosts the platform keeps one checkpoint prefix
for the job and restores it to every host (modes/train/checkpoints.py): two hosts that write the
same file with different content overwrite each other, which fails the check too.
Source: contract.md training.checkpoints (CKPT; AWS guide model-checkpoints-resume)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, undecided, violation


@check(id="training.checkpoints", title="An interrupted job resumes from its checkpoints",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       option="checkpoints",
       source="contract.md training.checkpoints (AWS guide model-checkpoints: /opt/ml/checkpoints "
              "is synced to S3 and copied back in when a spot job restarts)",
       remediation="Write checkpoints to /opt/ml/checkpoints as you train, and at start load the "
                   "newest one found there before training; on several hosts write them from one "
                   "host (rank 0) or put the host's name in each file name.")
def resumes(ctx: CheckContext) -> Outcome:
    if not ctx.training.main().succeeded:
        return skipped("the job did not succeed; see training.exit")
    main_clashes = [c.describe() for c in ctx.training.main().checkpoint_clashes]
    drill = ctx.training.resume()
    clashes = sorted(set(main_clashes + drill["clashes"]))
    if clashes:
        return violation(f"hosts overwrite each other's checkpoints in the job's one prefix: "
                         f"{'; '.join(clashes)}; every host restarts from the copy uploaded last",
                         measured=len(clashes), limit=0, unit="clashes", details=drill)
    if not drill["caught"]:
        return skipped(f"the job ended before the interruption at {drill['interrupted_at_s']} s")
    if not drill["written"]:
        return violation(f"nothing was written to /opt/ml/checkpoints in the {drill['interrupted_at_s']} s "
                         f"before the interruption", measured=0, limit=">= 1", unit="files", details=drill)
    if not drill["atime_recorded"]:
        return undecided("this filesystem does not record file reads (noatime); cannot tell")
    if not drill["read_back"]:
        return violation(f"the restarted job did not read any of the {drill['written']} checkpoint "
                         f"file(s): it started over ({drill['restart_s']} s vs {drill['full_run_s']} s "
                         f"for a full run)", measured=0, limit=">= 1", unit="files", details=drill)
    return passed(f"resumed: read {drill['read_back']} of {drill['written']} checkpoint file(s); the "
                  f"restarted job took {drill['restart_s']} s (a full run {drill['full_run_s']} s)",
                  measured=drill["read_back"], limit=">= 1", unit="files", details=drill)
