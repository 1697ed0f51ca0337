#!/usr/bin/env python3
"""The Action's annotations: one GitHub workflow command per check that did not pass
(::error for fail and error, ::warning for warn), read from report.json, so that a failed
rule shows on the run's summary page and in the pull request's checks. Values are escaped
as the workflow-command format requires (%, CR, LF; and : , in properties)."""
from __future__ import annotations

import json
import sys

LEVEL = {"fail": "error", "error": "error", "warn": "warning"}


def escape(text: str, prop: bool = False) -> str:
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def lines(report: dict) -> list[str]:
    out = []
    for check in report.get("checks", []):
        level = LEVEL.get(check.get("status"))
        if level is None:
            continue
        title = f"{check['id']} ({check['severity']}, {check['status']})"
        body = f"{check.get('message', '')}\nfix: {check.get('remediation', '')}\nsource: {check.get('source', '')}"
        out.append(f"::{level} title={escape(title, prop=True)}::{escape(body)}")
    if report.get("error"):
        out.append(f"::error title=sagemaker-conformance::{escape(report['error'])}")
    return out


def main(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        return 0   # no report (a usage error): the CLI's own message says why
    print("\n".join(lines(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
