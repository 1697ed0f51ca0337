"""streaming.bidi.*: bidirectional streaming (--bidi). The image says it takes it with a
label, serves a WebSocket on 8080 at /invocations-bidirectional-stream, answers the
platform's Pings with Pongs and a Close with a Close. Sources: contract.md
streaming.bidi.label, .endpoint, .keepalive (HOST §Bidirectional, BLOG-BIDI)."""
from __future__ import annotations

from .. import check
from ...engine.context import CheckContext
from ...features.bidi.session import BIDI_PATH, PING_INTERVAL_S
from ...model import Outcome, Phase, Severity, passed, skipped, violation

LABEL = "com.amazonaws.sagemaker.capabilities.bidirectional-streaming"   # contract.md image.label.*
NO_SESSION = "no working WebSocket session; see streaming.bidi.endpoint"


def _working(session) -> bool:
    return not (session.handshake_error or session.answer_error)


@check(id="streaming.bidi.label", title="The image declares bidirectional streaming with its label",
       severity=Severity.MUST, phase=Phase.STATIC, option="bidi",
       source="contract.md streaming.bidi.label (HOST: the image carries "
              f"{LABEL}=true only if it implements the WebSocket endpoint)",
       remediation=f"Add `LABEL {LABEL}=true` to the Dockerfile of an image that serves {BIDI_PATH}.")
def bidi_label(ctx: CheckContext) -> Outcome:
    value = (ctx.image_config.get("Labels") or {}).get(LABEL)
    if value == "true":
        return passed(f"{LABEL}=true", measured="true", limit="true")
    return violation(f"the image has {'no ' + LABEL + ' label' if value is None else LABEL + '=' + repr(value)}: "
                     f"the platform does not open a bidirectional stream to it", measured=value or "none", limit="true")


@check(id="streaming.bidi.endpoint", title="A WebSocket at /invocations-bidirectional-stream answers a message",
       severity=Severity.MUST, phase=Phase.LIVE, option="bidi", needs=("payload",), remote=True,
       source="contract.md streaming.bidi.endpoint (HOST, BLOG-BIDI: a sidecar opens "
              f"ws://localhost:8080{BIDI_PATH}; each client part becomes one data frame)",
       remediation=f"Serve a WebSocket on port 8080 at {BIDI_PATH} (FastAPI @app.websocket, with uvicorn and "
                   "wsproto or websockets installed) and answer each message with data frames.")
def bidi_endpoint(ctx: CheckContext) -> Outcome:
    session = ctx.probes.measure("bidi")
    details = {"bidi": session.summary()}
    if session.handshake_error:
        return violation(f"the WebSocket handshake at {session.url} failed: {session.handshake_error}",
                         measured=session.handshake_error.split(" instead")[0][:40], limit="101", details=details)
    if session.answer_error:
        return violation(f"the handshake succeeded, but the payload (one binary frame) got {session.answer_error}",
                         measured="no answer", limit="a data frame", details=details)
    return passed(f"handshake in {session.handshake_s * 1000:.1f} ms; the payload answered with a {session.answer_kind} "
                  f"frame of {session.answer_bytes} bytes after {session.answer_s * 1000:.1f} ms",
                  measured=round(session.answer_s, 4), limit=ctx.config.invocation_limit_s, unit="s", details=details)


@check(id="streaming.bidi.keepalive", title="A WebSocket Ping is answered by a Pong",
       severity=Severity.MUST, phase=Phase.LIVE, option="bidi", needs=("payload",), remote=True,
       source="contract.md streaming.bidi.keepalive (HOST, BLOG-BIDI: a Ping frame every 60 s, "
              "5 unanswered in a row close the connection; RFC 6455 5.5.2)",
       remediation="Let the WebSocket library answer Pings (most do); never block the connection's "
                   "reader for longer than the ping interval.")
def bidi_keepalive(ctx: CheckContext) -> Outcome:
    session = ctx.probes.measure("bidi")
    if not _working(session):
        return skipped(NO_SESSION)
    if session.pong_error:
        return violation(f"a Ping got {session.pong_error}: the platform closes the stream after 5 such Pings",
                         measured="no Pong", limit=PING_INTERVAL_S, unit="s", details={"bidi": session.summary()})
    return passed(f"Pong after {session.pong_s * 1000:.1f} ms", measured=round(session.pong_s, 4),
                  limit=PING_INTERVAL_S, unit="s")


@check(id="streaming.bidi.close", title="A Close frame is answered by a Close frame",
       severity=Severity.SHOULD, phase=Phase.LIVE, option="bidi", needs=("payload",), remote=True,
       source="contract.md streaming.bidi.frames (HOST: a container's Close frame becomes a ModelStreamError "
              "with its status code; RFC 6455 5.5.1: an endpoint answers a Close with a Close)",
       remediation="Close the WebSocket properly when the client closes it (the library's close(), with a "
                   "status code), instead of dropping the connection.")
def bidi_close(ctx: CheckContext) -> Outcome:
    session = ctx.probes.measure("bidi")
    if not _working(session):
        return skipped(NO_SESSION)
    if session.close_error:
        return violation(f"a Close (1000) got {session.close_error}", measured="no Close", limit="a Close frame")
    return passed(f"Close {session.close_code} after {session.close_s * 1000:.1f} ms", measured=session.close_code,
                  limit="a Close frame")
