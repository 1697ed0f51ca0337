"""--mode async: a serving container run as an asynchronous endpoint runs it."""
from ...config import parse_memory
from ...engine.driver import ServeDriver
from ...registry import ModeSpec, mode
from . import probes  # noqa: F401  (registers its measurements)
from .settings import AsyncSettings
from .options import OPTIONS


def build(values) -> AsyncSettings:
    return AsyncSettings(payload_bytes=parse_memory(values["async-payload-size"]),
                         invocation_timeout_s=values["invocation-timeout"],
                         max_concurrent=values["max-concurrent-invocations"])


mode(ModeSpec("async", "asynchronous inference", build, lambda config: ServeDriver, base="serve",
              order=40, declares=OPTIONS))

