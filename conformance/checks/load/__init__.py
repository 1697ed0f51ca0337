"""load.*: latency and errors under locust load (--load)."""

ORDER = 30   # registry.load: areas load (and so run within a phase) by ORDER, then name
