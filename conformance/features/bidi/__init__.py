"""--bidi: a WebSocket session with the container, as the platform's sidecar holds one."""
from ...registry import FeatureSpec, feature, measurement
from . import options

feature(FeatureSpec("bidi", "bidirectional streaming (WebSocket)", options.build, options.OPTIONS, order=35))


@measurement("bidi")
def bidi(probes):
    """The payload over the WebSocket, then a Ping and a Close (websocket-client is imported
    only when a run asks for --bidi)."""
    from .session import bidi_session
    probes.progress("WebSocket /invocations-bidirectional-stream: the payload, a Ping, a Close")
    return bidi_session(probes.target.host, probes.target.port, probes.payload or b"", probes.config.invocation_limit_s)
