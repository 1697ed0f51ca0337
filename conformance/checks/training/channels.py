"""training.channels: the job reads its data from /opt/ml/input/data/<channel>/, judged
by the files' access times on the host side of the mount."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, undecided, violation


@check(id="training.channels", title="The job reads the channels it is given",
       severity=Severity.SHOULD, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.channel.file (TRAIN-INFO: channel data is in "
              "/opt/ml/input/data/<channel>/ before the job starts)",
       remediation="Read training data from /opt/ml/input/data/<channel> (SM_CHANNEL_<NAME>), "
                   "not from a path baked into the image or downloaded at run time.")
def channels_read(ctx: CheckContext) -> Outcome:
    if not ctx.config.mode_settings.channels:
        return skipped("no --channel given")
    main = ctx.training.main()
    if not main.succeeded:
        return skipped("the job did not succeed; see training.exit")
    reads = ctx.training.channel_reads()
    if reads is None:
        return undecided("this filesystem does not record file reads (noatime); cannot tell")
    unread = [name for name, (read, total) in reads.items() if total and not read]
    summary = ", ".join(f"{name}: {read}/{total} files read" for name, (read, total) in reads.items())
    if unread:
        return violation(f"the job succeeded without reading channel(s) {', '.join(unread)} ({summary})",
                         measured=summary, limit="read")
    return passed(summary)
