"""variants.*: production variants of one endpoint compared on the same traffic: the gate a
team runs before raising a candidate's weight (every serving check is judged on each
variant besides)."""
ORDER = 85   # registry.load: areas load (and so run within a phase) by ORDER, then name
