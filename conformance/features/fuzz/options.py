"""The options of --fuzz, declared where the feature lives, and the FuzzSettings they
resolve to."""
from typing import Any, Mapping, Optional

from ...errors import UsageError
from ...option_spec import option
from .settings import FuzzSettings

OPTIONS = (
    option("fuzz", "int", "send N hypothesis examples to /invocations, each followed by /ping "
           "(fuzz.* checks); 0: off", "inference.invocations.errors", group="fuzz", default=0),
    option("fuzz-seed", "int", "replay a fuzzing run with its seed (default: a fresh seed, shown in "
           "the report; the pytest plugin is derandomized unless given)", group="fuzz"),
)


def build(v: Mapping[str, Any], derandomize: bool = False) -> Optional[FuzzSettings]:
    """derandomize: without a seed, the same examples every run (the pytest plugin's default)."""
    if v["fuzz-seed"] is not None and not v["fuzz"]:
        raise UsageError("fuzz-seed replays a fuzzing run and needs fuzz N", "add --fuzz N")
    return FuzzSettings(v["fuzz"], v["fuzz-seed"], derandomize) if v["fuzz"] else None
