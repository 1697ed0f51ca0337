"""Rewrite action.yml from conformance/options.py (tests/test_fronts.py checks it is current)."""
from pathlib import Path

from conformance.action_spec import render

path = Path(__file__).resolve().parent.parent / "action.yml"
path.write_text(render())
print(f"wrote {path}")
