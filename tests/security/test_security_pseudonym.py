"""Pseudonyms and redaction: managers never see a person's name, birth date or address."""

from __future__ import annotations

import json
import os
import random
import stat
from pathlib import Path
from typing import Any

import pytest

from graphfraud.security.pseudonym import (
    load_or_create_secret,
    looks_personal,
    pseudonymise,
    redact_for_role,
)

SECRET = b"0123456789abcdef0123456789abcdef"


def person(pid: str = "PER:1", name: str = "Jan de Vries", born: str = "1971-03-02") -> dict:
    return {"_id": "4:x:1", "_labels": ["Person"], "person_id": pid, "full_name": name,
            "birth_date": born, "nationality": "NL", "legal_bases": ["register"]}


def address(key: str = "5911AB|12") -> dict:
    return {"_id": "4:x:2", "_labels": ["Address"], "address_key": key, "street": "Kerkstraat",
            "house_number": "12", "postcode": "5911AB", "city": "Venlo", "country": "NL",
            "lat": 51.37, "lon": 6.17, "legal_bases": ["register"]}


def test_pseudonym_shape_and_determinism() -> None:
    p = pseudonymise("PER:1", SECRET)
    assert p.startswith("P-") and len(p) == 12
    int(p[2:], 16)
    assert p == pseudonymise("PER:1", SECRET)
    assert p == pseudonymise("PER:1", SECRET.decode())
    assert p != pseudonymise("PER:2", SECRET)


def test_different_secrets_differ() -> None:
    assert pseudonymise("PER:1", SECRET) != pseudonymise("PER:1", b"another secret of 32 bytes long")


def test_empty_secret_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        pseudonymise("x", b"")


def test_secret_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "pseudonym.key"
    s1 = load_or_create_secret(path)
    assert len(s1) >= 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_secret(path) == s1
    (tmp_path / "short").write_bytes(b"abc")
    with pytest.raises(ValueError, match="too short"):
        load_or_create_secret(tmp_path / "short")


def test_manager_sees_person_as_pseudonym() -> None:
    rows = [{"p": person(), "a": address(), "t.name": "Tabak BV"}]
    out = redact_for_role(rows, "manager", SECRET)
    assert out[0]["p"] == {"_labels": ["Person"], "_id": "4:x:1",
                           "pseudonym": pseudonymise("PER:1", SECRET)}
    a = out[0]["a"]
    assert a["city"] == "Venlo" and a["country"] == "NL"
    for gone in ("street", "house_number", "postcode", "address_key", "lat", "lon"):
        assert gone not in a
    assert a["pseudonym"] == pseudonymise("5911AB|12", SECRET)
    assert out[0]["t.name"] == "Tabak BV"


def test_investigator_and_analyst_see_persons() -> None:
    rows = [{"p": person(), "a": address()}]
    assert redact_for_role(rows, "investigator", SECRET) == rows
    assert redact_for_role(rows, "analyst", SECRET) == rows


def test_personal_columns_dropped_or_pseudonymised() -> None:
    rows = [{"full_name": "Jan de Vries", "p.birth_date": "1971-03-02", "street": "Kerkstraat",
             "postcode": "5911AB", "house_number": "12", "person_id": "PER:1",
             "address_key": "5911AB|12", "persons": ["PER:1", "PER:2"], "city": "Venlo",
             "person_count": 3, "fullName": "J. de Vries", "n": 5,
             "info": {"birth_date": "1971-03-02", "kind": "x"}}]
    out = redact_for_role(rows, "manager", SECRET)[0]
    assert out == {
        "person_id": pseudonymise("PER:1", SECRET),
        "address_key": pseudonymise("5911AB|12", SECRET),
        "persons": [pseudonymise("PER:1", SECRET), pseudonymise("PER:2", SECRET)],
        "city": "Venlo", "person_count": 3, "n": 5, "info": {"kind": "x"},
    }


def test_paths_relationships_and_tips() -> None:
    rel = {"_id": "r1", "_type": "LIVES_AT", "_start": "4:x:1", "_end": "4:x:2",
           "legal_bases": ["register"]}
    tip = {"_id": "t1", "_labels": ["Tip"], "tip_id": "TIP-1", "text": "Jan de Vries at no. 12",
           "mentioned_name": "Jan de Vries", "legal_bases": ["investigation"]}
    path = {"_path": True, "nodes": [person(), address()], "relationships": [rel]}
    out = redact_for_role([{"path": path, "tip": tip}], "manager", SECRET)[0]
    assert out["path"]["relationships"] == [rel]
    assert out["path"]["nodes"][0]["pseudonym"].startswith("P-")
    # managers may not see Wpg data at all
    assert out["tip"]["_labels"] == ["Withheld"] and "text" not in out["tip"]


def test_legal_basis_withheld_for_analysts_but_not_investigators() -> None:
    seizure = {"_id": "s1", "_labels": ["Seizure"], "seizure_id": "S-1",
               "legal_bases": ["investigation"]}
    both = {**address(), "legal_bases": ["register", "investigation"]}
    rows = [{"s": seizure, "a": both}]
    assert redact_for_role(rows, "investigator", SECRET) == rows
    out = redact_for_role(rows, "analyst", SECRET)[0]
    assert out["s"] == {"_id": "s1", "_labels": ["Withheld"],
                        "withheld": "investigation data is not visible to this role"}
    assert out["a"] == both  # also known from the register


def test_tip_withheld_by_its_label_even_without_provenance() -> None:
    """Per value: a Tip is investigation (Wpg) data by what it is, so a node that lacks
    (or forges) its `legal_basis` is still withheld from roles that may not see it."""
    tip = {"_id": "t1", "_labels": ["Tip"], "tip_id": "TIP-1", "text": "Jan",
           "mentioned_name": "Jan", "received_on": "2024-01-01", "legal_basis": "register"}
    for role in ("admin", "analyst", "manager"):
        out = redact_for_role([tip], role, SECRET)[0]
        assert out == {"_id": "t1", "_labels": ["Withheld"],
                       "withheld": "investigation data is not visible to this role"}
    rel = {"_id": "r1", "_type": "MENTIONS", "_start": "t1", "_end": "a1"}
    assert redact_for_role([rel], "analyst", SECRET)[0]["_type"] == "WITHHELD"
    assert redact_for_role([tip], "investigator", SECRET)[0]["text"] == "Jan"


def test_looks_personal() -> None:
    for name in ("full_name", "p.full_name", "fullName", "birth_date", "dob", "person",
                 "street", "house_number", "postcode", "address_key", "email", "bsn"):
        assert looks_personal(name), name
    for name in ("name", "city", "kvk_number", "score", "kind", "created_on", "count"):
        assert not looks_personal(name), name


# --- property-based over random rows (seeded, no extra dependency) -------------------

FIRST = ["Jan", "Fatima", "Mehmet", "Anouk", "Pieter", "Yasmina", "Kees", "Ilse"]
LAST = ["de Vries", "Bakker", "Yilmaz", "El Amrani", "Jansen", "van Dijk", "Visser"]
STREETS = ["Kerkstraat", "Industrieweg", "Dorpsstraat", "Havenkade", "Molenweg"]


def _random_value(rng: random.Random, secrets_out: list[str], depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 4)
    if kind == 0:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(10**6)}"
        born = f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}"
        secrets_out += [name, born]
        return person(f"PER:{rng.randrange(10**6)}", name, born)
    if kind == 1:
        street = f"{rng.choice(STREETS)}{rng.randrange(10**6)}"
        postcode = f"{rng.randrange(1000, 9999)}Z{rng.choice('ABCDEFGH')}"
        secrets_out += [street, postcode]
        a = address(f"{postcode}|{rng.randrange(1, 300)}")
        return {**a, "street": street, "postcode": postcode}
    if kind == 2:
        return rng.choice(["Venlo", "Tabak BV", 3, 4.5, None, True])
    if kind == 3:
        col = rng.choice(["full_name", "birth_date", "street", "postcode", "p.full_name"])
        value = f"secret-{col}-{rng.randrange(10**9)}"
        secrets_out.append(value)
        return {col: value}
    if kind == 4:
        return [_random_value(rng, secrets_out, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 5:
        return {"_path": True,
                "nodes": [_random_value(rng, secrets_out, 3) for _ in range(2)],
                "relationships": []}
    return {f"c{i}": _random_value(rng, secrets_out, depth + 1) for i in range(rng.randrange(4))}


@pytest.mark.parametrize("seed", range(40))
def test_manager_rows_never_contain_personal_values(seed: int) -> None:
    rng = random.Random(seed)
    hidden: list[str] = []
    rows = [{f"col{i}": _random_value(rng, hidden) for i in range(rng.randrange(1, 6))}
            for _ in range(rng.randrange(1, 8))]
    before = json.dumps(rows, sort_keys=True)
    for role in ("manager", "admin"):
        out = redact_for_role(rows, role, SECRET)
        text = json.dumps(out, sort_keys=True)
        for value in hidden:
            assert value not in text, (role, value)
        assert out == redact_for_role(rows, role, SECRET)  # deterministic
    assert json.dumps(rows, sort_keys=True) == before  # input untouched
