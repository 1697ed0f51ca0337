"""The multi-model endpoint's report section: each model's calls of the /models drill
(mme.load's details), one row per model."""
from __future__ import annotations

from typing import Optional

from ...model import Section, Table
from ...registry import section

CALLS = ("load", "load_again", "get", "invoke", "unload", "get_after_unload", "unload_again")


def _cell(call: Optional[dict]) -> str:
    if call is None:
        return "-"
    return f"{call['status'] or call.get('error', '')} ({call['latency_s'] * 1000:.1f} ms)"


@section
def models_section(results, probes) -> Optional[Section]:
    rows = next((r.details["models"] for r in results if r.details.get("models")), None)
    if not rows:
        return None
    table = Table(("model", "model_name sent") + tuple(c.replace("_", " ") for c in CALLS),
                  tuple((row["model"], row["id"], *(_cell(row.get(c)) for c in CALLS)) for row in rows))
    return Section("mme.models", "Multi-model endpoint: each model", f"{len(rows)} model(s) driven through /models",
                   tables=(table,), data={"models": rows})
