"""training.config: the job reads its configuration from the platform's files: the
hyperparameters it was given (hyperparameters.json) and, with several hosts, who it is
and who its peers are (resourceconfig.json). Judged by the files' access times."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, undecided, violation


@check(id="training.config", title="The job reads the platform's config files",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.hyperparameters and training.resourceconfig (TRAIN-INFO: "
              "/opt/ml/input/config/*.json; never hard-code hosts or hyperparameters)",
       remediation="Read /opt/ml/input/config/hyperparameters.json for the job's settings and "
                   "resourceconfig.json for current_host and hosts.")
def config_read(ctx: CheckContext) -> Outcome:
    settings = ctx.config.mode_settings
    wanted = (["hyperparameters.json"] if settings.hyperparameters else []) + \
        (["resourceconfig.json"] if settings.instance_count > 1 else [])
    if not wanted:
        return skipped("no hyperparameters and a single host: nothing the job must read")
    if not ctx.training.main().succeeded:
        return skipped("the job did not succeed; see training.exit")
    reads = ctx.training.config_reads()
    if reads is None:
        return undecided("this filesystem does not record file reads (noatime); cannot tell")
    unread = [name for name in wanted if not reads.get(name)]
    summary = ", ".join(f"{name}: {'read' if reads.get(name) else 'not read'}" for name in sorted(reads))
    if unread:
        return violation(f"the job succeeded without reading {', '.join(unread)} ({summary})",
                         measured=len(wanted) - len(unread), limit=len(wanted), unit="files")
    return passed(summary, measured=len(wanted), limit=len(wanted), unit="files")
