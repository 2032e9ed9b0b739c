"""Pure builders of figures and layout pieces: no I/O, unit-tested."""
