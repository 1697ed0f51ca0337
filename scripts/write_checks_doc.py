"""Rewrite docs/checks.md from the registry (tests/test_sources.py checks it is current)."""
from pathlib import Path

from conformance.checks import all_checks
from conformance.reporters.catalogue import render

HEAD = ("# The checks\n\nEvery rule `sagemaker-conformance` judges, with its severity, the modes it runs in and the "
        "AWS page it comes from. Written by `python scripts/write_checks_doc.py` (the same table as "
        "`sagemaker-conformance list-checks --format markdown`; tests/test_sources.py fails when it is stale). "
        "A rule declared for `serve` also runs in `serverless`, `async` and `batch`.\n\n")
path = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
path.write_text(HEAD + render(all_checks(), "markdown"))
print(f"wrote {path}")
