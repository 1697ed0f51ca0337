"""training.hyperparameters: the job runs with the platform's hyperparameters.json, where
every value is a string. Source: contract.md training.hyperparameters (TRAIN-INFO, API-SM)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...modes.train.tree import typed_hyperparameters
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation


@check(id="training.hyperparameters", title="String-valued hyperparameters are accepted",
       severity=Severity.MUST, phase=Phase.LIVE, modes=(Mode.TRAIN,), needs_healthy=False,
       source="contract.md training.hyperparameters (AWS guide your-algorithms-training-algo-"
              "running-container: a JSON object of string to string; parse numbers yourself)",
       remediation="Convert each value from hyperparameters.json yourself, e.g. "
                   "int(hp.get(\"epochs\", \"10\")); never assume JSON numbers or booleans.")
def string_values(ctx: CheckContext) -> Outcome:
    strings = ctx.training.platform_hps
    typed = typed_hyperparameters(strings)
    spelled = sorted(k for k in strings if typed[k] != strings[k])   # "2", "true", "0.1"...
    main = ctx.training.main()
    if main.succeeded:
        return passed(f"the job succeeded with {len(strings)} string-valued hyperparameters"
                      + (f" ({len(spelled)} of them spell numbers or booleans)" if spelled else ""))
    if not spelled:
        return skipped("the job failed, but no hyperparameter spells a number or boolean, so "
                       "strings cannot be the cause; see training.exit")
    comparison = ctx.training.typed()
    if comparison.succeeded:
        return violation(f"the job fails with the platform's string values but succeeds with typed "
                         f"values for {', '.join(spelled)}", measured="fails with strings",
                         limit="succeeds")
    return skipped("the job fails with typed values too, so the hyperparameters are not the "
                   "cause; see training.exit")
