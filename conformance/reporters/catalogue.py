"""`list-checks`: the catalogue of rules, from the registry (text, JSON or Markdown)."""
from __future__ import annotations

import json

from ..model import CheckSpec, Mode


BUILT_IN = [m.value for m in Mode]


def _modes(spec: CheckSpec) -> list[str]:
    """The built-in modes in their order, then any other registered mode by name."""
    return sorted(spec.modes, key=lambda m: (BUILT_IN.index(m) if m in BUILT_IN else len(BUILT_IN), m))


def rows(specs: list[CheckSpec]) -> list[dict]:
    return [{"id": s.id, "title": s.title, "severity": s.severity.value, "since": s.since,
             "modes": _modes(s), "phase": s.phase.name.lower(),
             "option": s.option, "source": s.source, "links": list(s.links), "remediation": s.remediation,
             "origin": s.origin, "remote": s.remote, "each_container": s.each_container} for s in specs]


def render(specs: list[CheckSpec], fmt: str) -> str:
    table = rows(specs)
    if fmt == "json":
        return json.dumps(table, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| check | severity | since | modes | what it checks | source |", "|---|---|---|---|---|---|"]
        for r in table:
            link = f"[{r['links'][0].rsplit('/', 1)[-1]}]({r['links'][0]})" if r["links"] else "—"
            modes = ", ".join(r["modes"]) + (f" (with {r['option']})" if r["option"] else "")
            lines.append(f"| `{r['id']}` | {r['severity']} | {r['since'] or '—'} | {modes} | {_cell(r['title'])} | {link} |")
        return "\n".join(lines) + "\n"
    out = []
    for r in table:
        origin = "" if r["origin"] == "sagemaker-conformance" else f"  [from {r['origin']}]"
        out.append(f"{r['id']:38} {r['severity']:6} {r['phase']:11} {','.join(r['modes']):28} {r['title']}{origin}\n"
                   f"{'':38} {r['links'][0] if r['links'] else r['source']}")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
