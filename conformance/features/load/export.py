"""--export-locustfile: our locustfile with this run's settings as its defaults, for
teams that keep using locust directly."""
from __future__ import annotations

import re
from pathlib import Path

from .runner import LoadSettings

SOURCE = Path(__file__).with_name("locustfile.py")


def export_locustfile(path: Path, payload: Path, content_type: str, accept: str,
                      settings: LoadSettings, host: str = "http://127.0.0.1:8080") -> None:
    text = SOURCE.read_text()
    values = {"SMC_LOAD_HOST": host, "SMC_LOAD_PAYLOAD": str(payload.resolve()),
              "SMC_LOAD_CONTENT_TYPE": content_type, "SMC_LOAD_ACCEPT": accept,
              "SMC_LOAD_PING_INTERVAL_S": f"{settings.ping_interval_s:g}"}
    for name, value in values.items():
        text, count = re.subn(rf'os\.environ\.get\("{name}", "[^"]*"\)',
                              f'os.environ.get("{name}", {value!r})', text)
        assert count == 1, name
    header = (f"# Exported by sagemaker-conformance. Run it against a container started with\n"
              f"#   docker run --rm -p 8080:8080 IMAGE serve\n"
              f"# as the check did:\n"
              f"#   locust -f {path.name} --headless --users {settings.users + 1} "
              f"--spawn-rate {settings.spawn_rate:g} --run-time {settings.duration_s:g}s\n"
              f"# (one of the users is the fixed PingUser). SMC_LOAD_* variables override.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text)
