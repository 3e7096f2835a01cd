"""Authentication: any well-formed personal token is an account of its own.

A few public ids follow sandbox conventions (docs/sandbox.md) so that
clients can meet every auth failure offline: ``expired`` and ``revoked`` are
refused, ``readonly...`` lacks the write scope, and ``deleted...`` is the
token of a user who no longer exists (``GET /auth/me`` answers 404 for it, as
the docs say; every other route 401).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from jobdraft.sandbox.web import ApiError, Request

_TOKEN = re.compile(r"ot_pat_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{1,256})")
_DEAD_TOKENS = {"expired": "The token has expired.", "revoked": "The token has been revoked."}
_READ_ONLY_PREFIX = "readonly"
_DELETED_USER_PREFIX = "deleted"
USER_GONE = "The token's user no longer exists."
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Account:
    id: str  # the store's key: a digest of the whole token
    public_id: str
    scopes: tuple[str, ...]
    user_deleted: bool = False


def authenticate(request: Request, *, allow_deleted_user: bool = False) -> Account:
    """The account of the request's bearer token; a 401 otherwise.

    A token whose user was deleted is a 401 too, unless the caller answers it
    itself (``GET /auth/me`` says 404)."""
    header = request.header("authorization")
    if not header:
        raise ApiError(401, "Missing bearer token.", headers=_CHALLENGE)
    found = _account_for(header)
    if isinstance(found, str):
        raise ApiError(401, found, headers=_CHALLENGE)
    if found.user_deleted and not allow_deleted_user:
        raise ApiError(401, USER_GONE, headers=_CHALLENGE)
    return found


@functools.lru_cache(maxsize=4096)
def _account_for(header: str) -> Account | str:
    """The account of an Authorization header, or why it is refused.

    Cached: a client sends the same header on every request, and hashing it
    each time is a measurable share of a PATCH."""
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    match = _TOKEN.fullmatch(token) if scheme.lower() == "bearer" else None
    if match is None:
        return "Malformed token: expected 'Authorization: Bearer ot_pat_<id>_<secret>'."
    public_id = match.group(1)
    if public_id in _DEAD_TOKENS:
        return _DEAD_TOKENS[public_id]
    scopes: tuple[str, ...] = ("jobs:read", "jobs:write")
    if public_id.startswith(_READ_ONLY_PREFIX):
        scopes = ("jobs:read",)
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    deleted = public_id.startswith(_DELETED_USER_PREFIX)
    return Account(id=digest, public_id=public_id, scopes=scopes, user_deleted=deleted)


def require_scope(account: Account, scope: str) -> None:
    if scope not in account.scopes:
        raise ApiError(
            403,
            f"This token lacks the {scope} scope.",
            {"requiredScope": scope, "scopes": list(account.scopes)},
        )
