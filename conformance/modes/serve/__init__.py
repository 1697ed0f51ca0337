"""--mode serve: a real-time endpoint (the base every hosted mode builds on); with --target,
an endpoint the tool did not start."""
from ...config import ModeSettings
from ...engine.driver import ServeDriver
from ...registry import ModeSpec, mode
from .driver import TargetDriver

mode(ModeSpec("serve", "real-time hosting", lambda values: ModeSettings(),
              lambda config: TargetDriver if config.target else ServeDriver, order=10))

