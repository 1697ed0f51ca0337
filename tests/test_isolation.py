"""--network-isolation through real containers: an internal network with no route out.
Good images serve and train offline (training hosts still reach each other); an image
that downloads at start fails with the cause named. Nothing leaves the machine: the
download address is in TEST-NET-1 and the network has no route out."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.model import Status
from conftest import ROOT
from helpers import by_id, check_image
from test_training import train

pytestmark = pytest.mark.docker
FETCH = "http://192.0.2.1/model.bin"   # TEST-NET-1 (RFC 5737): routes nowhere


def test_an_image_that_downloads_at_start_fails_with_the_cause(sample_images):
    report = check_image(sample_images["broken-image.network-isolation"], network_isolation=True,
                         only=("image", "inference.startup"))
    result = by_id(report)["image.network-isolation"]
    assert result.status is Status.FAIL, result.message
    assert "cannot download" in result.message and FETCH in result.message
    assert result.details["evidence"] and report.verdict == "fail"


def test_a_good_image_serves_offline(sample_images):
    report = check_image(sample_images["good-minimal"], network_isolation=True,
                         only=("image.network-isolation", "inference.invocations"))
    assert {r.id: r.status for r in report.results} == {
        "image.network-isolation": Status.PASS, "inference.invocations": Status.PASS,
        "inference.invocations.request-size": Status.PASS, "inference.invocations.content-type": Status.PASS}


def test_training_hosts_reach_each_other_and_nothing_else(sample_images, tmp_path):
    report = train(sample_images["good-training"], tmp_path, 2, network_isolation=True,
                   only=("image.network-isolation", "distributed.hosts", "training.exit"))
    assert {r.id: r.status for r in report.results} == {   # the hosts drill too, on the internal network
        "image.network-isolation": Status.PASS, "distributed.hosts": Status.PASS,
        "distributed.hosts.names": Status.PASS, "training.exit": Status.PASS}


def test_a_trainer_that_downloads_fails_offline(sample_images, tmp_path):
    report = train(sample_images["good-training"], tmp_path, 1, network_isolation=True,
                   env={"TR_FETCH_URL": FETCH}, only=("image.network-isolation",))
    result = by_id(report)["image.network-isolation"]
    assert result.status is Status.FAIL and result.details["evidence"], result.message


@pytest.mark.parametrize("args, says", [
    (["--mode", "serverless", "--memory-size", "1024", "--network-isolation"], "do not support network isolation"),
    (["--network-isolation", "--connect", "published"], "cannot publish a port"),
])
def test_isolation_usage_errors(args, says):
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "smc-sample/good-minimal", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and says in done.stdout + done.stderr, done.stdout + done.stderr
