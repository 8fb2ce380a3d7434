"""Roles and permissions: the one table, `require`, legal bases."""

from __future__ import annotations

import pytest

from graphfraud.model.schema import LEGAL_BASES
from graphfraud.security.roles import (
    POLICIES,
    Permission,
    PermissionDenied,
    Role,
    as_role,
    can,
    legal_bases_of,
    may_see,
    permissions_of,
    require,
    require_legal_basis,
    roles_with,
)
from graphfraud.security.users import User

P = Permission
EXPECTED: dict[Role, set[Permission]] = {
    Role.INVESTIGATOR: {P.VIEW_FINDINGS, P.DECIDE_FINDINGS, P.SEARCH_ENTITIES, P.VIEW_PERSONS,
                        P.RUN_LIBRARY_QUERIES, P.RUN_FREE_CYPHER, P.VIEW_AGGREGATES,
                        P.EXPORT, P.VIEW_WPG, P.RUN_DETECT},
    Role.ANALYST: {P.VIEW_FINDINGS, P.SEARCH_ENTITIES, P.VIEW_PERSONS, P.RUN_LIBRARY_QUERIES,
                   P.RUN_FREE_CYPHER, P.VIEW_AGGREGATES, P.EXPORT},
    Role.MANAGER: {P.VIEW_FINDINGS, P.VIEW_AGGREGATES},
    Role.ADMIN: {P.VIEW_AGGREGATES, P.INGEST, P.CHANGE_SETTINGS, P.MANAGE_USERS, P.VIEW_AUDIT,
                 P.RUN_DETECT, P.MANAGE_SERVERS},
}
#: case work (issue #19): only investigators open and work cases; everyone counts them
EXPECTED[Role.INVESTIGATOR] |= {P.VIEW_CASES, P.WORK_CASES, P.VIEW_CASE_COUNTS, P.VIEW_ALERTS}
EXPECTED[Role.ANALYST] |= {P.VIEW_CASE_COUNTS, P.VIEW_ALERTS}
EXPECTED[Role.MANAGER] |= {P.VIEW_CASE_COUNTS}
EXPECTED[Role.ADMIN] |= {P.VIEW_CASE_COUNTS}


def test_purpose_is_required_where_the_table_says() -> None:
    from graphfraud.security.roles import needs_purpose

    assert needs_purpose(Role.INVESTIGATOR, P.RUN_FREE_CYPHER)
    assert needs_purpose(Role.INVESTIGATOR, P.VIEW_WPG)
    assert needs_purpose(Role.ANALYST, P.VIEW_PERSONS)
    assert not needs_purpose(Role.ANALYST, P.RUN_FREE_CYPHER)


def test_every_role_has_one_policy() -> None:
    assert set(POLICIES) == set(Role)
    assert {r.value for r in Role} == {"investigator", "analyst", "manager", "admin"}


@pytest.mark.parametrize("role", list(Role))
def test_role_permissions(role: Role) -> None:
    assert permissions_of(role) == EXPECTED[role]
    for perm in Permission:
        assert can(role, perm) == (perm in EXPECTED[role])
        assert can(role.value, perm.value) == (perm in EXPECTED[role])


def test_only_investigators_and_analysts_open_persons() -> None:
    assert set(roles_with(P.VIEW_PERSONS)) == {Role.INVESTIGATOR, Role.ANALYST}


def test_only_admins_ingest_or_change_settings() -> None:
    assert roles_with(P.INGEST) == [Role.ADMIN]
    assert roles_with(P.CHANGE_SETTINGS) == [Role.ADMIN]
    assert roles_with(P.MANAGE_USERS) == [Role.ADMIN]


def test_free_cypher_only_for_roles_that_may_see_persons() -> None:
    # redaction cannot recognise renamed columns, so free Cypher implies view_persons
    for role in roles_with(P.RUN_FREE_CYPHER):
        assert can(role, P.VIEW_PERSONS)


def test_legal_bases() -> None:
    for policy in POLICIES.values():
        assert policy.legal_bases <= set(LEGAL_BASES)
    assert legal_bases_of(Role.INVESTIGATOR) == set(LEGAL_BASES)
    # Wpg investigation data: investigators only
    assert [r for r in Role if may_see(r, "investigation")] == [Role.INVESTIGATOR]
    assert may_see("analyst", "supervision")
    with pytest.raises(ValueError, match="unknown legal basis"):
        may_see(Role.ANALYST, "gossip")


def test_require_passes_and_denies_with_a_clear_message() -> None:
    require(Role.INVESTIGATOR, P.VIEW_PERSONS)
    require(User("ann", Role.ANALYST), "run_free_cypher")
    with pytest.raises(PermissionDenied) as info:
        require(User("mia", Role.MANAGER), P.VIEW_PERSONS)
    msg = str(info.value)
    assert "'mia'" in msg and "manager" in msg and "view_persons" in msg
    assert "name, birth date and address" in msg
    assert "analyst" in msg and "investigator" in msg
    with pytest.raises(PermissionDenied, match="role 'investigator' may not load data"):
        require("investigator", P.INGEST)
    assert isinstance(PermissionDenied("x"), PermissionError)


def test_require_legal_basis() -> None:
    require_legal_basis(Role.INVESTIGATOR, "investigation")
    with pytest.raises(PermissionDenied, match="may not see investigation data"):
        require_legal_basis(Role.ANALYST, "investigation")


def test_unknown_role_or_permission() -> None:
    with pytest.raises(ValueError, match="unknown role 'root'"):
        as_role("root")
    with pytest.raises(ValueError):
        can(Role.ADMIN, "fly")
