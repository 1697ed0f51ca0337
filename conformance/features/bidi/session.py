"""One WebSocket session as the platform's sidecar holds it with a bidirectional-streaming
container (contract.md streaming.bidi.*, HOST §Bidirectional, BLOG-BIDI): ws://HOST:8080
/invocations-bidirectional-stream, the payload sent as one binary frame and the first data
frame back timed, a Ping answered by a Pong, and a Close answered by a Close. Every wait
is bounded; a redirect or any status but 101 is a finding, never followed."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import websocket   # websocket-client

from ...engine.http import CONNECT_TIMEOUT_S

BIDI_PATH = "/invocations-bidirectional-stream"
PING_INTERVAL_S = 60.0   # the platform pings every 60 s: a Pong later than the next Ping is unanswered
CLOSE_WAIT_S = 5.0       # the tool's bound on the Close answer (RFC 6455 5.5.1: answer a Close with a Close)
PING_PAYLOAD = b"smc-keepalive"


@dataclass
class BidiSession:
    url: str
    handshake_s: Optional[float] = None
    handshake_error: str = ""
    answer_s: Optional[float] = None        # the first data frame after the payload
    answer_kind: str = ""                   # text | binary
    answer_bytes: int = 0
    answer_error: str = ""
    pong_s: Optional[float] = None
    pong_error: str = ""
    close_s: Optional[float] = None
    close_code: Optional[int] = None
    close_error: str = ""

    def summary(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def bidi_session(host: str, port: int, payload: bytes, answer_limit_s: float) -> BidiSession:
    session = BidiSession(f"ws://{host}:{port}{BIDI_PATH}")
    began = time.monotonic()
    try:
        ws = websocket.create_connection(session.url, timeout=CONNECT_TIMEOUT_S, skip_utf8_validation=True)
    except websocket.WebSocketBadStatusException as exc:
        session.handshake_error = f"HTTP {exc.status_code} instead of 101 Switching Protocols"
        return session
    except (OSError, websocket.WebSocketException) as exc:
        session.handshake_error = f"{type(exc).__name__}: {exc}"[:200]
        return session
    session.handshake_s = time.monotonic() - began
    try:
        _answer(ws, session, payload, answer_limit_s)
        _pong(ws, session)
        _close(ws, session)
    finally:
        ws.shutdown()
    return session


def _next(ws, deadline: float):
    """(opcode, data) of the next frame before `deadline`, or None."""
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    ws.settimeout(left)
    return ws.recv_data(control_frame=True)


def _answer(ws, session: BidiSession, payload: bytes, limit_s: float) -> None:
    sent = time.monotonic()
    try:
        ws.send_binary(payload)
        while True:
            frame = _next(ws, sent + limit_s)
            if frame is None:
                session.answer_error = f"no data frame within {limit_s:g} s"
                return
            opcode, data = frame
            if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                session.answer_s, session.answer_bytes = time.monotonic() - sent, len(data)
                session.answer_kind = "text" if opcode == websocket.ABNF.OPCODE_TEXT else "binary"
                return
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                session.answer_error = "the container closed the connection instead of answering"
                return
    except (OSError, websocket.WebSocketException) as exc:
        session.answer_error = _why(exc, limit_s)


def _await(ws, opcode: int, bound_s: float) -> tuple:
    """(seconds, payload) until a frame of `opcode` arrives, or (None, why not) after bound_s."""
    sent = time.monotonic()
    try:
        while True:
            frame = _next(ws, sent + bound_s)
            if frame is None:
                return None, f"no answer within {bound_s:g} s"
            if frame[0] == opcode:
                return time.monotonic() - sent, frame[1]
    except (OSError, websocket.WebSocketException) as exc:
        return None, _why(exc, bound_s)


def _pong(ws, session: BidiSession) -> None:
    try:
        ws.ping(PING_PAYLOAD)
    except (OSError, websocket.WebSocketException) as exc:
        session.pong_error = _why(exc, PING_INTERVAL_S)
        return
    session.pong_s, said = _await(ws, websocket.ABNF.OPCODE_PONG, PING_INTERVAL_S)
    if session.pong_s is None:
        session.pong_error = f"{said}, before the platform's next Ping" if said.startswith("no answer") else said


def _close(ws, session: BidiSession) -> None:
    try:
        ws.send_close(websocket.STATUS_NORMAL)
    except (OSError, websocket.WebSocketException) as exc:
        session.close_error = _why(exc, CLOSE_WAIT_S)
        return
    session.close_s, data = _await(ws, websocket.ABNF.OPCODE_CLOSE, CLOSE_WAIT_S)
    if session.close_s is None:
        session.close_error = data
    else:
        session.close_code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None


def _why(exc: Exception, bound_s: float) -> str:
    if isinstance(exc, websocket.WebSocketTimeoutException):
        return f"no answer within {bound_s:g} s"
    if isinstance(exc, websocket.WebSocketConnectionClosedException) or "closed" in str(exc).lower():
        return "the container dropped the connection"
    return f"{type(exc).__name__}: {exc}"[:200]
