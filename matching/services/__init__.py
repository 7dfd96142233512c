"""matching\x27s write paths, one module a topic."""
