"""Every run option, declared once: its kind, default, help and the rule it comes from.
The CLI's flags, the pytest plugin's --sagemaker-* options and ini keys, the Action's
inputs, the [tool.sagemaker-conformance] table and the SMC_* variables all come from
OPTIONS (settings.py resolves them; fronts.py turns them into flags and inputs)."""
from __future__ import annotations

from . import registry
from .config import DEFAULT_SETTLE_S
from .contract import PLATFORM_STARTUP_WINDOW_S
from .option_spec import Option, option as _o

# Sources named by `rule` are the keys of shared/contract.md; "tool" marks a choice of
# this tool's, not of the platform.


OPTIONS: tuple[Option, ...] = (
    _o("image", "list", "the image to check (built or pulled on this engine); pytest takes several, "
       "comma-separated: one run per image, in parallel under pytest-xdist -n N --dist loadscope",
       "image.entrypoint.handles-arg", default=()),
    _o("mode", "text", "which contract: serve (real-time hosting), train, serverless (serve within "
       "--memory-size), async (asynchronous inference), batch (a transform job over --input), mme "
       "(a multi-model endpoint: --model NAME=PATH per model) or inference-component (--copies side by "
       "side, each in --cpu-cores and --min-memory-mb)",
       "image.entrypoint.handles-arg", default="serve",
       choices=registry.mode_names()),
    *(o for spec in registry.modes() for o in spec.declares),   # modes/<mode>/options.py
    _o("payload", "path", "a file holding one request body for /invocations", "inference.invocations"),
    _o("content-type", "header", "Content-Type of the payload", "inference.invocations",
       default="application/octet-stream"),
    _o("accept", "header", "Accept header sent with the payload", "inference.invocations", default="*/*"),
    _o("model", "models", "model directory or model.tar.gz for /opt/ml/model; --mode mme: NAME=PATH, "
       "one per model (repeat), each unpacked under /opt/ml/models/<opaque id>/model",
       "inference.model-dir"),
    _o("env", "pairs", "the container's environment, KEY=VALUE (repeat, or one per line)",
       "inference.env"),
    _o("instance-type", "text", "instance type whose vCPUs, memory and architecture to apply",
       "tool", default="ml.m5.large"),
    _o("memory", "text", "override the instance's memory, e.g. 4g", "tool"),
    _o("cpus", "float", "override the instance's vCPUs", "tool"),
    _o("startup-window", "float", "the platform's window for the first healthy /ping, judged "
       "against: 480 s, or ContainerStartupHealthCheckTimeoutInSeconds (60-3600)",
       "inference.ping.window", default=PLATFORM_STARTUP_WINDOW_S),
    _o("startup-timeout", "float", "wait less than the window (a start still pending then is "
       "`error`, could not judge); default: the whole window", "inference.ping.window"),
    _o("settle-time", "float", "end the wait early when the start is stuck: the same wrong /ping "
       "answer (or only other ports than the platform's) with the container idle for this long; "
       "the platform itself would keep trying until the window ends (0: always wait the window)",
       "inference.ping.window", default=DEFAULT_SETTLE_S),
    _o("stop-timeout", "float", "grace after SIGTERM (platform: 30 s serving, 120 s training)",
       "lifecycle.sigterm.hosting"),
    _o("strict", "bool", "SHOULD failures fail the verdict", default=False),
    _o("require-complete", "bool", "a MUST check that could not run (no payload, a --target, a skip) "
       "fails the verdict: for gates where a pass must mean every MUST rule was judged", default=False),
    _o("checks", "list", "comma-separated check ids or id prefixes to run (empty: all)", default=()),
    _o("skip", "list", "comma-separated check ids or id prefixes to skip", default=()),
    _o("network-isolation", "bool", "run with no outbound network (EnableNetworkIsolation): an "
       "internal network with no route out; the tool still reaches the container",
       "image.network-isolation", default=False),
    _o("connect", "text", "how the tool reaches the container (engine/reach.py)", default="auto",
       choices=("auto", "bridge", "joined", "published")),
    _o("target", "text", "check an endpoint the tool did not start, http://HOST:PORT: what HTTP "
       "can measure is measured, every other rule is reported as not measured"),
    _o("report-dir", "path", "write report.json, report.xml, report.html and summary.md here",
       group="report"),
    _o("json", "path", "write the JSON report here", group="report"),
    _o("junit", "path", "write the JUnit XML report here", group="report"),
    _o("html", "path", "write the HTML report here", group="report"),
    _o("markdown", "path", "write the Markdown summary here", group="report"),
    _o("certify", "path", "write an evidence bundle here (report.json, report.xml, report.html, summary.md, "
       "evidence.json: image id, tool version, rules digest, command, verdict; container.log), and a MUST "
       "check that did not run fails the verdict", group="report"),
    _o("quiet", "bool", "no table, only the verdict line", group="report", default=False),
    *(o for spec in registry.features() for o in spec.declares),   # features/<feature>/options.py
)

BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
BY_KEY: dict[str, Option] = {o.key: o for o in OPTIONS}
