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
    "report-dir": ("The folder of the reports (uploaded as the artifact).", "report-dir"),
}

# Inputs of the Action alone (not options of the CLI): name -> (description, default).
ACTION_INPUTS = {
    "args": ("Anything else for `sagemaker-conformance check`, split as a shell would (quotes kept, "
             "nothing evaluated), e.g. --env A=1 --env B=2.", ""),
    "artifact-name": ("Name of the artifact the report folder is uploaded as, also when the check fails; "
                      "empty: no upload. Give each use in one workflow a name of its own.",
                      "sagemaker-conformance-reports"),
}

STEPS = """\
runs:
  using: composite
  steps:
    - name: Install sagemaker-conformance into a virtual environment of its own
      shell: bash
      run: bash "$GITHUB_ACTION_PATH/scripts/action_install.sh"
    - name: Check the image
      id: check
      shell: bash
      env:
{env}
      run: bash "$GITHUB_ACTION_PATH/scripts/action_check.sh"
    - name: Upload the reports
      if: always() && inputs.artifact-name != '' && steps.check.outputs.report-dir != ''
      uses: actions/upload-artifact@v4
      with:
        name: ${{{{ inputs.artifact-name }}}}
        path: ${{{{ steps.check.outputs.report-dir }}}}
        if-no-files-found: ignore
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
    """`image` is not required: a run against --target has none (the CLI says which is missing)."""
    description = _description(option)
    if option.name == "image":
        description += " Required unless `target` is given."
    default = REPORT_DIR if option.name == "report-dir" else ""
    return [f"  {option.name}:", f"    description: {json.dumps(description)}",
            f"    default: {json.dumps(default)}"]


def _action_input(name: str) -> list[str]:
    text, default = ACTION_INPUTS[name]
    return [f"  {name}:", f"    description: {json.dumps(text)}", f"    default: {json.dumps(default)}"]


def render() -> str:
    inputs = ["inputs:"] + [line for option in OPTIONS for line in _input(option)] + \
        [line for name in ACTION_INPUTS for line in _action_input(name)]
    outputs = ["outputs:"]
    for name, (text, key) in OUTPUTS.items():
        outputs += [f"  {name}:", f"    description: {json.dumps(text)}",
                    f"    value: ${{{{ steps.check.outputs.{key} }}}}"]
    env = "\n".join([f"        {o.env}: ${{{{ inputs.{o.name} }}}}" for o in OPTIONS]
                    + ["        SMC_ARGS: ${{ inputs.args }}"])
    return "\n".join([HEADER, *inputs, "", *outputs, "", STEPS.format(env=env)]).rstrip() + "\n"
