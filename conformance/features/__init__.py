"""Features a run may add to any serving mode: fuzz (--fuzz N), load (--load), stream
(--stream). Each folder registers its measurements (and report sections) with the
registry; the engine and the checks reach them by name through Probes.measure."""
