"""action.yml, rendered from options.OPTIONS: one input per option, handed to the CLI as
its SMC_* variable (an input left blank is unset), so the Action has every option the CLI
has. `python scripts/write_action.py` rewrites the file; a test checks it is current."""
from __future__ import annotations

import json

from .options import OPTIONS, Option

REPORT_DIR = "sagemaker-conformance-reports"

HEADER = """\
# Generated from conformance/options.py by scripts/write_action.py; do not edit by hand.
name: SageMaker conformance
description: Check a container image against Amazon SageMaker's bring-your-own-container contract, with a real Docker engine.
author: sagemaker-conformance
branding:
  icon: check-circle
  color: orange
"""

OUTPUTS = {
    "verdict": ("pass, warn, fail or error.", "verdict"),
    "json-report": ("Path of the JSON report.", "json-report"),
    "junit-report": ("Path of the JUnit XML report.", "junit-report"),
    "html-report": ("Path of the HTML report.", "html-report"),
    "markdown-report": ("Path of the Markdown summary (also the job summary).", "markdown-report"),
}

STEPS = """\
runs:
  using: composite
  steps:
    - name: Install sagemaker-conformance from the action's checkout
      shell: bash
      run: python3 -m pip install --disable-pip-version-check -q "$GITHUB_ACTION_PATH[capture]"
    - name: Check the image
      id: check
      shell: bash
      env:
{env}
      run: bash "$GITHUB_ACTION_PATH/scripts/action_check.sh"
"""


def _description(option: Option) -> str:
    text = option.help[0].upper() + option.help[1:] + "."
    if option.kind == "bool":
        text += " true or false."
    if option.choices:
        text += f" One of: {', '.join(option.choices)}."
    if option.default not in (None, (), "") and option.name != "report-dir":
        text += f" Empty: {option.default}."
    return text


def _input(option: Option) -> list[str]:
    lines = [f"  {option.name}:", f"    description: {json.dumps(_description(option))}"]
    if option.name == "image":
        return lines + ["    required: true"]
    default = REPORT_DIR if option.name == "report-dir" else ""
    return lines + [f"    default: {json.dumps(default)}"]


def render() -> str:
    inputs = ["inputs:"] + [line for option in OPTIONS for line in _input(option)]
    outputs = ["outputs:"]
    for name, (text, key) in OUTPUTS.items():
        outputs += [f"  {name}:", f"    description: {json.dumps(text)}",
                    f"    value: ${{{{ steps.check.outputs.{key} }}}}"]
    env = "\n".join(f"        {o.env}: ${{{{ inputs.{o.name} }}}}" for o in OPTIONS)
    return "\n".join([HEADER, *inputs, "", *outputs, "", STEPS.format(env=env)]).rstrip() + "\n"
