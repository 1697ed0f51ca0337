"""serverless.*: what a serverless endpoint adds to the serving contract (--mode serverless)."""

ORDER = 90   # registry.load: areas load (and so run within a phase) by ORDER, then name
