"""image.*: what the image itself declares (entrypoint, user, architecture, labels)."""

ORDER = 10   # registry.load: areas load (and so run within a phase) by ORDER, then name
