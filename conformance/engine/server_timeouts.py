"""Request timeouts of the servers an image runs, read from its process table and their
configuration files (not measured: a request that runs the whole InvocationTimeoutSeconds
cannot be produced by the tool). The usual way an async endpoint breaks is a server's own
default: gunicorn's sync workers are killed after --timeout (30 s by default), nginx cuts a
proxied request after proxy_read_timeout (60 s by default), TorchServe and MMS after
default_response_timeout (120 s by default). Each default is the server's documented one."""
from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass
from typing import Optional

import docker

GUNICORN_DEFAULT_S = 30.0          # gunicorn settings: timeout
NGINX_PROXY_READ_DEFAULT_S = 60.0  # nginx ngx_http_proxy_module: proxy_read_timeout
MODEL_SERVER_DEFAULT_S = 120.0     # TorchServe / MMS: default_response_timeout
KNOWN = ("gunicorn", "nginx", "uvicorn", "hypercorn", "TorchServe", "MMS")
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "": 1}


@dataclass(frozen=True)
class ServerTimeout:
    server: str
    seconds: Optional[float]   # None: no timeout cuts a running request
    where: str


def command_lines(container) -> Optional[list]:
    """Every process's command line (`docker top`), or None when Docker cannot tell."""
    try:
        table = container.top()
    except (docker.errors.DockerException, AttributeError):
        return None
    column = table["Titles"].index("CMD") if "CMD" in table["Titles"] else -1
    return [row[column] for row in table["Processes"]]


def read_timeouts(container) -> tuple[list, list]:
    """(ServerTimeout per recognised server process, every command line seen)."""
    commands = command_lines(container) or []
    found: dict = {}
    for command in commands:
        for timeout in _recognise(container, command):
            found.setdefault((timeout.server, timeout.where), timeout)
    return list(found.values()), commands


def _recognise(container, command: str) -> list:
    if "gunicorn" in command:
        return [_gunicorn(command)]
    if command.startswith("nginx: master") or re.match(r"^(\S*/)?nginx(\s|$)", command):
        return [_nginx(container, command)]
    if re.search(r"\b(uvicorn|hypercorn)\b", command):
        return [ServerTimeout("uvicorn/hypercorn", None, "no request timeout (only keep-alive)")]
    if re.search(r"org\.pytorch\.serve|torchserve|com\.amazonaws\.ml\.mms|multi-model-server", command):
        return [_model_server(container)]
    return []


def _flag(words: list, *names: str) -> Optional[str]:
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                return words[index + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def _gunicorn(command: str) -> ServerTimeout:
    words = command.split()
    worker = _flag(words, "-k", "--worker-class") or "sync"
    timeout = _flag(words, "-t", "--timeout")
    seconds = float(timeout) if timeout else GUNICORN_DEFAULT_S
    if "sync" not in worker or seconds == 0:
        return ServerTimeout("gunicorn", None, f"{worker} workers keep their heartbeat during a request"
                             if seconds else "--timeout 0 (off)")
    return ServerTimeout("gunicorn", seconds, f"sync workers, --timeout {timeout}" if timeout
                         else f"sync workers, no --timeout: the default {GUNICORN_DEFAULT_S:g} s")


def _nginx(container, command: str) -> ServerTimeout:
    path = _flag(command.split(), "-c") or "/etc/nginx/nginx.conf"
    text = read_file(container, path)
    if text is None:
        return ServerTimeout("nginx", NGINX_PROXY_READ_DEFAULT_S, f"{path} unreadable: the default")
    text = re.sub(r"#.*", "", text)
    if "proxy_pass" not in text:
        return ServerTimeout("nginx", None, f"{path} proxies nothing")
    values = [_nginx_seconds(v) for v in re.findall(r"\bproxy_read_timeout\s+([^;]+);", text)]
    if not values:
        return ServerTimeout("nginx", NGINX_PROXY_READ_DEFAULT_S,
                             f"{path} proxies with no proxy_read_timeout: the default {NGINX_PROXY_READ_DEFAULT_S:g} s")
    return ServerTimeout("nginx", min(values), f"proxy_read_timeout in {path}")


def _nginx_seconds(value: str) -> float:
    total = 0.0
    for number, unit in re.findall(r"(\d+)\s*(ms|s|m|h|d|)", value.strip()):
        total += int(number) * UNITS[unit]
    return total


def _model_server(container) -> ServerTimeout:
    env = dict(item.split("=", 1) for item in (container.attrs.get("Config", {}).get("Env") or [])
               if "=" in item)
    for name in ("TS_DEFAULT_RESPONSE_TIMEOUT", "MMS_DEFAULT_RESPONSE_TIMEOUT",
                 "SAGEMAKER_MODEL_SERVER_TIMEOUT"):
        if env.get(name, "").strip().isdigit():
            return ServerTimeout("TorchServe/MMS", float(env[name]), f"{name}={env[name]}")
    return ServerTimeout("TorchServe/MMS", MODEL_SERVER_DEFAULT_S,
                         f"no response timeout set: the default {MODEL_SERVER_DEFAULT_S:g} s")


def read_file(container, path: str, limit: int = 1024 * 1024) -> Optional[str]:
    try:
        stream, _ = container.get_archive(path)
        data = b"".join(stream)
    except docker.errors.DockerException:
        return None
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = next((m for m in tar.getmembers() if m.isfile()), None)
        if member is None:
            return None
        return tar.extractfile(member).read(limit).decode(errors="replace")
