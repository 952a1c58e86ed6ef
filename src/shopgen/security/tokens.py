"""Random tokens and their stored form. Tokens are high-entropy, so one sha256 is the right
hash: it cannot be brute-forced and keeps a lookup far under a millisecond."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
