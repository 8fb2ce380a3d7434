"""Moved: the Session lives in `graphfraud.security.session`; this name stays for
scripts that import it from here."""

from __future__ import annotations

from graphfraud.security.session import (
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT_S,
    PurposeRequired,
    Session,
    audit_path,
    users_path,
)

__all__ = ["DEFAULT_ROW_CAP", "DEFAULT_TIMEOUT_S", "PurposeRequired", "Session",
           "audit_path", "users_path"]
