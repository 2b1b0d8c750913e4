"""The `veille` command line."""
