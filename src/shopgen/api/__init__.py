"""The FastAPI service: ``create_app(settings)`` builds it; one router per domain."""

from shopgen.api.app import create_app

__all__ = ["create_app"]
