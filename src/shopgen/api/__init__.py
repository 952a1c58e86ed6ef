"""The JSON API: one router per domain. The app itself is built in :mod:`shopgen.server`."""
