"""async.*: what an asynchronous endpoint adds to the serving contract (--mode async)."""

from ...model import Mode

ASYNC = (Mode.ASYNC,)
