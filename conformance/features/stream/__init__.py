"""--stream: a response streamed part by part (InvokeEndpointWithResponseStream)."""
from ...engine.payloads import grow_payload
from ...engine.probes import PLATFORM_HEADERS
from ...registry import FeatureSpec, feature, measurement
from . import options
from .call import stream_call

feature(FeatureSpec("stream", "streamed responses", options.build, options.OPTIONS, order=30))


@measurement("stream")
def stream(probes):
    """The payload's response read part by part."""
    probes.progress("POST /invocations, timing the streamed response part by part")
    return stream_call(probes.target.base_url, probes.payload,
                       {"Content-Type": probes.content_type, "Accept": probes.accept})


@measurement("stream_limits")
def stream_limits(probes):
    """The payload grown to 6 MiB, with the platform's headers: does the stream start?"""
    body = grow_payload(probes.payload, probes.content_type, probes.max_body)
    if body is None:
        return None
    probes.progress(f"POST /invocations with a {len(body)} byte body, streamed, platform headers")
    headers = {"Content-Type": probes.content_type, "Accept": probes.accept, **PLATFORM_HEADERS}
    return stream_call(probes.target.base_url, body, headers, first_part_only=True)
