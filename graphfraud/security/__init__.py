"""GraphFraud's security core: the read-only guard for free Cypher, the classification
check (no withheld label or property), roles and permissions (per command too),
pseudonyms, local users, logins, and the keyed, anchored audit log.

Every page and command goes through one `graphfraud.security.session.Session`, which
wires them together (imported from there: it needs the store seam).
"""

from __future__ import annotations

from graphfraud.security.audit import ACTIONS, AuditError, AuditLog, VerifyResult
from graphfraud.security.audit import prune as prune_audit
from graphfraud.security.audit import read as read_audit
from graphfraud.security.audit import verify as verify_audit
from graphfraud.security.guard import (
    ALLOWED_PROCEDURES,
    GuardVerdict,
    QueryRefused,
    assert_read_only,
    check_read_only,
)
from graphfraud.security.pseudonym import (
    load_or_create_secret,
    looks_personal,
    pseudonymise,
    redact_for_role,
)
from graphfraud.security.roles import (
    POLICIES,
    Permission,
    PermissionDenied,
    Role,
    can,
    may_see,
    require,
    require_legal_basis,
)
from graphfraud.security.users import (
    User,
    UserFileError,
    add_user,
    list_users,
    remove_user,
    user_from_proxy_header,
)
from graphfraud.security.users import verify as verify_password

__all__ = [
    "ACTIONS", "ALLOWED_PROCEDURES", "POLICIES", "AuditError", "AuditLog", "GuardVerdict",
    "Permission", "PermissionDenied", "QueryRefused", "Role", "User", "UserFileError",
    "VerifyResult", "add_user", "assert_read_only", "can", "check_read_only", "list_users",
    "load_or_create_secret", "looks_personal", "may_see", "prune_audit", "pseudonymise",
    "read_audit", "redact_for_role", "remove_user", "require", "require_legal_basis",
    "user_from_proxy_header", "verify_audit", "verify_password",
]
