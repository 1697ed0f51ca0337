"""The pipeline's report section: each container's hop (pipeline.serial / .direct)."""
from __future__ import annotations

from typing import Optional

from ...model import Section, Table
from ...registry import section


@section
def hops_section(results, probes) -> Optional[Section]:
    tables = tuple(
        Table(("container", "image", "status", "latency", "in", "out"),
              tuple((h["container"], h["image"], str(h["status"] or h["error"]), f"{h['latency_s'] * 1000:.1f} ms",
                     f"{h['request_bytes']} B", f"{h['response_bytes']} B") for h in r.details["hops"]),
              title=r.id)
        for r in results if r.details.get("hops"))
    if not tables:
        return None
    return Section("pipeline.hops", "Pipeline: each container", f"{len(tables[0].rows)} containers",
                   tables=tables, data={t.title: [dict(zip(t.columns, row)) for row in t.rows] for t in tables})
