"""mme.*: a multi-model endpoint's /models API (--mode mme; contract.md §6). The checks
read one drill (modes/mme/drill.py), run once per run."""
from __future__ import annotations

from ...engine.http import HttpSample
from ...model import Mode

ORDER = 130   # registry.load: areas load (and so run within a phase) by ORDER, then name

MME = (Mode.MME,)
API_SOURCE = "AWS guide mms-container-apis (MME-API)"


def seen(sample: HttpSample) -> str:
    """What one call got, for a message: the status, or why there was none."""
    return sample.error if sample.error else f"{sample.status}"
