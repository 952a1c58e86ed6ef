"""The ``shopgen`` command line: one click group, one module per domain."""
