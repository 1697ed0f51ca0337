"""streaming.*: responses streamed as InvokeEndpointWithResponseStream relays them (--stream)."""

ORDER = 80   # registry.load: areas load (and so run within a phase) by ORDER, then name
