"""Where a rule comes from, as links a user can open: each check's `source` names AWS guide
pages (by page name or by the short tags of shared/contract.md, "Sources"), API shapes
(API-SM ... / API-RT ...) and AWS repository files; this module turns those names into
URLs. The page names and the repositories are facts copied from contract.md's source list."""
from __future__ import annotations

import re

GUIDE = "https://docs.aws.amazon.com/sagemaker/latest/dg/{}.html"
API = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_{}.html"
API_RUNTIME = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_{}.html"

# contract.md tag -> developer guide page(s)
TAG_PAGES = {
    "HOST": ("your-algorithms-inference-code",), "BATCH": ("your-algorithms-batch-code",),
    "TRAIN-RUN": ("your-algorithms-training-algo-dockerfile",),
    "TRAIN-INFO": ("your-algorithms-training-algo-running-container",),
    "TRAIN-OUT": ("your-algorithms-training-algo-output",),
    "TRAIN-SIG": ("your-algorithms-training-signal-success-failure",),
    "TRAIN-STORE": ("model-train-storage",), "CKPT": ("model-checkpoints",),
    "METRICS": ("training-metrics", "automatic-model-tuning-define-metrics-variables"),
    "ICE": ("train-encrypt",), "TRANSIT": ("encryption-in-transit",),
    "ISO": ("mkt-algo-model-internet-free",), "MME-API": ("mms-container-apis",),
    "MME-BUILD": ("build-multi-model-build-container",), "MME": ("multi-model-endpoints",),
    "PIPE": ("inference-pipelines", "inference-pipeline-troubleshoot"),
    "MCE": ("multi-container-endpoints", "multi-container-direct"),
    "ASYNC": ("async-inference",), "SLS": ("serverless-endpoints", "serverless-endpoints-troubleshooting"),
    "FAQ": ("hosting-faqs",), "BT": ("batch-transform", "batch-transform-errors"),
    "GRAV": ("realtime-endpoints-graviton",), "LMI": ("realtime-endpoints-large-model-hosting",),
}
PAGES = {page for pages in TAG_PAGES.values() for page in pages} | {
    "model-checkpoints-resume", "inference-pipeline-real-time", "async-inference-invoke-endpoint",
    "async-inference-create-endpoint", "serverless-endpoints-invoke", "invoke-multi-model-endpoint",
    "model-ab-testing", "model-shadow-deployment", "deployment-guardrails"}
OTHER = {
    "MKT": "https://docs.aws.amazon.com/marketplace/latest/userguide/ml-service-restrictions-and-limits.html",
    "TT": "https://github.com/aws/sagemaker-training-toolkit/blob/master/src/sagemaker_training/environment.py",
    "IT": "https://github.com/aws/sagemaker-inference-toolkit/blob/master/src/sagemaker_inference/environment.py",
    "LOCAL": "https://github.com/aws/sagemaker-python-sdk",
}
_API = re.compile(r"\bAPI-(SM|RT)\s+([A-Z][A-Za-z]+)")
API_PAGE_OF = {"BatchStrategy": "CreateTransformJob", "ModelError": "InvokeEndpoint",   # a field or an
               "ModelNotReadyException": "InvokeEndpoint"}                              # error: its operation
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]")
_URL = re.compile(r"https://[^\s)]+")


def links(source: str) -> tuple[str, ...]:
    """Every URL the source text names, in the order it names them, each once."""
    found: list[str] = list(_URL.findall(source))
    for word in _WORD.findall(_URL.sub(" ", source)):
        if word in PAGES:
            found.append(GUIDE.format(word))
        elif word in TAG_PAGES:
            found.extend(GUIDE.format(page) for page in TAG_PAGES[word])
        elif word in OTHER:
            found.append(OTHER[word])
    for service, shape in _API.findall(source):
        shape = API_PAGE_OF.get(shape, re.sub(r"(Request|Input|Output)$", "", shape))
        found.append((API if service == "SM" else API_RUNTIME).format(shape))
    return tuple(dict.fromkeys(found))


def cited(source: str) -> str:
    """The source as reports print it: its first link, then the rule's own words."""
    urls = links(source)
    return f"{urls[0]} ({source})" if urls else source
