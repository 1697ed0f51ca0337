"""One streamed response, timed chunk by chunk. InvokeEndpointWithResponseStream calls
the container's POST /invocations and relays the body as it arrives (contract.md
streaming.response.chunked, HOST, API-RT): what matters is whether the body really comes
in parts (HTTP/1.1 chunked transfer encoding) and how early the first part comes."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import requests
import urllib3

from ...engine.http import CONNECT_TIMEOUT_S, Deadline, _reason, deadline_session

# The platform's stream timeout is UNCONFIRMED (contract.md streaming.response.timeout);
# this is the tool's own bound on one streamed response, not a rule.
STREAM_BOUND_S = 120.0


@dataclass
class StreamSample:
    status: Optional[int] = None
    headers: dict = field(default_factory=dict)
    chunked: bool = False
    parts: list = field(default_factory=list)    # (seconds since the request, bytes) per part read
    headers_s: Optional[float] = None
    error: str = ""
    cut: bool = False                            # we stopped reading (first part only, or the bound)

    @property
    def body_bytes(self) -> int:
        return sum(size for _, size in self.parts)

    @property
    def ttfb_s(self) -> Optional[float]:
        return self.parts[0][0] if self.parts else None

    @property
    def last_byte_s(self) -> Optional[float]:
        return self.parts[-1][0] if self.parts else None

    def summary(self) -> dict:
        def r(value):
            return None if value is None else round(value, 4)
        return {"status": self.status, "chunked": self.chunked, "chunks": len(self.parts),
                "body_bytes": self.body_bytes, "headers_s": r(self.headers_s),
                "ttfb_s": r(self.ttfb_s), "last_byte_s": r(self.last_byte_s),
                "content_type": self.headers.get("Content-Type"),
                "transfer_encoding": self.headers.get("Transfer-Encoding"),
                "content_length": self.headers.get("Content-Length"), "error": self.error or None,
                "parts_ms": [[round(t * 1000, 1), size] for t, size in self.parts[:50]]}


def stream_call(base_url: str, body: bytes, headers: dict, first_part_only: bool = False,
                bound_s: float = STREAM_BOUND_S) -> StreamSample:
    """POST /invocations and time each part of the body as it arrives: each chunk of a
    chunked response, else each read. `first_part_only` stops after the first part."""
    sample = StreamSample()
    started = time.monotonic()
    deadline = Deadline(started + bound_s)   # one bound over connect, send, headers and parts
    try:
        with deadline_session(deadline) as session:
            response = session.post(base_url + "/invocations", data=body, headers=headers,
                                    timeout=(CONNECT_TIMEOUT_S, bound_s), stream=True,
                                    allow_redirects=False)   # a redirect is a finding, never followed
            with response:
                sample.headers_s = time.monotonic() - started
                sample.status, sample.headers = response.status_code, response.headers  # any case
                sample.chunked = bool(response.raw.chunked)
                _read_parts(response, sample, started, first_part_only, bound_s)
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        sample.error = f"no answer within {bound_s:g} s" if deadline.fired else _reason(exc)
    finally:
        deadline.cancel()
    return sample


def _read_parts(response: requests.Response, sample: StreamSample, started: float,
                first_part_only: bool, bound_s: float) -> None:
    parts = (response.raw.read_chunked(decode_content=False) if sample.chunked
             else response.raw.stream(64 * 1024, decode_content=False))
    for part in parts:   # a blocked read past the bound: the deadline shuts the socket down
        if part:
            sample.parts.append((time.monotonic() - started, len(part)))
        if (first_part_only and sample.parts) or time.monotonic() - started >= bound_s:
            sample.cut = True
            break
