"""async.*: what an asynchronous endpoint adds to the serving contract (--mode async)."""

from ...model import Mode

ORDER = 100   # registry.load: areas load (and so run within a phase) by ORDER, then name

ASYNC = (Mode.ASYNC,)
