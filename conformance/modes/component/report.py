"""The inference component's report section: each copy's start, answer and memory
(component.copies' details), one row per copy."""
from __future__ import annotations

from typing import Optional

from ...model import Section, Table
from ...registry import section


@section
def copies_section(results, probes) -> Optional[Section]:
    rows = next((r.details["copies"] for r in results if r.id == "component.copies" and r.details.get("copies")), None)
    if not rows:
        return None
    table = Table(("copy", "start", "healthy after", "/invocations", "state"),
                  tuple((c["copy"], c["start"], "-" if c["healthy_after_s"] is None else f"{c['healthy_after_s']} s",
                         str(c["invocation"]), c["state"]) for c in rows))
    healthy = sum(c["start"] == "healthy" for c in rows)
    return Section("component.copies", "Inference component: each copy", f"{healthy} of {len(rows)} copies healthy",
                   tables=(table,), data={"copies": rows})
