"""fuzz.*: property-based fuzzing of /invocations (--fuzz N)."""
