"""Run the real engine and collect its report."""
from __future__ import annotations

from contextlib import closing

from conformance.config import RunConfig
from conformance.engine import run
from conformance.events import RunFinished
from conformance.model import RunReport

from conftest import MODEL, PAYLOAD


def check_image(image: str, **overrides) -> RunReport:
    settings = dict(image=image, payload=PAYLOAD, content_type="text/csv", model=MODEL,
                    stop_timeout_s=5.0, startup_timeout_s=20.0)
    settings.update(overrides)
    with closing(run(RunConfig(**settings))) as events:
        for event in events:
            if isinstance(event, RunFinished):
                return event.report
    raise AssertionError("the engine finished without a report")


def by_id(report: RunReport) -> dict:
    return {r.id: r for r in report.results}
