"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...contract import ASYNC_DEFAULT_TIMEOUT_S
from ...option_spec import option
from .settings import AsyncSettings

OPTIONS = (
    option("async-payload-size", "text", "--mode async: the body streamed from disk to /invocations, "
           "e.g. 64m (the platform allows 1 GB)", "async.payload", default="1g"),
    option("invocation-timeout", "float", "--mode async: InvocationTimeoutSeconds, 1-3600",
           "async.timeout", default=ASYNC_DEFAULT_TIMEOUT_S),
    option("max-concurrent-invocations", "int", "--mode async: MaxConcurrentInvocationsPerInstance, 1-1000",
           "async.concurrency", default=AsyncSettings().max_concurrent),
)
