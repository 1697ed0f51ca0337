"""training.model: a successful job leaves a non-empty /opt/ml/model; files written
elsewhere are lost on the platform. Source: contract.md training.model (TRAIN-OUT)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


@check(id="training.model", title="The model is written to /opt/ml/model",
       severity=Severity.MUST, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.model (AWS guide your-algorithms-training-algo-output: final "
              "artefacts in /opt/ml/model, uploaded as model.tar.gz)",
       remediation="Write the trained model under /opt/ml/model (read the path from SM_MODEL_DIR "
                   "or hard-code /opt/ml/model); nothing else is kept after the job.")
def model_written(ctx: CheckContext) -> Outcome:
    main = ctx.training.main()
    if not main.succeeded:
        return skipped("the job did not succeed; see training.exit")
    files = main.model_files()
    if files:
        archive = ctx.training.model_archive()
        clashes = ctx.training.model_clashes
        same = (f"; {len(clashes)} file(s) written by several hosts, packed once from the first: "
                f"{', '.join(clashes[:5])}" if clashes else "")
        return passed(f"{len(set(files))} file(s) in /opt/ml/model ({', '.join(sorted(set(files))[:5])}); "
                      f"packed as {archive}{same}", measured=len(set(files)), limit=">= 1", unit="files",
                      details={"model_artifact": archive, "model_clashes": clashes})
    elsewhere = sorted({p for h in main.hosts for p in h.changed_paths})[:8]
    where = f"; the job wrote {', '.join(elsewhere)}, which the platform discards" if elsewhere else ""
    return violation(f"/opt/ml/model is empty after a successful job{where}",
                     measured=0, limit=">= 1", unit="files")
