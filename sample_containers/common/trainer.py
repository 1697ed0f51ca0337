#!/usr/bin/env python3
"""A SageMaker training container on the standard library: learns the iris centroids
from channel `train` (CSV: 4 features and a label) and writes /opt/ml/model/model.json,
the model the serving samples load. It reads the platform's string hyperparameters,
writes /opt/ml/output/failure on error, handles SIGTERM, and, with several hosts, sends
each host's partial sums to the leader (the first of `hosts` in resourceconfig.json).
Each broken sample sets one TR_* knob so that it breaks exactly one rule."""
import json
import os
import signal
import socket
import sys
import time
import traceback

ML = "/opt/ml"
PORT = 7777


def knob(name, default=""):
    return os.environ.get("TR_" + name, default)


def read_config(name):
    with open(os.path.join(ML, "input", "config", name)) as handle:
        return json.load(handle)


def load_rows(channel_dir):
    sums = {}
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(channel_dir) for f in names)
    for path in files:
        with open(path) as handle:
            for line in handle:
                parts = line.strip().split(",")
                if len(parts) != 5:
                    continue
                entry = sums.setdefault(parts[4], [0.0, 0.0, 0.0, 0.0, 0])
                for i in range(4):
                    entry[i] += float(parts[i])
                entry[4] += 1
    if not sums:
        raise ValueError(f"no training rows in {channel_dir} ({len(files)} files)")
    return sums


def merge(total, part):
    for label, entry in part.items():
        into = total.setdefault(label, [0.0, 0.0, 0.0, 0.0, 0])
        for i in range(5):
            into[i] += entry[i]
    return total


def resolve(host, attempts=40):
    for _ in range(attempts):
        try:
            return socket.gethostbyname(host)
        except socket.gaierror:
            time.sleep(0.25)
    raise RuntimeError(f"cannot resolve peer {host}")


def gather(sums, current, hosts):
    """The leader collects every other host's partial sums over TCP."""
    leader = knob("LEADER", hosts[0])
    if current == leader:
        server = socket.create_server(("0.0.0.0", PORT))
        server.settimeout(60)
        for _ in hosts[1:]:
            conn, _ = server.accept()
            with conn:
                merge(sums, json.loads(conn.makefile().read()))
        return True
    address = resolve(leader)
    for _ in range(60):
        try:
            with socket.create_connection((address, PORT), timeout=5) as conn:
                conn.sendall(json.dumps(sums).encode())
                return False
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"cannot reach the leader {leader}")


def accuracy(model, channel_dir):
    right = total = 0
    for d, _, names in os.walk(channel_dir):
        for name in names:
            with open(os.path.join(d, name)) as handle:
                for line in handle:
                    parts = line.strip().split(",")
                    if len(parts) != 5:
                        continue
                    row = [float(v) for v in parts[:4]]
                    best = min(range(len(model["classes"])), key=lambda i: sum(
                        (a - b) ** 2 for a, b in zip(row, model["centroids"][i])))
                    right += model["classes"][best] == parts[4]
                    total += 1
    return right / total if total else 0.0


def train():
    hp = read_config("hyperparameters.json")
    resources = read_config("resourceconfig.json")
    if knob("TYPED_HPS") == "1":
        epochs = range(hp.get("epochs", 10))          # breaks on the platform's string "10"
    else:
        epochs = range(int(hp.get("epochs", "10")))
    pause = float(hp.get("epoch_seconds", "0.4"))
    channel = "/opt/program/baked-train" if knob("IGNORE_CHANNEL") == "1" else os.path.join(ML, "input", "data", "train")
    sums = load_rows(channel)
    for epoch in epochs:
        print(f"epoch={epoch} rows={sum(e[4] for e in sums.values())}", flush=True)
        time.sleep(pause)
    hosts, current = resources["hosts"], resources["current_host"]
    leader = gather(sums, current, hosts) if len(hosts) > 1 else True
    if leader:
        model_dir = knob("MODEL_DIR", os.path.join(ML, "model"))
        os.makedirs(model_dir, exist_ok=True)
        classes = sorted(sums)
        model = {"classes": classes, "centroids": [[round(v / sums[c][4], 3) for v in sums[c][:4]] for c in classes]}
        with open(os.path.join(model_dir, "model.json"), "w") as handle:
            json.dump(model, handle)
        print(f"wrote {model_dir}/model.json", flush=True)
        validation = os.path.join(ML, "input", "data", "validation")
        if os.path.isdir(validation):
            print(f"validation_accuracy={accuracy(model, validation):.3f}", flush=True)


def main():
    if knob("IGNORE_SIGTERM") != "1":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        train()
    except Exception as exc:
        traceback.print_exc()
        if knob("NO_FAILURE_FILE") != "1":
            with open(os.path.join(ML, "output", "failure"), "w") as handle:
                handle.write(f"{type(exc).__name__}: {exc}")
        sys.exit(0 if knob("SWALLOW_ERRORS") == "1" else 1)


if __name__ == "__main__":
    main()
