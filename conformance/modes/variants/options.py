"""The options only production variants take, declared where the mode lives."""
from ...option_spec import option
from .settings import VariantSettings

DEFAULTS = VariantSettings()
RULE = "API-SM CreateEndpointConfig.ProductionVariants"

OPTIONS = (
    option("variant", "entries", "another production variant of the endpoint, after IMAGE (the baseline): "
           "IMAGE[=WEIGHT][;model=PATH][;env=KEY=VALUE][;name=NAME] (repeat); every variant gets the serving "
           "checks, then the same traffic, and their answers and latency are compared", RULE,
           group="variants", default=()),
    option("variant-weight", "float", "InitialVariantWeight of IMAGE, the baseline (weights are relative)",
           RULE, group="variants", default=DEFAULTS.baseline_weight),
    option("shadow", "bool", "the one --variant is a shadow variant: it gets a copy of the traffic and its "
           "answers are never returned (ShadowProductionVariants)", RULE, group="variants", default=False),
    option("traffic", "path", "the requests to replay: a folder of bodies (one file each) or a file with one "
           "body per line (default: the payload)", "tool", group="variants"),
    option("variant-requests", "int", "requests replayed to every variant, round robin", "tool",
           group="variants", default=DEFAULTS.requests),
    option("tolerance", "float", "numbers in two answers agree within this relative difference", "tool",
           group="variants", default=DEFAULTS.tolerance),
    option("min-agreement", "float", "variants.agreement: the share of requests whose answers must agree",
           "tool", group="variants", default=DEFAULTS.min_agreement),
    option("max-latency-ratio", "float", "variants.latency: a candidate's p50 and p90 against the baseline's",
           "tool", group="variants", default=DEFAULTS.max_latency_ratio),
    option("latency-slack-ms", "float", "variants.latency: differences below this are noise", "tool",
           group="variants", default=DEFAULTS.latency_slack_ms),
)
