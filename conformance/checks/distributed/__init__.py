"""distributed.*: training across hosts (--instance-count N)."""

ORDER = 60   # registry.load: areas load (and so run within a phase) by ORDER, then name
