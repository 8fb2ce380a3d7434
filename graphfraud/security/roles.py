"""Who may do what: four roles, their permissions and the legal bases they may see.

Everything is declared in one table, `POLICIES`; the UI, the CLI and the tests read it.
The split follows the team's legal constraints (Wpg Art. 6 authorisation, GDPR data
minimisation):

* investigators work cases: they open persons and see Wpg investigation data;
* analysts explore supervision and register data, persons included, and may run free
  (guarded, read-only) Cypher; they do not see Wpg investigation data;
* managers see aggregates and pseudonymised findings, never a person's name, birth
  date or address;
* admins ingest data, change settings, manage users and read the audit log; they do
  not open persons.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from graphfraud.model.schema import DERIVED, LEGAL_BASES, REGISTER, SUPERVISION


class Role(StrEnum):
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_FINDINGS = "view_findings"
    DECIDE_FINDINGS = "decide_findings"
    SEARCH_ENTITIES = "search_entities"
    VIEW_PERSONS = "view_persons"
    RUN_LIBRARY_QUERIES = "run_library_queries"
    RUN_FREE_CYPHER = "run_free_cypher"
    VIEW_AGGREGATES = "view_aggregates"
    EXPORT = "export"
    INGEST = "ingest"
    CHANGE_SETTINGS = "change_settings"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_WPG = "view_wpg"
    RUN_DETECT = "run_detect"
    MANAGE_SERVERS = "manage_servers"
    VIEW_CASES = "view_cases"  # case work (issue #19)
    WORK_CASES = "work_cases"
    VIEW_CASE_COUNTS = "view_case_counts"
    VIEW_ALERTS = "view_alerts"


#: What each permission lets a user do, in the users' words (for messages and help).
PERMISSION_TEXT: dict[Permission, str] = {
    Permission.VIEW_FINDINGS: "see the detectors' findings",
    Permission.DECIDE_FINDINGS: "confirm or dismiss a finding",
    Permission.SEARCH_ENTITIES: "search traders, addresses, vehicles and other entities",
    Permission.VIEW_PERSONS: "open a person's name, birth date and address",
    Permission.RUN_LIBRARY_QUERIES: "run the documented library queries",
    Permission.RUN_FREE_CYPHER: "run free read-only Cypher",
    Permission.VIEW_AGGREGATES: "see counts and aggregates",
    Permission.EXPORT: "export results",
    Permission.INGEST: "load data into the graph",
    Permission.CHANGE_SETTINGS: "change settings",
    Permission.MANAGE_USERS: "add and remove users",
    Permission.VIEW_AUDIT: "read the audit log",
    Permission.VIEW_WPG: "see investigation (Wpg) data: tips, seizures",
    Permission.RUN_DETECT: "run the detectors and measure them",
    Permission.MANAGE_SERVERS: "start, stop and inspect the graph servers and the UI",
    Permission.VIEW_CASES: "open a case: its findings, notes, views and report",
    Permission.WORK_CASES: "open cases, add notes, change their status, link findings",
    Permission.VIEW_CASE_COUNTS: "see how many cases there are, per status",
    Permission.VIEW_ALERTS: "see one's own alerts and watch entities",
}

P = Permission
ALL_BASES = frozenset(LEGAL_BASES)


@dataclass(frozen=True)
class RolePolicy:
    """A role's permissions and the legal bases of the data it may see."""

    permissions: frozenset[Permission]
    legal_bases: frozenset[str]
    description: str
    #: permissions this role may only use with a stated purpose or case reference
    purpose_for: frozenset[Permission] = frozenset()


#: THE table. Change a role's rights here and nowhere else.
POLICIES: dict[Role, RolePolicy] = {
    Role.INVESTIGATOR: RolePolicy(
        frozenset({P.VIEW_FINDINGS, P.DECIDE_FINDINGS, P.SEARCH_ENTITIES, P.VIEW_PERSONS,
                   P.RUN_LIBRARY_QUERIES, P.RUN_FREE_CYPHER, P.VIEW_AGGREGATES, P.EXPORT,
                   P.VIEW_WPG, P.RUN_DETECT}),
        ALL_BASES,
        "works cases: findings, persons, investigation (Wpg) data with a purpose, exports",
        frozenset({P.VIEW_PERSONS, P.VIEW_WPG, P.RUN_FREE_CYPHER}),
    ),
    Role.ANALYST: RolePolicy(
        frozenset({P.VIEW_FINDINGS, P.SEARCH_ENTITIES, P.VIEW_PERSONS,
                   P.RUN_LIBRARY_QUERIES, P.RUN_FREE_CYPHER, P.VIEW_AGGREGATES, P.EXPORT}),
        frozenset({REGISTER, SUPERVISION, DERIVED}),
        "explores register and supervision data, free read-only Cypher; no Wpg data",
        frozenset({P.VIEW_PERSONS}),
    ),
    Role.MANAGER: RolePolicy(
        frozenset({P.VIEW_FINDINGS, P.VIEW_AGGREGATES}),
        frozenset({REGISTER, SUPERVISION, DERIVED}),
        "aggregates and pseudonymised findings; never a person's name, birth date or address",
    ),
    Role.ADMIN: RolePolicy(
        frozenset({P.VIEW_AGGREGATES, P.INGEST, P.CHANGE_SETTINGS, P.MANAGE_USERS,
                   P.VIEW_AUDIT, P.RUN_DETECT, P.MANAGE_SERVERS}),
        frozenset({REGISTER, SUPERVISION, DERIVED}),
        "loads data, changes settings, manages users, reads the audit log; no persons",
    ),
}

#: What each command line command needs (`group subcommand` for groups). A command
#: missing here is refused for everyone: the CLI test checks the table is complete.
COMMANDS: dict[str, Permission | None] = {
    "login": None, "logout": None, "whoami": None,  # authentication itself
    "generate": P.INGEST, "ingest": P.INGEST, "export-import-csv": P.INGEST,
    "schema": P.CHANGE_SETTINGS, "register-cards": P.CHANGE_SETTINGS,
    "detect": P.RUN_DETECT, "evaluate": P.RUN_DETECT, "demo": P.INGEST,
    "query": P.RUN_LIBRARY_QUERIES, "eps": P.VIEW_AGGREGATES, "ui": P.MANAGE_SERVERS,
    "users add": P.MANAGE_USERS, "users list": P.MANAGE_USERS,
    "users remove": P.MANAGE_USERS,
    "audit verify": P.VIEW_AUDIT, "audit show": P.VIEW_AUDIT,
    "neo4j install": P.MANAGE_SERVERS, "neo4j start": P.MANAGE_SERVERS,
    "neo4j stop": P.MANAGE_SERVERS, "neo4j status": P.MANAGE_SERVERS,
    "embedded start": P.MANAGE_SERVERS, "embedded stop": P.MANAGE_SERVERS,
    "embedded status": P.MANAGE_SERVERS,
}


# --- case work and alerts (issue #19): new rows, folded into the tables above --------
#: Cases are Wpg records: only investigators open and work them; the others count them.
CASE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INVESTIGATOR: frozenset({P.VIEW_CASES, P.WORK_CASES, P.VIEW_CASE_COUNTS,
                                  P.VIEW_ALERTS}),
    Role.ANALYST: frozenset({P.VIEW_CASE_COUNTS, P.VIEW_ALERTS}),
    Role.MANAGER: frozenset({P.VIEW_CASE_COUNTS}),
    Role.ADMIN: frozenset({P.VIEW_CASE_COUNTS}),
}
for _role, _extra in CASE_PERMISSIONS.items():
    POLICIES[_role] = replace(POLICIES[_role],
                              permissions=POLICIES[_role].permissions | _extra)
COMMANDS.update({
    # every role may list: those without view_cases get counts per status
    "case new": P.WORK_CASES, "case list": P.VIEW_AGGREGATES, "case show": P.VIEW_CASES,
    "case note": P.WORK_CASES, "case status": P.WORK_CASES, "case member": P.WORK_CASES,
    "case export": P.VIEW_CASES, "alerts": P.VIEW_ALERTS,
})


class PermissionDenied(PermissionError):
    """The user's role lacks a permission; the message says which and who has it."""


def as_role(value: Any) -> Role:
    """A `Role` from a Role, its name, or anything with a `.role` (a User)."""
    raw = getattr(value, "role", value)
    try:
        return Role(str(raw))
    except ValueError:
        raise ValueError(f"unknown role {raw!r}; known roles: "
                         f"{', '.join(r.value for r in Role)}") from None


def permissions_of(role: Role | str) -> frozenset[Permission]:
    return POLICIES[as_role(role)].permissions


def legal_bases_of(role: Role | str) -> frozenset[str]:
    return POLICIES[as_role(role)].legal_bases


def can(user_or_role: Any, permission: Permission | str) -> bool:
    """Whether the user (or role) has `permission`."""
    return Permission(permission) in POLICIES[as_role(user_or_role)].permissions


def may_see(user_or_role: Any, legal_basis: str) -> bool:
    """Whether the user (or role) may see data under `legal_basis`."""
    if legal_basis not in LEGAL_BASES:
        raise ValueError(f"unknown legal basis {legal_basis!r}; known: {sorted(LEGAL_BASES)}")
    return legal_basis in POLICIES[as_role(user_or_role)].legal_bases


def roles_with(permission: Permission | str) -> list[Role]:
    perm = Permission(permission)
    return [r for r, p in POLICIES.items() if perm in p.permissions]


def require(user: Any, permission: Permission | str) -> None:
    """Raise `PermissionDenied` unless the user (or role) has `permission`."""
    perm = Permission(permission)
    role = as_role(user)
    if perm in POLICIES[role].permissions:
        return
    who = getattr(user, "username", None)
    subject = f"user {who!r} (role {role.value})" if who else f"role {role.value!r}"
    holders = ", ".join(r.value for r in roles_with(perm)) or "no role"
    raise PermissionDenied(
        f"{subject} may not {PERMISSION_TEXT[perm]} (permission {perm.value}); "
        f"roles that may: {holders}")


def needs_purpose(user_or_role: Any, permission: Permission | str) -> bool:
    """Whether the role must state a purpose or case reference to use `permission`."""
    return Permission(permission) in POLICIES[as_role(user_or_role)].purpose_for


def require_legal_basis(user: Any, legal_basis: str) -> None:
    """Raise `PermissionDenied` unless the user (or role) may see `legal_basis` data."""
    if may_see(user, legal_basis):
        return
    role = as_role(user)
    raise PermissionDenied(
        f"role {role.value!r} may not see {legal_basis} data "
        f"({LEGAL_BASES[legal_basis]}); it may see: {', '.join(sorted(legal_bases_of(role)))}")
