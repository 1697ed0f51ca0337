"""The pytest plugin through pytester, in a subprocess as a user's CI runs it."""
from __future__ import annotations

from conftest import MODEL, PAYLOAD


def plugin_args(image):
    return ["-p", "no:cacheprovider", "--sagemaker-image", image, "--sagemaker-payload", str(PAYLOAD),
            "--sagemaker-content-type", "text/csv", "--sagemaker-model", str(MODEL),
            "--sagemaker-stop-timeout", "5"]


def test_each_check_is_an_item_and_a_good_image_passes(pytester, sample_images):
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["good-minimal"]), "-v",
                                           f"--junitxml={pytester.path / 'j.xml'}")
    result.assert_outcomes(passed=21)
    result.stdout.fnmatch_lines(["*::inference.ping.latency PASSED*"])
    assert 'name="inference.accept"' in (pytester.path / "j.xml").read_text()


def test_a_broken_image_fails_the_item_named_after_its_defect(pytester, sample_images):
    result = pytester.runpytest_subprocess(*plugin_args(sample_images["broken-inference.headers"]),
                                           "-k", "headers or invocations")
    result.assert_outcomes(passed=2, failed=1)
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
    result.assert_outcomes(passed=1, deselected=21)
