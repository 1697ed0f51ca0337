"""The option of --bidi, declared where the feature lives."""
from typing import Any, Mapping

from ...option_spec import option

OPTIONS = (
    option("bidi", "bool", "the image streams both ways (bidirectional streaming): check its label, its "
           "WebSocket endpoint /invocations-bidirectional-stream, Ping/Pong and Close (streaming.bidi.*)",
           "streaming.bidi.endpoint", group="fuzz", default=False),
)


def build(v: Mapping[str, Any], derandomize: bool = False) -> bool:
    return bool(v["bidi"])
