"""--mode serverless: a serving container run as a serverless endpoint runs it."""
from ...engine.driver import ServeDriver
from ...registry import ModeSpec, mode
from .settings import ServerlessSettings
from .options import OPTIONS

mode(ModeSpec("serverless", "serverless inference", lambda v: ServerlessSettings(v["memory-size"]),
              lambda config: ServeDriver, base="serve", order=30, declares=OPTIONS))

