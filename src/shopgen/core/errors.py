"""One error hierarchy for shopgen.

::

    ShopgenError
    ├── ConfigError            a setting or a name is wrong (unknown backend, bad path)
    ├── InvalidInput           the caller's data is wrong (bad row, empty prompt)
    │   └── ImportFailed       a file import failed; ``detail`` lists the bad lines
    ├── NotFound               a product, order or session that does not exist
    ├── Conflict               a unique value is already taken
    ├── Unauthorized           no valid credentials (401)
    ├── Forbidden              credentials valid, role not allowed, or CSRF token missing (403)
    ├── RateLimited            too many requests from one key or address (429, ``retry_after``)
    ├── TooLarge               a request body over its limit (413)
    ├── Busy                   the model is serving as many generations as it can (503, ``retry_after``)
    └── BackendError           a model or remote service failed or is missing
        └── MissingExtra       an optional dependency is not installed

Third-party errors (SQLAlchemy, httpx, llama.cpp) are mapped to these at the boundary,
so the API and the CLI only ever have to handle this tree. Each error carries a short
``message`` for people and an optional JSON-able ``detail`` for programs.
"""

from __future__ import annotations

from typing import Any


class ShopgenError(Exception):
    """Base of every error shopgen raises on purpose."""

    kind = "error"
    http_status = 500

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "message": self.message, "detail": self.detail}


class ConfigError(ShopgenError):
    kind = "config_error"
    http_status = 500


class InvalidInput(ShopgenError):
    kind = "invalid_input"
    http_status = 422


class ImportFailed(InvalidInput):
    kind = "import_failed"


class NotFound(ShopgenError):
    kind = "not_found"
    http_status = 404


class Conflict(ShopgenError):
    kind = "conflict"
    http_status = 409


class Unauthorized(ShopgenError):
    kind = "unauthorized"
    http_status = 401


class Forbidden(ShopgenError):
    kind = "forbidden"
    http_status = 403


class RateLimited(ShopgenError):
    """Too many requests; ``retry_after`` (whole seconds) goes into the Retry-After header."""

    kind = "rate_limited"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class Busy(ShopgenError):
    """The generator is at capacity; ``retry_after`` (whole seconds) goes into the Retry-After header."""

    kind = "busy"
    http_status = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class TooLarge(ShopgenError):
    kind = "too_large"
    http_status = 413


class BackendError(ShopgenError):
    kind = "backend_error"
    http_status = 503


class MissingExtra(BackendError):
    """An optional dependency is missing; the message names the extra to install."""

    kind = "missing_extra"

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"optional dependency '{module}' is not installed; install it with: pip install 'shopgen[{extra}]'",
            {"module": module, "extra": extra},
        )
