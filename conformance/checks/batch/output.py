"""batch.output and batch.output.records: every input file gets its <file>.out, with one
line out per record in. Source: contract.md batch.output (API-SM TransformOutput; BT)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from . import BATCH
from ...model import Outcome, Phase, Severity, passed, skipped, violation


@check(id="batch.output", title="Every input file gets its <file>.out", severity=Severity.MUST,
       phase=Phase.LIVE, priority=60, modes=BATCH,
       source="contract.md batch.output (API-SM TransformOutput; a file with a failed record gets no output)",
       remediation="Answer every record; for a bad record answer a placeholder (e.g. ERROR) in "
                   "its place so that the file still gets its output, in order.")
def output(ctx: CheckContext) -> Outcome:
    job = ctx.probes.measure("batch_job")
    missing = sorted(name for name, entry in job.outputs.items() if not entry["ok"])
    details = {"files": job.outputs}
    summary = "; ".join(f"{n}: {e['records']} records in, "
                        f"{'no output' if e['lines'] is None else str(e['lines']) + ' lines out'}"
                        for n, e in sorted(job.outputs.items()))
    if missing:
        return violation(f"{len(missing)} of {len(job.outputs)} files got no output ({summary})",
                         measured=len(missing), limit=0, unit="files without output", details=details)
    return passed(f"{len(job.outputs)} files written to {ctx.config.mode_settings.output} ({summary})",
                  measured=len(job.outputs), unit="files", details=details)


@check(id="batch.output.records", title="One output line per input line", severity=Severity.SHOULD,
       phase=Phase.LIVE, priority=61, modes=BATCH,
       source="contract.md batch.output (API-SM TransformOutput AssembleWith; joining output to input by line needs one line per record; our policy)",
       remediation="Answer one line per input record, in order, so the output joins to the input.")
def output_records(ctx: CheckContext) -> Outcome:
    if ctx.config.mode_settings.split_type != "Line":
        return skipped("records and output lines are compared only with --split-type Line")
    job = ctx.probes.measure("batch_job")
    written = {n: e for n, e in job.outputs.items() if e["lines"] is not None}
    off = {n: e for n, e in written.items() if e["lines"] != e["records"]}
    if not written:
        return skipped("no file got an output; see batch.output")
    if off:
        name, entry = sorted(off.items())[0]
        return violation(f"{len(off)} of {len(written)} files: lines out differ from records in "
                         f"({name}: {entry['records']} in, {entry['lines']} out)",
                         measured=entry["lines"], limit=entry["records"], unit="lines")
    return passed(f"{len(written)} files: as many lines out as records in", measured=len(written), unit="files")
