"""Production variants (--variant) through real containers: every variant judged on every
serving check, then the same requests replayed to each and compared (variants.agreement,
variants.latency), each proven by a candidate that keeps the baseline's answers and one
that breaks them; the side-by-side section in the JSON (against the schema) and HTML."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from conformance import registry
from conformance.model import Status
from conformance.modes.variants.settings import VariantSettings, parse_variant
from conformance.reporters import json_report
from conformance.reporters.html import render
from conftest import MODEL, PAYLOAD, ROOT
from helpers import by_id, check_image

pytestmark = pytest.mark.docker
VARIANTS_ONLY = {s.id for s in registry.all_checks("variants") if s.modes == {"variants"}}


def variants(baseline: str, *entries: str, only=None, env=None, **settings):
    mode = VariantSettings(candidates=tuple(parse_variant(e, i) for i, e in enumerate(entries, 1)), **settings)
    return check_image(baseline, mode_settings=mode, env=env or {}, **({"only": only} if only else {}))


@pytest.mark.serial   # judges latency: alone, so that other tests' CPU use does not bend it
def test_a_candidate_that_keeps_the_answers_passes_every_check_on_every_variant(sample_images):
    good = sample_images["good-minimal"]
    report = variants(good, f"{sample_images['good-serving']}=0.25;name=candidate")   # Flask against the stdlib
    not_passed = {r.id: (r.status.value, r.message) for r in report.results if r.status is not Status.PASS}
    assert not not_passed and report.verdict == "pass"
    assert {r.id for r in report.results} == {s.id for s in registry.select("variants")}
    assert VARIANTS_ONLY == {"variants.agreement", "variants.latency"}
    invocations = by_id(report)["inference.invocations"]   # a serving rule, judged on each variant
    assert set(invocations.details["containers"]) == {f"baseline ({good})",
                                                        f"candidate ({sample_images['good-serving']})"}
    section = json_report.to_dict(report)["sections"]["variants"]
    jsonschema.validate(json_report.to_dict(report), json_report.schema())
    rows = section["data"]["variants"]
    assert rows["baseline"]["weight_share"] == 0.8 and rows["candidate"]["weight_share"] == 0.2
    assert rows["candidate"]["requests"] == rows["candidate"]["ok"] == 40 and rows["candidate"]["differing"] == 0
    print(f"variants: {section['summary']}")
    html = render(report)
    assert "Production variants, side by side" in html and html.count("<polyline") >= 2


def test_a_candidate_that_answers_differently_fails_agreement(sample_images):
    report = variants(sample_images["good-minimal"], sample_images["broken-variants.agreement"])
    agreement = by_id(report)["variants.agreement"]
    assert agreement.status is Status.FAIL and report.verdict == "fail", agreement.message
    assert agreement.measured < 1 and "answers differ" in agreement.message
    assert "virginica" in agreement.message or "setosa" in agreement.message   # the two answers, shown
    assert by_id(report)["inference.invocations"].status is Status.PASS   # it serves; it answers otherwise


def test_a_slower_candidate_warns_on_latency(sample_images):
    report = variants(sample_images["good-minimal"], sample_images["broken-variants.latency"],
                      only=("inference.startup", "variants"))
    latency, agreement = by_id(report)["variants.latency"], by_id(report)["variants.agreement"]
    assert latency.status is Status.WARN and report.verdict == "warn", latency.message
    assert latency.measured > 1.5 and "p50" in latency.message
    assert agreement.status is Status.PASS, agreement.message
    print(f"variants.latency: {latency.message}")


@pytest.mark.parametrize("noise, tolerance, agrees", [("1e-9", 1e-6, True), ("0.01", 1e-6, False),
                                                      ("0.01", 0.1, True)])
def test_numbers_agree_within_the_tolerance(sample_images, tmp_path, noise, tolerance, agrees):
    """JSON answers of numbers (each row's distance to every class): equal within
    --tolerance, over every line of a --traffic file as its own request."""
    good = sample_images["good-minimal"]
    report = variants(good, f"{good};env=MS_SCORE_NOISE={noise}", only=("inference.startup", "variants.agreement"),
                      env={"MS_SCORES": "1"}, tolerance=tolerance, traffic=PAYLOAD, requests=12)
    agreement = by_id(report)["variants.agreement"]
    assert agreement.status is (Status.PASS if agrees else Status.FAIL), agreement.message
    assert agreement.details["variants"]["baseline"]["requests"] == 12
    if not agrees:
        assert "scores" in agreement.message, agreement.message   # the JSON answers, shown


def test_a_candidate_that_breaks_a_serving_rule_is_named(sample_images):
    report = variants(sample_images["good-minimal"], f"{sample_images['broken-inference.headers']};name=candidate",
                      only=("inference.startup", "inference.invocations", "inference.headers", "variants"))
    headers = by_id(report)["inference.headers"]
    assert headers.status is Status.FAIL and "candidate" in headers.message, headers.message
    rows = json_report.to_dict(report)["sections"]["variants"]["data"]["variants"]
    assert rows["candidate"]["checks_not_passed"] == ["inference.headers"]
    assert rows["baseline"]["checks_not_passed"] == []


@pytest.mark.parametrize("args, says", [
    (["--variant", "x", "--variant", "y", "--shadow"], "--shadow takes one --variant"),
    (["--variant", "x=-1"], "weights must be >= 0"),
    (["--variant", "x;name=bad_name"], "variant name 'bad_name'"),
    (["--variant", "x;colour=blue"], "cannot read 'colour=blue'"),
    (["--variant", "x", "--mode", "train"], "--variant applies to --mode serve"),
    (["--tolerance", "0.1"], "--tolerance applies to --variant"),
])
def test_variant_options_are_checked_before_anything_runs(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal", "--payload",
                           str(PAYLOAD), "--model", str(MODEL), *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in " ".join(done.stdout.split()), done.stdout


def test_the_cli_compares_variants_and_writes_the_section(sample_images, tmp_path):
    good = sample_images["good-minimal"]
    done = subprocess.run([sys.executable, "-m", "conformance", "check", good, "--payload", str(PAYLOAD),
                           "--content-type", "text/csv", "--model", str(MODEL), "--variant",
                           f"{sample_images['broken-variants.agreement']}=0.1", "--checks", "inference.startup,variants",
                           "--variant-requests", "5", "--json", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    report = json.loads((tmp_path / "r.json").read_text())
    assert done.returncode == 1, done.stdout[-2000:]
    assert report["sections"]["variants"]["data"]["variants"]["variant-1"]["requests"] == 5
    assert {c["id"]: c["status"] for c in report["checks"]}["variants.agreement"] == "fail"
    assert "Production variants" in done.stdout
