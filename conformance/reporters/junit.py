"""JUnit XML: one testsuite per run, one testcase per check; a broken rule is <failure>,
a check we could not judge is <error>, a skip is <skipped>."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..model import RunReport, Status, gate
from .text import xml_safe


def to_xml(report: RunReport) -> ET.Element:
    results = report.results
    suite = ET.Element("testsuite", {
        "name": xml_safe(f"sagemaker-conformance {report.image}"),
        "tests": str(len(results)),
        "failures": str(sum(r.status is Status.FAIL for r in results)),
        "errors": str(sum(r.status is Status.ERROR for r in results)),
        "skipped": str(sum(r.status is Status.SKIP for r in results)),
        "time": f"{report.duration_s:.3f}",
        "timestamp": report.started,
    })
    props = ET.SubElement(suite, "properties")
    for name, value in (("tool_version", report.version), ("image", report.image),
                        ("mode", report.mode), ("verdict", report.verdict), ("headline", report.headline),
                        ("run_id", report.run_id), ("error", report.error),
                        ("must_not_run", ",".join(r.id for r in report.not_judged))):
        ET.SubElement(props, "property", {"name": name, "value": xml_safe(str(value))})
    for r in results:
        case = ET.SubElement(suite, "testcase", {
            "classname": xml_safe("sagemaker." + r.id.split(".")[0]), "name": xml_safe(r.id), "time": f"{r.duration_s:.3f}"})
        message = xml_safe(r.message)
        text = xml_safe(f"{r.message}\nmeasured: {r.measured} {r.unit}\nlimit: {r.limit} {r.unit}\n"
                        f"remediation: {r.remediation}\nsource: {r.source}")
        if r.status is Status.FAIL:
            ET.SubElement(case, "failure", {"message": message, "type": r.severity.value}).text = text
        elif r.status is Status.ERROR:
            ET.SubElement(case, "error", {"message": message}).text = text
        elif r.status is Status.SKIP:
            ET.SubElement(case, "skipped", {"message": message})
        warned = gate(r, report.strict) == "warn"
        out = (f"WARNING ({r.severity.value}): {text}\n" if warned else "") + xml_safe(r.logs or "")
        if out:
            ET.SubElement(case, "system-out").text = out
    return suite


def write(report: RunReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(to_xml(report))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
