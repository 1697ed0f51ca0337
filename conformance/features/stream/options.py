"""The option of --stream, declared where the feature lives."""
from typing import Any, Mapping

from ...option_spec import option

OPTIONS = (
    option("stream", "bool", "the image streams its responses (InvokeEndpointWithResponseStream): "
           "check chunked transfer and time to first byte (streaming.* checks)",
           "streaming.response.chunked", group="fuzz", default=False),
)


def build(v: Mapping[str, Any], derandomize: bool = False) -> bool:
    return bool(v["stream"])
