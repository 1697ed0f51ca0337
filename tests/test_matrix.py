"""scripts/matrix.py: images through the real CLI into docs/compatibility.md and .json,
and --compare naming every cell that changed between two releases."""
from __future__ import annotations

import json
import subprocess
import sys

from conformance import __version__
from conformance.reporters.evidence import rules_digest
from conftest import ROOT


def test_matrix_writes_the_table_and_the_json_and_compares_releases(sample_images, tmp_path):
    def matrix(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "scripts/matrix.py"), "--only",
                               "good-minimal,broken-inference.headers,broken-mme.get", "--out", str(tmp_path), *extra],
                              capture_output=True, text=True, timeout=600)
    first = matrix()
    assert first.returncode == 0, first.stderr
    data = json.loads((tmp_path / "compatibility.json").read_text())
    assert (data["tool_version"], data["rules_digest"]) == (__version__, rules_digest())
    images = data["images"]
    assert images["good-minimal"]["verdict"] == "pass" and set(images["good-minimal"]["checks"].values()) == {"pass"}
    assert images["broken-inference.headers"]["checks"]["inference.headers"] == "fail"
    assert images["broken-mme.get"] == {"profile": None}, "a mode with inputs of its own is listed, not run"
    table = (tmp_path / "compatibility.md").read_text()
    assert "| broken-inference.headers | fail |" in table and "`inference.headers`" in table
    assert "## Not in the matrix" in table and "broken-mme.get" in table.split("## Not in the matrix")[1]
    older = tmp_path / "older.json"
    data["images"]["good-minimal"]["checks"]["inference.ping"] = "fail"
    data["images"]["good-minimal"]["verdict"] = "fail"
    older.write_text(json.dumps(data))
    second = matrix("--out", str(tmp_path / "again"), "--compare", str(older))
    assert second.returncode == 0, second.stderr
    assert "good-minimal: verdict fail -> pass" in second.stdout
    assert "good-minimal: inference.ping fail -> pass" in second.stdout
