"""--variant IMAGE...: production variants of one endpoint, compared on the same traffic;
chosen by --variant, not --mode."""
from pathlib import Path

from ...errors import UsageError
from ...registry import ModeSpec, mode
from .driver import VariantsDriver
from .options import OPTIONS
from .settings import VariantSettings, parse_variant


def build(values) -> VariantSettings:
    if values["mode"] != "serve" or values["target"] or values["pipeline"]:
        raise UsageError("--variant applies to --mode serve and starts its images itself",
                         "production variants are real-time endpoints")
    return VariantSettings(
        candidates=tuple(parse_variant(text, i) for i, text in enumerate(values["variant"], 1)),
        baseline_weight=values["variant-weight"], shadow=values["shadow"],
        traffic=Path(values["traffic"]) if values["traffic"] else None, requests=values["variant-requests"],
        tolerance=values["tolerance"], min_agreement=values["min-agreement"],
        max_latency_ratio=values["max-latency-ratio"], latency_slack_ms=values["latency-slack-ms"])


mode(ModeSpec("variants", "production variants", build, lambda config: VariantsDriver, base="serve",
              choosable=False, chosen_by=lambda values: bool(values["variant"]), order=75, declares=OPTIONS))

from . import report  # noqa: F401  (its report section registers)
