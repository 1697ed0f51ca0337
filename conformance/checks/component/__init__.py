"""component.*: what an inference component adds to the serving contract (--mode
inference-component): every copy serves in its own compute slice."""

ORDER = 95   # registry.load: areas load (and so run within a phase) by ORDER, then name
