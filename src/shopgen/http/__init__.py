"""HTTP plumbing shared by ``api`` and ``web``: auth dependencies, request dependencies, the one
error shape, Server-Sent Events frames and body limits. Routers live above it; domains below."""
