#!/usr/bin/env python3
"""A small multi-model serving container on the standard library: /ping and the /models
API of a multi-model endpoint, serving iris models. With no MME_* variables set it keeps
the contract (409 on a second load, 404 for what is not loaded, 507 before memory runs
out); each broken sample sets one knob so that it breaks exactly one rule."""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import iris_model


def knob(name, default=""):
    return os.environ.get("MME_" + name, default)


MODELS = {}          # model_name -> (url, model, ballast)
LOCK = threading.Lock()
MODEL_BYTES = int(float(knob("MODEL_MB", "64")) * 1024 * 1024)   # what each loaded model holds


def cgroup_memory():
    """(in use, limit) of this container's cgroup, or None without a limit."""
    for current, limit in (("/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.max"),
                           ("/sys/fs/cgroup/memory/memory.usage_in_bytes",
                            "/sys/fs/cgroup/memory/memory.limit_in_bytes")):
        try:
            with open(current) as used, open(limit) as most:
                text = most.read().strip()
                return (int(used.read()), None if text == "max" else int(text))
        except (OSError, ValueError):
            continue
    return None


def room_for(size):
    found = cgroup_memory()
    if found is None or found[1] is None or knob("NO_507") == "1":
        return True
    used, limit = found
    return used + size < limit * 0.9


class Handler(BaseHTTPRequestHandler):
    server_version = "mmeserver/1"

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()

    def reply(self, status, document=None, body=None, content_type="application/json"):
        data = body if body is not None else json.dumps(document if document is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def route(self):
        parts = urlsplit(self.path)
        segments = [unquote(s) for s in parts.path.strip("/").split("/") if s]
        return segments, parse_qs(parts.query)

    def do_GET(self):
        segments, query = self.route()
        if segments == ["ping"]:
            return self.reply(200, body=b"", content_type="text/plain")
        if segments == ["models"]:
            return self.list_models(query)
        if len(segments) == 2 and segments[0] == "models":
            with LOCK:
                found = segments[1] in MODELS or knob("GET_ALWAYS") == "1"
                url = MODELS.get(segments[1], ("/opt/ml/models/%s/model" % segments[1],))[0]
            if not found:
                return self.reply(404, {"error": "model %s is not loaded" % segments[1]})
            return self.reply(200, {"modelName": segments[1], "modelUrl": url})
        return self.reply(404, {"error": "not found"})

    def list_models(self, query):
        with LOCK:
            names = sorted(MODELS)
        entries = [{"modelName": n, "modelUrl": MODELS[n][0]} for n in names if n in MODELS]
        if knob("LIST_EXTRA"):
            entries.append({"modelName": knob("LIST_EXTRA"), "modelUrl": "/opt/ml/model"})
        limit = int(query.get("limit", ["0"])[0] or 0)
        start = int(query.get("next_page_token", ["0"])[0] or 0)
        if knob("TOKEN_IGNORED") == "1":
            start = 0
        page = entries[start:start + limit] if limit > 0 else entries[start:]
        document = {"models": page}
        if limit > 0 and start + limit < len(entries):
            document["nextPageToken"] = str(start + limit)
        return self.reply(200, document)

    def do_POST(self):
        segments, _ = self.route()
        if segments == ["ping"]:   # POST /ping answered like GET
            return self.do_GET()
        if segments == ["models"]:
            return self.load()
        if len(segments) == 3 and segments[0] == "models" and segments[2] == "invoke":
            return self.invoke(segments[1])
        return self.reply(404, {"error": "not found"})

    def load(self):
        if knob("LOAD_404") == "1":
            return self.reply(404, {"error": "not found"})
        try:
            request = json.loads(self.read_body())
            name, url = request["model_name"], request["url"]
        except (ValueError, KeyError, TypeError):
            return self.reply(400, {"error": 'expected {"model_name", "url"}'})
        with LOCK:
            if name in MODELS and knob("RELOAD_OK") != "1":
                return self.reply(409, {"error": "model %s is already loaded" % name})
            if not room_for(MODEL_BYTES):
                return self.reply(507, {"error": "not enough memory to load %s" % name})
            try:
                model = iris_model.load(os.path.join(url, "model.json"))
            except (OSError, ValueError, KeyError) as exc:
                return self.reply(400, {"error": "cannot load %s: %s" % (url, exc)})
            time.sleep(float(knob("LOAD_S", "0")))   # a slow load (under the lock, as a naive server would)
            MODELS[name] = (url, model, bytearray(b"\1") * MODEL_BYTES)   # every page touched
        return self.reply(200, {"status": "model %s loaded" % name})

    def invoke(self, name):
        body = self.read_body()
        if knob("INVOKE_FIXED_DIR") == "1":   # the single-model habit: always /opt/ml/model
            try:
                model = iris_model.load()
            except OSError as exc:
                return self.reply(500, {"error": str(exc)})
        else:
            with LOCK:
                entry = MODELS.get(name)
            if entry is None:
                return self.reply(404, {"error": "model %s is not loaded" % name})
            model = entry[1]
        parsers = {"text/csv": iris_model.parse_csv, "application/json": iris_model.parse_json}
        parse = parsers.get((self.headers.get("Content-Type") or "").split(";")[0].strip())
        if parse is None:
            return self.reply(415, {"error": "only text/csv and application/json"})
        try:
            labels = iris_model.predict(model, parse(body))
        except iris_model.BadInput as exc:
            return self.reply(400, {"error": str(exc)})
        return self.reply(200, body=("\n".join(labels) + "\n").encode(), content_type="text/csv")

    def do_DELETE(self):
        segments, _ = self.route()
        if len(segments) != 2 or segments[0] != "models":
            return self.reply(404, {"error": "not found"})
        with LOCK:
            if segments[1] not in MODELS:
                return self.reply(404, {"error": "model %s is not loaded" % segments[1]})
            if knob("UNLOAD_KEEP") != "1":
                del MODELS[segments[1]]
        return self.reply(200, {"status": "model %s unloaded" % segments[1]})


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server_class = HTTPServer if knob("SINGLE_THREAD") == "1" else ThreadingHTTPServer
    server_class.allow_reuse_address = True
    server_class.request_queue_size = 128   # a listen backlog like gunicorn's or nginx's
    server = server_class(("0.0.0.0", 8080), Handler)
    server.daemon_threads = True
    print("mmeserver listening on 8080, SAGEMAKER_MULTI_MODEL=%s" % os.environ.get("SAGEMAKER_MULTI_MODEL"),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
