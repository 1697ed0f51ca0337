"""The built-in checks, one folder per area (registry.load imports every module here).
For plugins written against earlier versions, `check` and `CheckContext` are still
importable from here; new code imports them from conformance.registry and
conformance.engine.context."""
from ..engine.context import CheckContext
from ..registry import all_checks, check, get, select

__all__ = ["CheckContext", "all_checks", "check", "get", "select"]
