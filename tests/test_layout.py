"""The shape of the house (issue 20): no import circle, an engine that knows no mode,
feature, check or front, and every mode found through the registry."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conformance import registry
from conformance.options import BY_NAME

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_map_has_no_circle_and_no_layering_break():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_map.py")],
                          capture_output=True, text=True, timeout=60)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import circles: 0" in done.stdout and "layering breaks: 0" in done.stdout


def test_every_mode_folder_registers_one_mode_with_its_own_options():
    folders = {p.name for p in (ROOT / "conformance" / "modes").iterdir() if (p / "__init__.py").is_file()}
    specs = registry.modes()
    assert len(specs) == len(folders) == 9
    modules = {spec.driver.__module__ for spec in specs} | {spec.build.__module__ for spec in specs}
    assert {m.split(".")[2] for m in modules} == folders   # each mode's parts come from its folder
    for spec in specs:   # a mode's options are declared in its folder and reach every front
        assert bool(spec.declares) is (spec.name != "serve"), spec.name
        assert all(BY_NAME[o.name] is o for o in spec.declares), spec.name
        assert set(spec.options) <= {o.name for o in spec.declares}, spec.name
    assert registry.mode_names() == ("serve", "train", "serverless", "async", "batch", "mme", "inference-component")


def test_every_check_runs_in_a_registered_mode():
    known = {spec.name for spec in registry.modes()}
    for spec in registry.all_checks():
        assert spec.modes and spec.modes <= known, spec.id
