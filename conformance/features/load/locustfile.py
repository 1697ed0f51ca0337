"""The load as locust runs it: InvocationUser posts the payload to /invocations;
PingUser asks /ping once a second, like the platform's health checker (its real interval
is not documented: contract.md inference.ping.window says UNCONFIRMED; once a second is
denser than any cadence seen). Settings come from SMC_LOAD_* variables, so the same file
runs in our child process, in locust workers, and by hand (`locust -f`), and
`--export-locustfile` writes it out with the run's settings as defaults.

Raw samples (start, latency, status) are kept per request from the `request` event, and
workers ship them to the master with `report_to_master`: locust's own statistics are
rounded, ours are not."""
import base64
import os
import time

from locust import FastHttpUser, constant, constant_pacing, events, task

SETTINGS = {
    "host": os.environ.get("SMC_LOAD_HOST", "http://127.0.0.1:8080"),
    "payload": os.environ.get("SMC_LOAD_PAYLOAD", ""),
    "content_type": os.environ.get("SMC_LOAD_CONTENT_TYPE", "application/octet-stream"),
    "accept": os.environ.get("SMC_LOAD_ACCEPT", "*/*"),
    "ping_interval_s": float(os.environ.get("SMC_LOAD_PING_INTERVAL_S", "1.0")),
}
RAW = []  # [name, start_epoch_s, latency_ms, status_or_None, error_or_None]


def _body():
    if not SETTINGS["payload"]:
        return b""
    with open(SETTINGS["payload"], "rb") as handle:
        return handle.read()


BODY = _body()


class InvocationUser(FastHttpUser):
    host = SETTINGS["host"]
    wait_time = constant(0)
    network_timeout = 70.0      # clients are told to set a 70 s socket timeout (contract.md)
    connection_timeout = 5.0

    max_redirects = 0           # a redirect is never followed: the payload goes nowhere else

    @task
    def invoke(self):
        with self.client.post("/invocations", data=BODY, name="/invocations", allow_redirects=False,
                              catch_response=True,
                              headers={"Content-Type": SETTINGS["content_type"], "Accept": SETTINGS["accept"]}) as answer:
            judge(answer)


class PingUser(FastHttpUser):
    host = SETTINGS["host"]
    fixed_count = 1
    wait_time = constant_pacing(SETTINGS["ping_interval_s"])
    network_timeout = 2.0       # each /ping attempt times out after 2 s (contract.md)
    connection_timeout = 2.0

    max_redirects = 0

    @task
    def ping(self):
        with self.client.get("/ping", name="/ping", allow_redirects=False, catch_response=True) as answer:
            judge(answer)


def judge(answer) -> None:
    """Only a 2xx is a success: a redirect (not followed) or any other status is a failure."""
    code = answer.status_code or 0
    if code and not 200 <= code < 300:
        answer.failure(f"HTTP {code}" + (" (a redirect, not followed)" if 300 <= code < 400 else ""))


@events.request.add_listener
def _keep_raw(request_type, name, response_time, response_length, response=None,
              exception=None, start_time=None, **_):
    status = getattr(response, "status_code", None) if response is not None else None
    started = start_time if start_time else time.time() - response_time / 1000.0
    RAW.append([name, started, response_time, status, _describe(exception) if exception else None])


def _describe(exception):
    text = repr(exception)
    if "timed out" in text or "Timeout" in text:
        return "timed out"
    if "refused" in text:
        return "connection refused"
    return text[:200]


def _apply_settings(environment, msg, **_):
    """A worker on another machine has no payload file: the master sends the body and the
    headers before it starts the users (the host comes with locust's own spawn message)."""
    global BODY
    SETTINGS.update(msg.data["settings"])
    BODY = base64.b64decode(msg.data["body"])


@events.init.add_listener
def _listen_for_settings(environment, runner=None, **_):
    from locust.runners import WorkerRunner
    if isinstance(runner or environment.runner, WorkerRunner):
        (runner or environment.runner).register_message("smc_settings", _apply_settings)


def settings_message():
    """What _apply_settings receives: sent by the master in conformance.features.load._child."""
    return {"settings": {k: SETTINGS[k] for k in ("content_type", "accept")},
            "body": base64.b64encode(BODY).decode("ascii")}


@events.report_to_master.add_listener
def _ship_raw(client_id, data, **_):
    data["smc_raw"] = RAW[:]
    del RAW[:]


@events.worker_report.add_listener
def _collect_raw(client_id, data, **_):
    RAW.extend(data.get("smc_raw", []))
