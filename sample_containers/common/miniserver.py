#!/usr/bin/env python3
"""A small SageMaker serving container on the standard library, serving the iris model.
With no MS_* variables set it keeps the hosting contract; each broken sample sets one
knob so that it breaks exactly one rule. It accepts and ignores the `serve` argument."""
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import iris_model


def knob(name, default=""):
    return os.environ.get("MS_" + name, default)


STARTED = time.monotonic()
PING_COUNT = [0]
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server_version = "miniserver/1"

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()

    def reply(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/ping":
            return self.reply(404, b"not found\n")
        with LOCK:
            PING_COUNT[0] += 1
            count = PING_COUNT[0]
        slow_every = int(knob("PING_SLOW_EVERY", "0"))
        if slow_every and count % slow_every == 0:
            time.sleep(float(knob("PING_SLOW_S", "2.6")))
        flap_every = int(knob("PING_FLAP_EVERY", "0"))
        if flap_every and count % flap_every == 0:
            return self.reply(503, b"flapping\n")
        self.reply(int(knob("PING_STATUS", "200")))

    def do_POST(self):
        if self.path != "/invocations" or knob("NO_INVOCATIONS") == "1":
            return self.reply(404, b"not found\n")
        length = int(self.headers.get("Content-Length") or 0)
        max_body = int(knob("MAX_BODY", "0"))
        if max_body and length > max_body:
            self.close_connection = True
            return self.reply(413, b"request entity too large\n")
        body = self.rfile.read(length)
        if knob("REJECT_UNKNOWN_HEADERS") == "1" and any(
                h.lower().startswith("x-amzn-sagemaker-") for h in self.headers.keys()):
            return self.reply(400, b"unexpected header\n")
        if time.monotonic() - STARTED < float(knob("LOAD_DELAY_S", "0")):
            return self.reply(503, b"model still loading\n")
        time.sleep(float(knob("INVOKE_DELAY_S", "0")))
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "text/csv":
            return self.bad_input(415, b"only text/csv is supported\n")
        try:
            labels = iris_model.predict(MODEL, iris_model.parse_csv(body))
        except iris_model.BadInput as exc:
            return self.bad_input(400, str(exc).encode() + b"\n")
        pad = b" " * int(knob("RESPONSE_PAD_BYTES", "0"))
        self.reply(200, "\n".join(labels).encode() + b"\n" + pad, "text/csv")

    def bad_input(self, status, message):
        mode = knob("BAD_INPUT", "4xx")
        if mode == "crash":
            print("unhandled bad input; exiting", flush=True)
            os._exit(1)
        self.reply(500 if mode == "500" else status, message)


def main():
    if knob("EXIT_AT_START"):
        print("ERROR: cannot load the model: /opt/ml/model/missing.bin not found", flush=True)
        sys.exit(int(knob("EXIT_AT_START")))
    time.sleep(float(knob("STARTUP_DELAY_S", "0")))
    if knob("IGNORE_SIGTERM") != "1":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server_class = ThreadingHTTPServer if knob("THREADED", "1") == "1" else HTTPServer
    server_class.request_queue_size = int(knob("BACKLOG", "128"))
    server_class.allow_reuse_address = True
    server = server_class((knob("HOST", "0.0.0.0"), int(knob("PORT", "8080"))), Handler)
    server.daemon_threads = True
    print("listening on %s:%s" % server.server_address[:2], flush=True)
    server.serve_forever()


MODEL = iris_model.load()
if __name__ == "__main__":
    main()
