"""Runs inside a child process: `import locust` monkey-patches sockets and threads
(gevent), so it never happens in the CLI's or pytest's process. Reads a JSON job on
stdin, runs locust as a library (a LocalRunner, or a MasterRunner with local worker
processes and/or workers from other machines), writes the raw samples, its CPU use and locust's own HTML
report as JSON to the job's result file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    job = json.load(sys.stdin)
    os.environ.update(job["env"])
    import gevent
    import psutil
    from locust import events
    from locust.env import Environment
    from locust.html import get_html_report
    from locust.stats import stats_history

    from conformance.engine.wait import wait_for
    from conformance.features.load import locustfile

    env = Environment(user_classes=[locustfile.InvocationUser, locustfile.PingUser], events=events,
                      host=job["env"]["SMC_LOAD_HOST"])
    workers: list = []
    expected = job["workers"] + job["remote_workers"]
    if expected:
        bind, port = job["master_bind"], job["master_port"]
        runner = env.create_master_runner(bind, port)
        local = "127.0.0.1" if bind in ("0.0.0.0", "*", "") else bind
        workers = [subprocess.Popen([sys.executable, "-m", "locust", "-f", locustfile.__file__, "--worker",
                                     "--master-host", local, "--master-port", str(port)],
                                    env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for _ in range(job["workers"])]
        # time.sleep is gevent's here (locust monkey-patched it), so the master keeps
        # accepting workers while the wait pauses.
        waited = wait_for(lambda: True if runner.worker_count >= expected else None, job["worker_wait_s"], 0.1)
        if not waited.answered:
            for worker in workers:
                worker.kill()
            runner.quit()
            sys.exit(f"only {runner.worker_count} of {expected} locust workers connected to "
                     f"{bind}:{port} within {job['worker_wait_s']:g} s")
        runner.send_message("smc_settings", locustfile.settings_message())
    else:
        runner = env.create_local_runner()
    me = psutil.Process()
    procs = [me] + [psutil.Process(w.pid) for w in workers]
    cpu_before = [sum(p.cpu_times()[:2]) for p in procs]
    began_wall, began = time.time(), time.monotonic()
    gevent.spawn(stats_history, runner)   # the history locust's own report plots
    runner.start(job["users"] + 1, spawn_rate=job["spawn_rate"])  # +1: the fixed PingUser
    gevent.sleep(job["duration_s"])
    elapsed = time.monotonic() - began
    cpu = [round(100.0 * (sum(p.cpu_times()[:2]) - before) / elapsed, 1)
           for p, before in zip(procs, cpu_before)]
    runner.stop()
    if expected:
        gevent.sleep(4.0)  # workers report every 3 s; the last report carries their last samples
    report = get_html_report(env, show_download_link=False)   # locust's own, exported beside ours
    runner.quit()
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=10)
    with open(job["result_path"], "w") as handle:
        json.dump({"raw": locustfile.RAW, "cpu_percent": cpu, "began": began_wall,
                   "elapsed_s": elapsed, "worker_count": runner.worker_count if expected else 0,
                   "locust_html": report}, handle)


if __name__ == "__main__":
    main()
