"""fuzz.*: property-based fuzzing of /invocations (--fuzz N)."""

ORDER = 70   # registry.load: areas load (and so run within a phase) by ORDER, then name
