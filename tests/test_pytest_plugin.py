"""The pytest plugin through pytester, in a subprocess as a user's CI runs it."""
from __future__ import annotations

import json

from conformance.registry import select
from conftest import MODEL, PAYLOAD

SERVE_ITEMS = len(select("serve"))   # one item per check of the mode, as the registry selects them


def plugin_args(image):
    return ["-p", "no:cacheprovider", "--sagemaker-image", image, "--sagemaker-payload", str(PAYLOAD),
            "--sagemaker-content-type", "text/csv", "--sagemaker-model", str(MODEL),
            "--sagemaker-stop-timeout", "5"]


def test_each_check_is_an_item_and_a_good_image_passes(pytester, sample_images):
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["good-minimal"]), "-v",
                                           f"--junitxml={pytester.path / 'j.xml'}")
    result.assert_outcomes(passed=SERVE_ITEMS)
    result.stdout.fnmatch_lines(["*::inference.ping.latency PASSED*"])
    assert 'name="inference.accept"' in (pytester.path / "j.xml").read_text()


def test_a_broken_image_fails_the_item_named_after_its_defect(pytester, sample_images):
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["broken-inference.headers"]),
                                           "-k", "headers or invocations")
    # invocations, its request-size and content-type pass; headers fails; custom-attributes skips
    result.assert_outcomes(passed=3, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*inference.headers [[]MUST[]] fail:*", "*fix: Do not reject*"])


def test_should_failure_is_a_warning_unless_strict(pytester, sample_images):
    args = plugin_args(sample_images["broken-image.user.root"]) + ["-k", "user"]
    pytester.runpytest_subprocess(*args).assert_outcomes(passed=1, warnings=1)
    pytester.runpytest_subprocess(*args, "--sagemaker-strict").assert_outcomes(failed=1)


def test_sagemaker_endpoint_fixture_serves_users_tests(pytester, sample_images):
    pytester.makepyfile("""
        import requests
        def test_predicts_setosa(sagemaker_endpoint):
            r = requests.post(sagemaker_endpoint.base_url + "/invocations", data=b"5.1,3.5,1.4,0.2",
                              headers={"Content-Type": "text/csv"}, timeout=10)
            assert r.status_code == 200 and r.text.strip() == "setosa"
            assert "listening on" in sagemaker_endpoint.logs()
    """)
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["good-minimal"]), "-k", "predicts")
    result.assert_outcomes(passed=1, deselected=SERVE_ITEMS)


def test_four_images_in_parallel_under_xdist(pytester, sample_images, docker_client):
    """One run per image, each image's items on one worker (--dist loadscope): no collision
    of names, networks or ports, a report per image, and nothing left behind."""
    names = ["good-minimal", "good-stdlib", "good-serving", "broken-inference.headers"]
    tags = [sample_images[name] for name in names]
    result = pytester.runpytest_subprocess(*plugin_args(",".join(tags)), "-n", "4", "--dist", "loadscope",
                                           "--sagemaker-checks", "inference.ping,inference.headers",
                                           "--sagemaker-json", "r.json", "-v")
    reports = {path.name: json.loads(path.read_text()) for path in pytester.path.glob("r-*.json")}
    assert sorted(r["image"] for r in reports.values()) == sorted(tags)
    assert len({r["run_id"] for r in reports.values()}) == 4
    headers = {r["image"]: {c["id"]: c["status"] for c in r["checks"]}["inference.headers"]
               for r in reports.values()}
    assert headers == {tag: "fail" if "broken" in tag else "pass" for tag in tags}
    total = sum(len(r["checks"]) for r in reports.values())
    skipped = sum(r["summary"]["skip"] for r in reports.values())
    result.assert_outcomes(passed=total - 1 - skipped, failed=1, skipped=skipped)
    result.stdout.fnmatch_lines([f"*FAILED*{sample_images['broken-inference.headers']}::inference.headers*"])
    ran_on: dict = {}
    for line in result.stdout.lines:
        worker, _, rest = line.partition("] ")
        for tag in tags:
            if line.startswith("[gw") and f"::{tag}::" in rest:
                ran_on.setdefault(tag, set()).add(worker)
    assert all(len(workers) == 1 for workers in ran_on.values()) and len(ran_on) == 4, ran_on
    assert len(set().union(*ran_on.values())) >= 2, "the images ran on more than one worker"
    run_ids = {r["run_id"] for r in reports.values()}
    left = [c.id for c in docker_client.containers.list(all=True, sparse=True, filters={"label": "sagemaker-conformance"})
            if (c.attrs.get("Labels") or {}).get("sagemaker-conformance.run-id") in run_ids]
    assert not left


def test_a_multi_model_endpoint_takes_repeated_models(pytester, sample_images):
    """--sagemaker-model NAME=PATH, repeated, reaches --mode mme as the CLI's --model does."""
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--sagemaker-image", sample_images["broken-mme.load.conflict"],
        "--sagemaker-mode", "mme", "--sagemaker-model", f"a.tar.gz={MODEL}", "--sagemaker-model",
        f"b.tar.gz={MODEL}", "--sagemaker-stop-timeout", "5", "-k", "mme.load or mme.list", "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*::mme.list.pagination PASSED*", "*mme.load.conflict [[]MUST[]] fail:*"])


def test_items_are_collected_and_a_node_id_reruns_one_check(pytester, sample_images):
    """--collect-only lists the checks (collected, not injected); a printed node id, pasted
    back, runs that one check."""
    args = plugin_args(sample_images["good-minimal"])
    listed = pytester.runpytest_subprocess(*args, "--collect-only", "-q")
    ids = [line for line in listed.stdout.lines if line.startswith("sagemaker-conformance::")]
    assert "sagemaker-conformance::inference.ping.latency" in ids and len(ids) == SERVE_ITEMS
    assert not any("deselected" in line or "selected" in line for line in listed.stdout.lines)
    again = pytester.runpytest_subprocess(*args, "sagemaker-conformance::inference.ping.latency", "-v")
    again.assert_outcomes(passed=1)


def test_xdist_without_loadscope_runs_each_image_once(pytester, sample_images):
    tags = [sample_images["good-minimal"], sample_images["good-stdlib"]]
    result = pytester.runpytest_subprocess(*plugin_args(",".join(tags)), "-n", "3",
                                           "--sagemaker-checks", "inference.ping,inference.startup,image",
                                           f"--junitxml={pytester.path / 'j.xml'}")
    assert result.ret == 0, result.stdout.lines[-20:]
    import xml.etree.ElementTree as ET
    runs: dict = {}
    for case in ET.parse(pytester.path / "j.xml").getroot().iter("testcase"):
        image = next(tag for tag in tags if tag in case.get("classname", "") + case.get("name", ""))
        run = next(p.get("value") for p in case.iter("property") if p.get("name") == "sagemaker_run_id")
        runs.setdefault(image, set()).add(run)
    assert set(runs) == set(tags) and all(len(ids) == 1 for ids in runs.values()), runs


def test_should_findings_survive_filterwarnings_error(pytester, sample_images):
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["broken-image.user.root"]), "-k", "user",
                                           "-W", "error")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*SageMakerShouldWarning*"])


def test_the_endpoint_fixture_honours_a_target(pytester, sample_images):
    from conformance.config import RunConfig
    from conformance.engine.endpoint import serving_endpoint
    config = RunConfig(image=sample_images["good-minimal"], model=MODEL)
    with serving_endpoint(config) as endpoint:
        pytester.makepyfile(f"""
            def test_uses_the_target(sagemaker_endpoint):
                assert sagemaker_endpoint.base_url == "{endpoint.base_url}"
                assert sagemaker_endpoint.container is None and sagemaker_endpoint.logs() == ""
        """)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sagemaker-target", endpoint.base_url,
                                               "-k", "uses_the_target")
    result.assert_outcomes(passed=1, deselected=SERVE_ITEMS)
