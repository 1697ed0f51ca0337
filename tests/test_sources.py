"""Every check cites where its rule comes from as links a user can open; `list-checks`
prints them from the registry, and docs/checks.md is that catalogue, kept current. Fast:
no Docker."""
from __future__ import annotations

import contextlib
import io
import json
from urllib.parse import urlsplit

from conformance.checks import all_checks
from conformance.cli import main
from conformance.reporters.catalogue import render
from conformance.sources import cited, links
from conftest import ROOT

HOSTS = {"docs.aws.amazon.com", "github.com", "docs.locust.io"}
HEAD_END = "A rule declared for `serve` also runs in `serverless`, `async` and `batch`.\n\n"


def listing(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["list-checks", *args]) == 0
    return out.getvalue()


def test_every_check_links_to_where_its_rule_comes_from():
    for spec in all_checks():
        assert spec.links, f"{spec.id}: no link in {spec.source!r}"
        for url in spec.links:
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.netloc in HOSTS, (spec.id, url)


def test_tags_and_api_shapes_become_pages():
    assert links("contract.md x (HOST; API-SM CreateTransformJobRequest; API-RT ModelError)") == (
        "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html")
    assert cited("our policy") == "our policy"


def test_list_checks_json_is_the_registry():
    rows = json.loads(listing("--format", "json"))
    specs = all_checks()
    assert [r["id"] for r in rows] == [s.id for s in specs]
    assert all(r["severity"] == s.severity.value and r["links"] == list(s.links) and r["modes"]
               for r, s in zip(rows, specs))


def test_list_checks_text_names_each_check_with_its_source():
    text = listing()
    for spec in all_checks():
        line = next(line for line in text.splitlines() if line.startswith(spec.id + " "))
        assert spec.severity.value in line and spec.title in line
    assert text.count("https://") == len(all_checks())


def test_the_checked_in_catalogue_is_current():
    written = (ROOT / "docs" / "checks.md").read_text()
    assert written.split(HEAD_END, 1)[1] == render(all_checks(), "markdown"), \
        "docs/checks.md is stale: sagemaker-conformance list-checks --format markdown"
