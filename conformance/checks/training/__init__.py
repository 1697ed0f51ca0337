"""training.*: the training contract (--mode train; contract.md §10-13)."""

ORDER = 50   # registry.load: areas load (and so run within a phase) by ORDER, then name
