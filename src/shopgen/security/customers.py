"""Who the shopper is: customer tokens a storefront signs for its shopper key.

A shopper API key identifies the storefront (the mini-program, the shop page), not the person
typing. The storefront knows who is signed in, so it signs a short-lived token naming that
customer with the key's *signing secret* (shown once when the key is created or rotated) and
passes it when it opens a chat session; shopgen verifies it and answers order questions only
for that customer's orders.

The token is a standard JWT with HMAC-SHA256 (any JWT library makes one)::

    header  {"alg": "HS256", "typ": "JWT", "kid": "<key id>"}
    claims  {"sub": "<customer id>", "exp": <unix seconds>, "iat": <unix seconds>}

Rules: ``alg`` must be HS256 (no ``none``), ``kid`` must be the key the request came with, the
token must not be expired, and it may live at most :data:`MAX_TTL` seconds. The signing secret
is stored as written (a verifier needs it), like a webhook secret; rotating it invalidates every
token signed with the old one.

>>> t = sign("s3cret", "k1", "c1001", ttl=600, now=1_000)
>>> verify(t, lambda kid: "s3cret" if kid == "k1" else None, "k1", now=1_100)
'c1001'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable

from shopgen.core.errors import Unauthorized

MAX_TTL = 24 * 3600  # a token may not claim to live longer than a day
LEEWAY = 60  # seconds of clock skew tolerated on iat / exp
MAX_LEN = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, key_id: str, customer: str, ttl: int = 900, now: float | None = None) -> str:
    """A token for ``customer`` signed with the key's signing secret (what a storefront does)."""
    now = int(time.time() if now is None else now)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": key_id}, separators=(",", ":")).encode())
    claims = _b64(json.dumps({"sub": customer, "iat": now, "exp": now + ttl}, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64(mac)}"


def _bad(why: str) -> Unauthorized:
    return Unauthorized(f"customer token rejected: {why}", {"field": "customer_token"})


def verify(token: str, secret_for: Callable[[str], str | None], key_id: str, now: float | None = None) -> str:
    """The customer id in a valid token; Unauthorized (401) naming what is wrong otherwise.

    ``secret_for(kid)`` returns the signing secret of a key (None when it has none)."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_LEN or token.count(".") != 2:
        raise _bad("not a JWT")
    head_b64, claims_b64, mac_b64 = token.split(".")
    try:
        header = json.loads(_unb64(head_b64))
        claims = json.loads(_unb64(claims_b64))
        mac = _unb64(mac_b64)
    except (ValueError, json.JSONDecodeError):
        raise _bad("not a JWT") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise _bad("not a JWT")
    if header.get("alg") != "HS256":
        raise _bad("alg must be HS256")
    if header.get("kid") != key_id:
        raise _bad("signed for another key")
    secret = secret_for(key_id)
    if not secret:
        raise _bad("this key has no signing secret (create one: shopgen key signing-secret KEY_ID)")
    expected = hmac.new(secret.encode(), f"{head_b64}.{claims_b64}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise _bad("bad signature")
    now = time.time() if now is None else now
    exp, iat, sub = claims.get("exp"), claims.get("iat"), claims.get("sub")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise _bad("exp and iat are required")
    if exp + LEEWAY < now:
        raise _bad("expired")
    if iat - LEEWAY > now or exp - iat > MAX_TTL:
        raise _bad(f"iat in the future or lifetime over {MAX_TTL} s")
    if not isinstance(sub, str) or not 0 < len(sub.strip()) <= 64:
        raise _bad("sub (the customer id) must be 1-64 characters")
    return sub.strip()
