"""lifecycle.*: how the container stops (SIGTERM, the grace period)."""

ORDER = 40   # registry.load: areas load (and so run within a phase) by ORDER, then name
