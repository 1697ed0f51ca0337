"""training.channels: the job reads its data from /opt/ml/input/data/<channel>/, judged
by the files' access times on the host side of the mount; training.channels.read-only:
with --input-mode FastFile each channel is a read-only mount streamed from S3, and code
written for File mode must work unchanged (contract.md training.channel.fastfile,
TRAIN-INFO): a trainer that writes into its channel (a cache, an unpacked archive) fails."""
from __future__ import annotations

import re

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
    if ctx.config.mode_settings.input_mode == "FastFile":
        return skipped("not measured in FastFile: read-only mounts record no file reads (atime); "
                       "a File-mode run judges this")
    reads = ctx.training.channel_reads()
    if reads is None:
        return undecided("this filesystem does not record file reads (noatime); cannot tell")
    unread = [name for name, (read, total) in reads.items() if total and not read]
    summary = ", ".join(f"{name}: {read}/{total} files read" for name, (read, total) in reads.items())
    if unread:
        return violation(f"the job succeeded without reading channel(s) {', '.join(unread)} ({summary})",
                         measured=summary, limit="read")
    return passed(summary)


# What a write into a read-only mount says: the errno's text (EROFS, 30) in any language's log.
READ_ONLY = re.compile(r".*(Read-only file system|EROFS|\[Errno 30\]).*")


@check(id="training.channels.read-only", title="The job runs with its channels read-only (FastFile)",
       severity=Severity.MUST, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False, option="fastfile",
       source="contract.md training.channel.fastfile (TRAIN-INFO: FastFile mounts each channel "
              "read-only at the same path; File-mode code works unchanged)",
       remediation="Never write into /opt/ml/input/data/<channel>: unpack, cache or convert into a "
                   "folder of your own (e.g. /tmp or /opt/ml/output/data) and read from there.")
def channels_read_only(ctx: CheckContext) -> Outcome:
    main = ctx.training.main()
    if main.succeeded:
        return passed(f"the job succeeded with its channels ({', '.join(ctx.config.mode_settings.channels)}) "
                      f"mounted read-only", measured="read-only", limit="read-only")
    for host in main.hosts:
        for text in (host.read("output/failure") or "", host.logs):
            found = READ_ONLY.search(text)
            if found:
                line = found.group(0).strip()[:300]
                return violation(f"{host.host} wrote into a read-only channel mount and the job failed: "
                                 f"{line}", measured=line, limit="no writes into channels")
    return undecided("the job failed with no sign of a write into its channels; see training.exit")
