"""The options of --baseline, declared where the feature lives."""
from pathlib import Path
from typing import Any, Mapping, Optional

from ...option_spec import option
from .settings import Baseline, read_baseline

OPTIONS = (
    option("baseline", "path", "an earlier report.json of this image: a check that passed there and does "
           "not now, or a latency that grew past --regression-ratio, is a regression (baseline.* checks)",
           "tool", group="baseline"),
    option("regression-ratio", "float", "baseline.latency: a latency above this times the baseline's "
           "(plus --regression-slack-ms) regresses", "tool", group="baseline", default=1.5),
    option("regression-slack-ms", "float", "baseline.latency: differences below this are noise", "tool",
           group="baseline", default=50.0),
)


def build(v: Mapping[str, Any], derandomize: bool = False) -> Optional[Baseline]:
    if not v["baseline"]:
        return None
    return read_baseline(Path(v["baseline"]), v["regression-ratio"], v["regression-slack-ms"])
