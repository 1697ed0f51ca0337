#!/usr/bin/env python3
"""A small SageMaker serving container on the standard library, serving the iris model.
With no MS_* variables set it keeps the hosting contract; each broken sample sets one
knob so that it breaks exactly one rule. It accepts and ignores the `serve` argument."""
import base64
import hashlib
import json
import math
import os
import signal
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import iris_model


def knob(name, default=""):
    return os.environ.get("MS_" + name, default)


STARTED = time.monotonic()
BIDI_PATH = "/invocations-bidirectional-stream"   # contract.md streaming.bidi.endpoint
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"   # RFC 6455 section 1.3


def read_frame(stream):
    """(opcode, payload) of one client frame (masked, RFC 6455 5.2), or None at the end."""
    head = stream.read(2)
    if len(head) < 2:
        return None
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", stream.read(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", stream.read(8))[0]
    mask = stream.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = stream.read(length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def ws_frame(opcode, data):
    """One unmasked server frame with FIN set."""
    if len(data) < 126:
        head = bytes([0x80 | opcode, len(data)])
    elif len(data) < 65536:
        head = bytes([0x80 | opcode, 126]) + struct.pack("!H", len(data))
    else:
        head = bytes([0x80 | opcode, 127]) + struct.pack("!Q", len(data))
    return head + data
LOADED = threading.Event()   # MS_BACKGROUND_LOAD_S: /ping answers 503 until the model is loaded
HELD = []
INFLIGHT = [0]
PING_COUNT = [0]
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server_version = "miniserver/1"

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()

    def reply(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        if not (knob("NO_CONTENT_TYPE") == "1" and status < 300):   # an answer that says no type
            self.send_header("Content-Type", content_type)
        attributes = self.headers.get("X-Amzn-SageMaker-Custom-Attributes") if hasattr(self, "headers") else None
        if attributes is not None and knob("CUSTOM_ATTRIBUTES") != "off":   # the model echoes them back
            attributes += "x" * int(knob("CUSTOM_ATTRIBUTES_PAD", "0"))     # ... or a value too long
            self.send_header("X-Amzn-SageMaker-Custom-Attributes", attributes)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith(BIDI_PATH) and knob("BIDI") == "1" \
                and self.headers.get("Upgrade", "").lower() == "websocket":
            return self.websocket()
        if self.path == "/execution-parameters" and knob("EXEC_PARAMS"):   # batch transform
            return self.reply(200, knob("EXEC_PARAMS").encode(), "application/json")
        if self.path != "/ping":
            return self.reply(404, b"not found\n")
        with LOCK:
            PING_COUNT[0] += 1
            count = PING_COUNT[0]
        slow_every = int(knob("PING_SLOW_EVERY", "0"))
        if slow_every and count % slow_every == 0:
            time.sleep(float(knob("PING_SLOW_S", "2.6")))
        header_trickle = float(knob("HEADER_TRICKLE_S", "0"))
        if header_trickle:   # the status line and headers a byte at a time (a hostile server)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(header_trickle)
            self.close_connection = True
            return None
        trickle = float(knob("PING_TRICKLE_S", "0"))
        if trickle:   # headers at once, then the body a byte at a time
            self.send_response(200)
            self.send_header("Content-Length", "20")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(trickle)
            return None
        if knob("BACKGROUND_LOAD_S") and not LOADED.is_set():
            return self.reply(503, b"model still loading\n")
        flap_every = int(knob("PING_FLAP_EVERY", "0"))
        if flap_every and count % flap_every == 0:
            return self.reply(503, b"flapping\n")
        self.reply(int(knob("PING_STATUS", "200")))

    def do_POST(self):
        if self.path == "/ping" and knob("PING_GET_ONLY") != "1":   # POST /ping answered like GET
            return self.do_GET()
        if knob("REDIRECT_TO"):   # a hostile or misconfigured server: sends the client elsewhere
            self.send_response(307)
            self.send_header("Location", knob("REDIRECT_TO"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.path != "/invocations" or knob("NO_INVOCATIONS") == "1":
            return self.reply(404, knob("NOT_FOUND_BODY", "not found\n").encode())
        length = int(self.headers.get("Content-Length") or 0)
        max_body = int(knob("MAX_BODY", "0"))
        if max_body and length > max_body:
            self.close_connection = True
            return self.reply(413, b"request entity too large\n")
        time.sleep(float(knob("READ_DELAY_S", "0")))   # a server slow to read the body it is sent
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        body = self.read_chunked() if chunked else self.rfile.read(length)
        if knob("REJECT_UNKNOWN_HEADERS") == "1" and any(
                h.lower().startswith("x-amzn-sagemaker-") for h in self.headers.keys()):
            return self.reply(400, b"unexpected header\n")
        if time.monotonic() - STARTED < float(knob("LOAD_DELAY_S", "0")):
            return self.reply(503, b"model still loading\n")
        max_inflight = int(knob("MAX_INFLIGHT", "0"))   # a server that refuses work when busy
        with LOCK:
            INFLIGHT[0] += 1
            busy = max_inflight and INFLIGHT[0] > max_inflight
        try:
            if busy:
                return self.reply(503, b"busy: one request at a time\n")
            time.sleep(float(knob("INVOKE_DELAY_S", "0")))
        finally:
            with LOCK:
                INFLIGHT[0] -= 1
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
        parsers = {"text/csv": iris_model.parse_csv, "application/json": iris_model.parse_json}
        if content_type not in parsers:
            return self.bad_input(415, b"only text/csv and application/json are supported\n")
        try:
            self.defects(body)
            rows = parsers[content_type](body)
            if knob("SINGLE_ROW") == "1" and len(rows) > 1:   # a model that takes one record only
                return self.reply(int(knob("MULTI_ROW_STATUS", "400")), b"expected exactly one row\n")
            if knob("FAIL_ON") and knob("FAIL_ON").encode() in body:   # a record the model cannot take
                return self.reply(500, b"model error on this record\n")
            if knob("ROLE") == "passthrough":   # a pipeline's first step: CSV rows in, CSV rows out
                text = "".join(",".join("%g" % v for v in row) + "\n" for row in rows)
                return self.reply(200, text.encode(), "text/csv")
            if knob("ROLE") == "garble":   # a first step whose output the next step cannot read
                return self.reply(200, b"scaled:" + b"?" * len(rows) + b"\n", "text/csv")
            if knob("ONE_LINE") == "1":   # answers a mini-batch with its first prediction only
                rows = rows[:1]
            labels = iris_model.predict(MODEL, rows)
            if knob("LABEL_SHIFT"):   # a candidate model that answers some rows differently
                classes = MODEL[0]
                labels = [classes[(classes.index(label) + int(knob("LABEL_SHIFT"))) % len(classes)]
                          if i % 2 == 0 else label for i, label in enumerate(labels)]
            if knob("SCORES") == "1":   # numbers: each row's distance to every class, plus MS_SCORE_NOISE
                noise = float(knob("SCORE_NOISE", "0"))
                scores = [[round(math.dist(row, centre), 6) + noise for centre in MODEL[1]] for row in rows]
                return self.reply(200, json.dumps({"scores": scores}).encode(), "application/json")
        except iris_model.BadInput as exc:
            return self.bad_input(400, str(exc).encode() + b"\n")
        except Exception as exc:   # what a framework does with an unexpected error
            return self.reply(500, f"internal server error: {type(exc).__name__}\n".encode())
        if knob("STREAM"):
            return self.stream([label.encode() + b"\n" for label in labels])
        pad = b" " * int(knob("RESPONSE_PAD_BYTES", "0"))
        if content_type == "application/json":
            return self.reply(200, json.dumps({"predictions": labels}).encode() + pad, "application/json")
        self.reply(200, "\n".join(labels).encode() + b"\n" + pad, "text/csv")

    def read_chunked(self):
        """A body sent with chunked transfer encoding (batch transform, MaxPayloadInMB 0)."""
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():   # trailers, then the blank line
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()   # the CRLF after each chunk

    def stream(self, parts):
        """One part per row, as a model yields tokens. MS_STREAM=chunked streams them;
        =late sends every chunk at the end; =buffer sends one body with Content-Length."""
        mode = knob("STREAM")
        delay = min(float(knob("STREAM_DELAY_S", "0.05")), 0.5 / len(parts))   # at most 0.5 s in all
        content_type = knob("CONTENT_TYPE", "text/csv")   # any text, e.g. escapes (a hostile server)
        if mode == "buffer":
            time.sleep(delay * len(parts))
            return self.reply(200, b"".join(parts), content_type)
        self.protocol_version = "HTTP/1.1"   # chunked transfer needs an HTTP/1.1 status line
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        if mode == "late":
            time.sleep(delay * len(parts))
        for part in parts:
            if mode == "chunked":
                time.sleep(delay)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def websocket(self):
        """RFC 6455 on the standard library: each data frame is a request, answered with the
        predictions as one frame of the same type. MS_WS_NO_PONG ignores Ping frames;
        MS_WS_NO_CLOSE answers a Close frame by dropping the connection."""
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + WS_GUID).encode()).digest())
        self.protocol_version = "HTTP/1.1"
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept.decode())
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        while True:
            frame = read_frame(self.rfile)
            if frame is None:
                return
            opcode, data = frame
            if opcode == 0x9 and knob("WS_NO_PONG") != "1":
                self.wfile.write(ws_frame(0xA, data))
            elif opcode == 0x8:
                if knob("WS_NO_CLOSE") != "1":
                    self.wfile.write(ws_frame(0x8, data[:2]))
                return
            elif opcode in (0x1, 0x2):
                try:
                    labels = iris_model.predict(MODEL, iris_model.parse_csv(data))
                    answer = ("\n".join(labels) + "\n").encode()
                except iris_model.BadInput as exc:
                    answer = f"bad input: {exc}\n".encode()
                self.wfile.write(ws_frame(opcode, answer))
            self.wfile.flush()

    def defects(self, body):
        """Bugs that only unusual input reaches (the four fixed bad requests do not)."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return   # the parser answers 400
        if knob("HANG_ON") and knob("HANG_ON") in text.lower():   # a parser that loops on it
            time.sleep(float(knob("HANG_S", "120")))
        if knob("ASCII_ONLY") == "1":   # logs the request through an ASCII-only encoder
            text.encode("ascii")
        if knob("EMPTY_FIELD") == "crash" and any(
                field.strip() == "" for line in text.splitlines() if line.strip()
                for field in line.split(",")):
            print("empty CSV field: the feature vector has a hole; exiting", flush=True)
            os._exit(3)

    def bad_input(self, status, message):
        mode = knob("BAD_INPUT", "4xx")
        if mode == "crash":
            print("unhandled bad input; exiting", flush=True)
            os._exit(1)
        self.reply(500 if mode == "500" else status, message)


def serving_port():
    """SAGEMAKER_BIND_TO_PORT in a pipeline (contract.md pipeline.bind), else 8080."""
    if knob("PORT"):
        return int(knob("PORT"))
    if knob("IGNORE_BIND_PORT") != "1" and os.environ.get("SAGEMAKER_BIND_TO_PORT"):
        return int(os.environ["SAGEMAKER_BIND_TO_PORT"])
    return 8080


def fetch(url):
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            answer.read()
    except OSError as exc:
        print("ERROR: cannot download %s: %s" % (url, exc), flush=True)
        sys.exit(1)


class Exporter(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


def burn(seconds):
    """Work the CPU for `seconds`, as deserialising a large model does."""
    end = time.monotonic() + seconds
    total = 0
    while time.monotonic() < end:
        total += sum(i * i for i in range(10000))
    return total


def load_in_background(seconds):
    print("loading the model in the background (%s s of CPU)" % seconds, flush=True)
    burn(seconds)
    print("model loaded", flush=True)
    LOADED.set()


def main():
    if knob("FETCH_URL"):   # downloads at start: fails under network isolation
        fetch(knob("FETCH_URL"))
    if knob("EXIT_AT_START"):
        print("ERROR: cannot load the model: /opt/ml/model/missing.bin not found", flush=True)
        sys.exit(int(knob("EXIT_AT_START")))
    if knob("EXPORTER_PORT"):   # a metrics exporter that answers 200 on every path, up at once
        exporter = ThreadingHTTPServer(("0.0.0.0", int(knob("EXPORTER_PORT"))), Exporter)
        threading.Thread(target=exporter.serve_forever, daemon=True).start()
    if knob("LOG_JUNK") == "1":   # terminal escapes, a NUL and rich markup in the log
        sys.stdout.write("\x1b[31mred\x1b[0m \x00 [/red] [link=http://example.invalid]x[/link] ]]>\n")
        sys.stdout.flush()
    time.sleep(float(knob("STARTUP_DELAY_S", "0")))
    if knob("BUSY_START_S"):   # the model deserialised before the server binds its port
        print("loading the model (%s s of CPU)" % knob("BUSY_START_S"), flush=True)
        burn(float(knob("BUSY_START_S")))
    if knob("BACKGROUND_LOAD_S"):
        threading.Thread(target=load_in_background, args=(float(knob("BACKGROUND_LOAD_S")),), daemon=True).start()
    if knob("HOLD_MB"):   # a model held in memory: written, so the pages are really in use
        HELD.append(b"\x01" * (int(knob("HOLD_MB")) * 1024 * 1024))
        print("holding %s MiB" % knob("HOLD_MB"), flush=True)
    if knob("FILL_MB"):   # scratch files written at start (ephemeral disk)
        with open("/tmp/fill.bin", "wb") as handle:
            for _ in range(int(knob("FILL_MB"))):
                handle.write(b"\x02" * 1024 * 1024)
    if knob("WRITE_AT_START"):   # a cache written next to the code (fails for a non-root user)
        with open(knob("WRITE_AT_START"), "w") as handle:
            handle.write("warm\n")
    if knob("IGNORE_SIGTERM") != "1":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server_class = ThreadingHTTPServer if knob("THREADED", "1") == "1" else HTTPServer
    accept_delay = float(knob("ACCEPT_DELAY_S", "0"))
    if accept_delay:   # a slow accept loop: bursts of connects overflow a small backlog
        class SlowAccept(server_class):
            def get_request(self):
                time.sleep(accept_delay)
                return super().get_request()
        server_class = SlowAccept
    server_class.request_queue_size = int(knob("BACKLOG", "128"))
    server_class.allow_reuse_address = True
    server = server_class((knob("HOST", "0.0.0.0"), serving_port()), Handler)
    server.daemon_threads = True
    print("listening on %s:%s" % server.server_address[:2], flush=True)
    for _ in range(worker_count() - 1):   # pre-forked workers, each with the model
        if os.fork() == 0:
            break
    if knob("WORKER_HOLD_MB"):   # each worker's own copy of a large model, after the fork
        HELD.append(b"\x03" * (int(knob("WORKER_HOLD_MB")) * 1024 * 1024))
        print("worker %d holding %s MiB" % (os.getpid(), knob("WORKER_HOLD_MB")), flush=True)
    server.serve_forever()


def worker_count():
    """MS_WORKERS: a number; "host" (os.cpu_count(), the host's CPUs even in a container);
    "host2x1" (gunicorn's 2 x cores + 1 from the host's count); "cgroup" (the container's
    own cores, from cpu.max)."""
    text = knob("WORKERS", "1")
    if text == "host":
        return os.cpu_count() or 1
    if text == "host2x1":
        return 2 * (os.cpu_count() or 1) + 1
    if text == "cgroup":   # cgroup v2 cpu.max, else v1 cpu.cfs_quota_us / cpu.cfs_period_us
        try:
            quota, period = open("/sys/fs/cgroup/cpu.max").read().split()
        except (OSError, ValueError):
            try:
                quota = open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read().strip()
                period = open("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read().strip()
            except OSError:
                return 1
        if quota in ("max", "-1"):
            return os.cpu_count() or 1
        return max(1, -(-int(quota) // int(period)))
    return int(text)


MODEL = iris_model.load()
if __name__ == "__main__":
    main()
