#!/usr/bin/env python3
"""A SageMaker training container on the standard library: learns the iris centroids
from channel `train` (CSV: 4 features and a label) and writes /opt/ml/model/model.json,
the model the serving samples load. It reads the platform's string hyperparameters,
writes /opt/ml/output/failure on error, handles SIGTERM, and, with several hosts, sends
each host's partial sums to the leader (the first of `hosts` in resourceconfig.json) over
TLS when the image has a certificate.
Each broken sample sets one TR_* knob so that it breaks exactly one rule."""
import json
import os
import signal
import socket
import ssl
import sys
import time
import traceback

ML = "/opt/ml"
PORT = 7777
TLS_DIR = "/opt/program/tls"   # cert.pem + key.pem, made when the image is built


def knob(name, default=""):
    return os.environ.get("TR_" + name, default)


def read_config(name):
    with open(os.path.join(ML, "input", "config", name)) as handle:
        return json.load(handle)


def channel_files(channel):
    """A channel's files: every file under the folder (File), or the FIFO itself (Pipe)."""
    if not os.path.exists(channel):
        return []
    if not os.path.isdir(channel):
        return [channel]
    return sorted(os.path.join(d, f) for d, _, names in os.walk(channel) for f in names)


def read_rows(paths):
    """(features, label) for every CSV row of 4 numbers and a label."""
    for path in paths:
        with open(path) as handle:
            for line in handle:
                parts = line.strip().split(",")
                if len(parts) == 5:
                    yield [float(v) for v in parts[:4]], parts[4]


def load_rows(channel_dir, pipe=False):
    """Per-label sums and counts. Pipe mode reads the FIFO <channel>_0 to EOF (one epoch)."""
    sums = {}
    for features, label in read_rows(channel_files(channel_dir + "_0" if pipe else channel_dir)):
        entry = sums.setdefault(label, [0.0, 0.0, 0.0, 0.0, 0])
        for i in range(4):
            entry[i] += features[i]
        entry[4] += 1
    if not sums:
        raise ValueError(f"no training rows in {channel_dir}")
    return sums


def merge(total, part):
    for label, entry in part.items():
        into = total.setdefault(label, [0.0, 0.0, 0.0, 0.0, 0])
        for i in range(5):
            into[i] += entry[i]
    return total


def resolve(host, attempts=None):
    attempts = attempts or int(knob("RESOLVE_ATTEMPTS", "40"))   # 1: a trainer that never retries DNS
    for _ in range(attempts):
        try:
            return socket.gethostbyname(host)
        except socket.gaierror:
            time.sleep(0.25)
    raise RuntimeError(f"cannot resolve peer {host}")


def tls_context(server_side):
    """TLS between hosts when the image has a certificate (and TR_PLAINTEXT is not set)."""
    cert = os.path.join(TLS_DIR, "cert.pem")
    if knob("PLAINTEXT") == "1" or not os.path.exists(cert):
        return None
    if server_side:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, os.path.join(TLS_DIR, "key.pem"))
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False   # peers are addressed by IP; the shared cert is the CA
        context.load_verify_locations(cert)
    return context


def gather(sums, current, hosts):
    """The leader collects every other host's partial sums over TCP (TLS when possible)."""
    leader = knob("LEADER", hosts[0])
    if current == leader:
        context = tls_context(server_side=True)
        server = socket.create_server(("0.0.0.0", PORT))
        server.settimeout(60)
        for _ in hosts[1:]:
            conn, _ = server.accept()
            if context:
                conn = context.wrap_socket(conn, server_side=True)
            with conn:
                merge(sums, json.loads(conn.makefile().read()))
        return True
    address = resolve(leader)
    context = tls_context(server_side=False)
    for _ in range(60):
        try:
            with socket.create_connection((address, PORT), timeout=5) as raw:
                conn = context.wrap_socket(raw) if context else raw
                conn.sendall(json.dumps(sums).encode())
                conn.close()
                return False
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"cannot reach the leader {leader}")


def accuracy(model, channel):
    """Share of rows classified right; `channel` is a folder (File) or a FIFO (Pipe)."""
    right = total = 0
    for features, label in read_rows(channel_files(channel)):
        best = min(range(len(model["classes"])), key=lambda i: sum(
            (a - b) ** 2 for a, b in zip(features, model["centroids"][i])))
        right += model["classes"][best] == label
        total += 1
    return right / total if total else 0.0


CHECKPOINTS = os.path.join(ML, "checkpoints")


def save_checkpoint(epochs_done, resources=None):
    """Written by the first host only: the job has one checkpoint prefix, restored to every
    host. TR_CHECKPOINT_EVERY_HOST=1 writes it from every host, each with its own content."""
    resources = resources or read_config("resourceconfig.json")
    every = knob("CHECKPOINT_EVERY_HOST") == "1"
    if os.path.isdir(CHECKPOINTS) and (every or resources["current_host"] == resources["hosts"][0]):
        with open(os.path.join(CHECKPOINTS, "state.json"), "w") as handle:
            json.dump({"epochs_done": epochs_done, "host": resources["current_host"]}, handle)


def resume_from_checkpoint():
    path = os.path.join(CHECKPOINTS, "state.json")
    if knob("NO_RESUME") == "1" or not os.path.isfile(path):
        return 0
    with open(path) as handle:
        done = json.load(handle)["epochs_done"]
    print(f"resuming after epoch {done} from {path}", flush=True)
    return done


def train():
    hp = {} if knob("IGNORE_CONFIG") == "1" else read_config("hyperparameters.json")
    resources = read_config("resourceconfig.json")
    if knob("FAIL_ON_HOST") == resources["current_host"]:
        raise RuntimeError(f"{resources['current_host']} fails at start (TR_FAIL_ON_HOST)")
    if knob("FETCH_URL"):   # downloads at start: fails under network isolation
        import urllib.request
        with urllib.request.urlopen(knob("FETCH_URL"), timeout=3) as answer:
            answer.read()
    if knob("CODE_CHANNEL") == "1":   # framework images: the user's code arrives as a channel
        code = os.path.join(ML, "input", "data", "code")
        if not os.path.isdir(code) or not os.listdir(code):
            raise FileNotFoundError("missing script: the code channel is empty")
    if knob("TYPED_HPS") == "1":
        epochs = range(hp.get("epochs", 10))          # breaks on the platform's string "10"
    else:
        epochs = range(int(hp.get("epochs", "10")))
    pause = float(hp.get("epoch_seconds", "0.4"))
    channel = "/opt/program/baked-train" if knob("IGNORE_CHANNEL") == "1" else os.path.join(ML, "input", "data", "train")
    modes = read_config("inputdataconfig.json")
    pipe = modes.get("train", {}).get("TrainingInputMode") == "Pipe" and knob("IGNORE_PIPE") != "1"
    if knob("PLANT_LINKS"):   # hostile: links under the next FIFOs' names, to paths of the host
        for epoch, target in enumerate(knob("PLANT_LINKS").split(","), 1):
            os.symlink(target, os.path.join(ML, "input", "data", f"train_{epoch}"))
        print(f"planted {knob('PLANT_LINKS')}", flush=True)
    sums = load_rows(channel, pipe)
    if knob("WRITE_CHANNEL") == "1":   # caches into its channel: fine in File mode, EROFS in FastFile
        with open(os.path.join(channel, ".rows-cache"), "w") as handle:
            handle.write("cached\n")
    epochs = list(epochs)
    done = resume_from_checkpoint()
    for epoch in epochs[done:]:
        if knob("QUIET") != "1":
            print(f"epoch={epoch} rows={sum(e[4] for e in sums.values())}", flush=True)
        time.sleep(pause)
        save_checkpoint(epoch + 1, resources)
    hosts, current = resources["hosts"], resources["current_host"]
    if knob("RANK_BY_HOSTNAME") == "1":   # trusts the hostname: fine where it equals current_host
        current = hosts[hosts.index(socket.gethostname())]
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
        if modes.get("validation", {}).get("TrainingInputMode") == "Pipe":
            validation = validation + "_0"
        if os.path.exists(validation) and knob("QUIET") != "1":
            print(f"validation_accuracy={accuracy(model, validation):.3f}", flush=True)


def main():
    if knob("IGNORE_SIGTERM") != "1":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        train()
    except Exception as exc:
        traceback.print_exc()
        failure = os.path.join(ML, "output", "failure")
        if knob("FAILURE_LINK"):   # a failure "file" that is a link out of /opt/ml
            os.symlink(knob("FAILURE_LINK"), failure)
        elif knob("NO_FAILURE_FILE") != "1":
            with open(failure, "w") as handle:
                handle.write(f"{type(exc).__name__}: {exc}")
        sys.exit(0 if knob("SWALLOW_ERRORS") == "1" else 1)


if __name__ == "__main__":
    main()
