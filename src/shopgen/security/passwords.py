"""Password hashing with argon2id (``argon2-cffi``'s maintained defaults, RFC 9106 low-memory).

>>> h = hash_password("correct horse")
>>> verify_password(h, "correct horse"), verify_password(h, "wrong")
(True, False)
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shopgen.core.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_LENGTH = 8
# A hash of a random password: verified against when the user does not exist, so a login for
# an unknown name costs the same time as one with a wrong password (no user enumeration).
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"密码：至少 {MIN_LENGTH} 个字符", {"field": "password"})
    if len(password) > 256:
        raise InvalidInput("密码：最多 256 个字符", {"field": "password"})


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random password to hand out once (about 96 bits)."""
    return secrets.token_urlsafe(12)
