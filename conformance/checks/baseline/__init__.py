"""baseline.*: this run against an earlier report of the image (--baseline REPORT.json),
judged after every other check (the last phase, last of all)."""
ORDER = 99   # registry.load: areas load (and so run within a phase) by ORDER, then name
