"""The engine: the one door the fronts (cli, pytest plugin, Action) go through.
`run(config)` runs the checks (runner.py); `healthy_endpoint(config)` gives the plugin's
fixture a healthy endpoint; `clean(everything)` removes what runs left behind."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


def run(config) -> Iterator:
    from .runner import run as _run
    return _run(config)


@contextmanager
def healthy_endpoint(config) -> Iterator:
    """A healthy endpoint for the config: a container started as the check run starts it
    (removed when the block ends), or the --target once its /ping answers 200."""
    from .endpoint import serving_endpoint, target_endpoint
    if config.target:
        yield target_endpoint(config)
        return
    with serving_endpoint(config) as started:
        yield started


def clean(everything: bool = False) -> tuple[int, int, int]:
    """Remove the leftovers of crashed runs (their owner is gone): containers, networks,
    volumes and the run's folders under the temporary folder; or with `everything` all
    that the tool labelled or made. Returns (stale runs, 0, folders), or with `everything`
    (containers, networks, folders)."""
    from .docker_env import connect
    from .scratch import sweep_folders
    from .session import LABEL, remove_by_label, sweep_stale
    client = connect()
    if everything:
        return (*remove_by_label(client, LABEL), sweep_folders(everything=True))
    return sweep_stale(client), 0, sweep_folders()
