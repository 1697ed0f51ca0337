"""The production variants' report section: side by side, one row per variant (its image,
weight share, the serving checks it broke, the replay's 2xx, differing answers and
latency), and a plot of each variant's sorted latencies (variants.agreement's details)."""
from __future__ import annotations

from typing import Optional

from ...model import Chart, Section, Status, Table
from ...registry import section


@section
def variants_section(results, probes) -> Optional[Section]:
    agreement = next((r for r in results if r.id == "variants.agreement" and r.details.get("variants")), None)
    if agreement is None:
        return None
    variants = agreement.details["variants"]
    broken = _broken_by(results)
    shares = dict(probes.config.mode_settings.weights()) if probes is not None and probes.config is not None else {}
    rows = tuple((name, v["image"], f"{shares[name]:.0%}" if name in shares else "-",
                  ", ".join(broken.get(v["label"], [])) or "none", f"{v['ok']}/{v['requests']}",
                  "-" if name == "baseline" else str(v["differing"]), _ms(v["p50_ms"]), _ms(v["p99_ms"]))
                 for name, v in variants.items())
    table = Table(("variant", "image", "weight", "serving checks not passed", "2xx", "differing answers",
                   "p50", "p99"), rows)
    chart = Chart("line", "Latency of the same requests, sorted", "share of requests (%)", "ms",
                  series={name: _sorted_series(v["latencies_ms"]) for name, v in variants.items()})
    summary = "; ".join(f"{name}: {v['ok']}/{v['requests']} 2xx, p50 {_ms(v['p50_ms'])}, p99 {_ms(v['p99_ms'])}"
                        + ("" if name == "baseline" else f", {v['differing']} differing")
                        for name, v in variants.items())
    data = {name: {k: v[k] for k in ("label", "image", "requests", "ok", "errors", "differing", "p50_ms", "p99_ms",
                                     "max_ms", "first_difference")} | {"weight_share": shares.get(name),
                                                                       "checks_not_passed": broken.get(v["label"], [])}
            for name, v in variants.items()}
    return Section("variants", "Production variants, side by side", summary, tables=(table,), charts=(chart,),
                   data={"variants": data})


def _broken_by(results) -> dict:
    """variant label -> ids of the serving checks it did not pass (from the per-variant details)."""
    found: dict = {}
    for result in results:
        for label, outcome in (result.details.get("containers") or {}).items():
            if outcome.get("status") not in (Status.PASS.value, Status.SKIP.value):
                found.setdefault(label, []).append(result.id)
    return found


def _sorted_series(latencies: list) -> list:
    count = len(latencies)
    return [(round(100 * (i + 1) / count, 1), value) for i, value in enumerate(latencies)]


def _ms(value) -> str:
    return "-" if value is None else f"{value} ms"
