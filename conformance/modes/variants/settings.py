"""--variant: production variants of one endpoint (API-SM CreateEndpointConfig: ProductionVariants,
1-10 per endpoint, each with its InitialVariantWeight, the traffic split in proportion to the
weights; ShadowProductionVariants: one production variant and one shadow, which gets a copy of
the production traffic). IMAGE is the baseline (production) variant; each --variant entry is
`IMAGE[=WEIGHT][;model=PATH][;env=KEY=VALUE]...[;name=NAME]`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Optional

from ...config import ModeSettings
from ...errors import UsageError

if TYPE_CHECKING:
    from ...config import RunConfig

MAX_VARIANTS = 10                                       # ProductionVariants: at most 10 (API-SM)
VARIANT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")   # ProductionVariant.VariantName
MAX_REQUESTS = 1000                                     # the tool's bound on the replay


@dataclass(frozen=True)
class Variant:
    name: str
    image: str
    weight: float = 1.0
    model: Optional[Path] = None   # None: the run's --model
    env: tuple = ()                # (KEY, VALUE) added to the run's --env


def parse_variant(text: str, number: int) -> Variant:
    """One --variant entry: IMAGE[=WEIGHT], then ;model=PATH, ;env=KEY=VALUE, ;name=NAME."""
    head, *settings = [part.strip() for part in text.split(";")]
    image, _, weight_text = head.partition("=")
    if not image:
        raise UsageError(f"--variant {text!r}: no image", "IMAGE[=WEIGHT][;model=PATH][;env=KEY=VALUE][;name=NAME]")
    try:
        weight = float(weight_text) if weight_text else 1.0
    except ValueError:
        raise UsageError(f"--variant {text!r}: the weight {weight_text!r} is not a number") from None
    name, model, env = f"variant-{number}", None, []
    for setting in filter(None, settings):
        key, _, value = setting.partition("=")
        if key == "model" and value:
            model = Path(value)
        elif key == "env" and "=" in value:
            env.append(tuple(value.split("=", 1)))
        elif key == "name" and value:
            name = value
        else:
            raise UsageError(f"--variant {text!r}: cannot read {setting!r}",
                             "each setting after the image is model=PATH, env=KEY=VALUE or name=NAME")
    return Variant(name, image, weight, model, tuple(env))


@dataclass(frozen=True)
class VariantSettings(ModeSettings):
    mode: ClassVar[str] = "variants"
    reported_as: ClassVar[str] = "serve"
    takes_target: ClassVar[bool] = False
    candidates: tuple = ()          # Variant, after the baseline (IMAGE)
    baseline_weight: float = 1.0
    shadow: bool = False            # the candidate is a shadow variant (a copy of the traffic)
    tolerance: float = 1e-6         # numbers in two answers agree within this (relative)
    min_agreement: float = 1.0      # the share of requests whose answers must agree
    max_latency_ratio: float = 1.5  # candidate p50/p90 against the baseline's
    latency_slack_ms: float = 5.0   # differences below this are noise, never a regression
    requests: int = 40              # requests replayed to every variant
    traffic: Optional[Path] = None  # a folder of bodies, or a file of one body per line

    def images(self, image: str) -> tuple:
        return tuple(dict.fromkeys((image, *(v.image for v in self.candidates))))

    def weights(self, baseline: str = "baseline") -> dict:
        """name -> share of the endpoint's traffic (weights are relative, API-SM)."""
        named = {baseline: self.baseline_weight, **{v.name: v.weight for v in self.candidates}}
        total = sum(named.values())
        return {name: (weight / total if total else 0.0) for name, weight in named.items()}

    def validate(self, config: "RunConfig") -> None:
        if not 1 <= len(self.candidates) <= MAX_VARIANTS - 1:
            raise UsageError(f"an endpoint holds 1-{MAX_VARIANTS} production variants: IMAGE and at most "
                             f"{MAX_VARIANTS - 1} --variant, not {len(self.candidates)}",
                             "API-SM CreateEndpointConfig.ProductionVariants")
        if self.shadow and len(self.candidates) != 1:
            raise UsageError("--shadow takes one --variant: one production variant and one shadow",
                             "API-SM CreateEndpointConfig.ShadowProductionVariants")
        names = ["baseline", *(v.name for v in self.candidates)]
        for name in names:
            if not VARIANT_NAME.match(name):
                raise UsageError(f"variant name {name!r}: letters, digits and dashes, 1-63 characters",
                                 "ProductionVariant.VariantName")
        if len(set(names)) != len(names):
            raise UsageError(f"variant names repeat: {', '.join(names)}", "give each ;name=NAME once")
        weights = [self.baseline_weight, *(v.weight for v in self.candidates)]
        if any(w < 0 for w in weights) or not sum(weights) > 0:
            raise UsageError("variant weights must be >= 0 and not all 0", "InitialVariantWeight (API-SM)")
        if not 0 < self.min_agreement <= 1 or self.tolerance < 0 or self.max_latency_ratio < 1 \
                or self.latency_slack_ms < 0:
            raise UsageError("--min-agreement must be in (0, 1], --tolerance >= 0, --max-latency-ratio >= 1, "
                             "--latency-slack-ms >= 0")
        if not 1 <= self.requests <= MAX_REQUESTS:
            raise UsageError(f"--variant-requests must be 1-{MAX_REQUESTS}, not {self.requests}")
        for variant in self.candidates:
            if variant.model is not None and not variant.model.exists():
                raise UsageError(f"--variant {variant.name}: model not found: {variant.model}")
        if self.traffic is not None and not self.traffic.exists():
            raise UsageError(f"--traffic: not found: {self.traffic}", "a folder of request bodies, or a file "
                             "with one body per line")
        if config.payload is None and self.traffic is None:
            raise UsageError("--variant compares answers: give --payload (or --traffic)")
