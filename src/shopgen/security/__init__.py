"""Access control and privacy: accounts and roles, login sessions, API keys, CSRF, rate limits,
personal-data masking, the audit log and retention.

The web layer (``shopgen.http.auth``) turns these into request dependencies; everything here is
plain functions over a SQLAlchemy session and the settings, so the CLI uses the same code.
"""
