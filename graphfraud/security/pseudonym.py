"""Pseudonyms and per-role redaction of result rows.

Managers and admins may not see who a person is (they lack `view_persons`); they see a
pseudonym instead: `P-` and 10 hex characters of an HMAC-SHA256 of the key under a
per-installation secret. Without the secret nobody can recompute or reverse it; with it
the same person always gets the same pseudonym, so counts and networks still add up.

`redact_for_role` walks result rows shaped as `graphfraud.store.values` makes them (node
dicts with `_labels`, relationship dicts with `_type`, paths with `_path`, plus plain
columns, maps and lists) and returns redacted copies:

* for every role, nodes and relationships whose legal bases (`legal_bases`, or
  `legal_basis`) the role may not see are withheld (`{"_id", "_labels": ["Withheld"],
  "withheld": ...}`);
* for roles without `view_persons`:
  - a Person node becomes `{"_labels": ["Person"], "_id", "pseudonym"}`;
  - Address, Phone and Email nodes lose the street, house number, postcode, address key,
    coordinates, number and e-mail (city and country stay) and get a pseudonym;
  - every property the schema marks `personal` (and a few more, `EXTRA_PERSONAL`) is
    dropped;
  - every column, map key or property whose name looks personal (`looks_personal`) is
    dropped, or pseudonymised when it is an identifier (`person_id`, `address_key`).

Limit: a column renamed to something innocent in free Cypher (`RETURN p.full_name AS x`)
cannot be recognised; that is why roles without `view_persons` do not get free Cypher.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphfraud.model.schema import (
    CLASS_INVESTIGATION,
    INVESTIGATION,
    NODE_TYPES,
    REL_TYPES,
    property_classes,
)
from graphfraud.security.roles import Permission, Role, as_role, can, legal_bases_of

#: label -> properties of the investigation (Wpg) class, dropped for roles without Wpg
WPG_PROPERTIES: dict[str, frozenset[str]] = {}
for (_label, _prop), _pc in property_classes().items():
    if _pc.cls == CLASS_INVESTIGATION:
        WPG_PROPERTIES[_label] = WPG_PROPERTIES.get(_label, frozenset()) | {_prop}

#: label or relationship type -> the legal basis the model holds it under
_BASIS_OF: dict[str, str] = {nt.label: nt.legal_basis for nt in NODE_TYPES} | {
    rt.type: rt.legal_basis for rt in REL_TYPES}

PSEUDONYM_PREFIX = "P-"
PSEUDONYM_HEX = 10

#: Personal properties the schema does not (yet) mark `personal`, per label.
EXTRA_PERSONAL: dict[str, tuple[str, ...]] = {
    "Tip": ("mentioned_name",),
    "NameMention": ("text", "text_norm"),
    "Movement": ("delivery_place",),  # a free-text delivery address
}
#: Properties dropped from these nodes for roles without `view_persons`, and the key
#: the node's pseudonym is made from.
LOCATOR_NODES: dict[str, tuple[tuple[str, ...], str]] = {
    "Address": (("street", "house_number", "postcode", "address_key", "lat", "lon"),
                "address_key"),
    "Phone": (("e164",), "e164"),
    "Email": (("email",), "email"),
}
#: Personal properties per label: the schema's `personal` plus `EXTRA_PERSONAL`.
PERSONAL_PROPERTIES: dict[str, frozenset[str]] = {
    nt.label: frozenset(nt.personal) | frozenset(EXTRA_PERSONAL.get(nt.label, ()))
    for nt in NODE_TYPES
}

# Name fragments (compared with `_` and case removed) that make a column personal.
_PERSONAL_FRAGMENTS = (
    "fullname", "firstname", "lastname", "surname", "familyname", "givenname", "birth",
    "person", "street", "housenumber", "postcode", "postalcode", "zipcode", "address",
    "mentionedname", "phone", "e164", "email", "deliveryplace", "nationality",
)
_PERSONAL_WORDS = frozenset({"dob", "bsn", "zip"})
# Of those, the ones that are identifiers: pseudonymised rather than dropped.
_IDENTIFIER_NAMES = frozenset({
    "person", "personid", "personkey", "persons", "personids", "addresskey", "address",
    "addresskeys", "e164", "phone", "email",
})
_AGGREGATE = re.compile(r"(count|total|number_of|^n_|^num_|_n$)")


def withheld_basis(names: Iterable[str], role: Role | str) -> str | None:
    """The legal basis, if any, under which these labels or relationship types are
    held that `role` may not see (e.g. "investigation" for a Tip for an analyst)."""
    hidden = sorted({_BASIS_OF[n] for n in names if n in _BASIS_OF} - legal_bases_of(role))
    return "/".join(hidden) or None


def pseudonymise(value: Any, secret: bytes | str) -> str:
    """`P-` + 10 hex characters of HMAC-SHA256(secret, value): stable, not reversible."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not key:
        raise ValueError("the pseudonym secret is empty; load it with load_or_create_secret")
    digest = hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]


def load_or_create_secret(path: str | os.PathLike[str]) -> bytes:
    """The installation's pseudonym secret: 32 random bytes kept in a 0600 file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        p.parent.mkdir(parents=True, exist_ok=True)
        data = secrets.token_hex(32).encode("ascii")
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return load_or_create_secret(p)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    secret = data.strip()
    if len(secret) < 32:
        raise ValueError(f"pseudonym secret in {p} is too short ({len(secret)} bytes); "
                         "delete the file to make a new one (pseudonyms will change)")
    return secret


def looks_personal(name: str) -> bool:
    """Whether a column, map key or property name suggests personal data."""
    words = _words(name)
    compact = "".join(words)
    return (any(f in compact for f in _PERSONAL_FRAGMENTS)
            or any(w in _PERSONAL_WORDS for w in words))


def _words(name: str) -> list[str]:
    name = name.rsplit(".", 1)[-1]  # `p.full_name` -> `full_name`
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)  # fullName -> full_Name
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def _is_identifier(name: str) -> bool:
    return "".join(_words(name)) in _IDENTIFIER_NAMES


def _is_aggregate(name: str, value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and bool(_AGGREGATE.search("_".join(_words(name)))))


def redact_for_role(rows: Iterable[Any], role: Role | str, secret: bytes | str,
                    ) -> list[Any]:
    """Redacted copies of `rows` for `role` (see the module docstring); deterministic."""
    r = _Redactor(as_role(role), secret)
    return [r.value(row) for row in rows]


class _Redactor:
    def __init__(self, role: Role, secret: bytes | str) -> None:
        self.hide_persons = not can(role, Permission.VIEW_PERSONS)
        self.bases = legal_bases_of(role)
        self.hide_wpg = INVESTIGATION not in self.bases
        self.secret = secret

    def value(self, v: Any) -> Any:
        if isinstance(v, dict):
            if "_labels" in v:
                return self.node(v)
            if "_type" in v and "_start" in v:
                return self.relationship(v)
            if v.get("_path") is True:
                return {**{k: x for k, x in v.items() if k not in ("nodes", "relationships")},
                        "nodes": [self.value(n) for n in v.get("nodes", [])],
                        "relationships": [self.value(x) for x in v.get("relationships", [])]}
            return self.mapping(v)
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        return v

    def _withheld(self, v: dict[str, Any]) -> str | None:
        # the model's basis of the label or type first: a node without its provenance
        # property (or with a forged one) is still withheld by what it is
        names = [str(x) for x in v.get("_labels") or []] + ([str(v["_type"])]
                                                           if v.get("_type") else [])
        by_model = sorted({_BASIS_OF[n] for n in names if n in _BASIS_OF} - self.bases)
        if by_model:
            return "/".join(by_model)  # as `withheld_basis`, with the role's bases at hand
        raw = v.get("legal_bases", v.get("legal_basis"))
        if raw is None:
            return None
        bases = [raw] if isinstance(raw, str) else [str(b) for b in raw]
        if not bases or any(b in self.bases for b in bases):
            return None
        return "/".join(sorted(set(bases)))

    def node(self, v: dict[str, Any]) -> dict[str, Any]:
        basis = self._withheld(v)
        if basis:
            return {"_id": v.get("_id"), "_labels": ["Withheld"],
                    "withheld": f"{basis} data is not visible to this role"}
        labels = [str(label) for label in v.get("_labels", [])]
        if self.hide_wpg:
            wpg = frozenset().union(*(WPG_PROPERTIES.get(lb, frozenset()) for lb in labels))
            v = {k: x for k, x in v.items() if k not in wpg}
        if not self.hide_persons:
            return {k: self.value(x) for k, x in v.items()}
        if "Person" in labels:
            key = v.get("person_id", v.get("_id"))
            return {"_labels": ["Person"], "_id": v.get("_id"),
                    "pseudonym": pseudonymise(key, self.secret)}
        drop: set[str] = set()
        pseudonym_of: str | None = None
        for label in labels:
            drop |= PERSONAL_PROPERTIES.get(label, frozenset())
            if label in LOCATOR_NODES:
                props, key_prop = LOCATOR_NODES[label]
                drop |= set(props)
                pseudonym_of = pseudonym_of or key_prop
        out: dict[str, Any] = {}
        for k, x in v.items():
            if k in ("_id", "_labels"):
                out[k] = x
            elif k not in drop:
                self._put(out, k, x)
        if pseudonym_of and v.get(pseudonym_of) is not None:
            out["pseudonym"] = pseudonymise(v[pseudonym_of], self.secret)
        return out

    def relationship(self, v: dict[str, Any]) -> dict[str, Any]:
        basis = self._withheld(v)
        if basis:
            return {"_id": v.get("_id"), "_type": "WITHHELD", "_start": v.get("_start"),
                    "_end": v.get("_end"), "withheld": f"{basis} data is not visible to this role"}
        if not self.hide_persons:
            return {k: self.value(x) for k, x in v.items()}
        out: dict[str, Any] = {}
        for k, x in v.items():
            if k in ("_id", "_type", "_start", "_end"):
                out[k] = x
            else:
                self._put(out, k, x)
        return out

    def mapping(self, v: dict[str, Any]) -> dict[str, Any]:
        if not self.hide_persons:
            return {k: self.value(x) for k, x in v.items()}
        out: dict[str, Any] = {}
        for k, x in v.items():
            self._put(out, str(k), x)
        return out

    def _put(self, out: dict[str, Any], key: str, x: Any) -> None:
        """Copy `key` unless it looks personal; identifiers become pseudonyms."""
        if not looks_personal(key) or _is_aggregate(key, x):
            out[key] = self.value(x)
            return
        kept = self._personal(x, _is_identifier(key))
        if kept is not _DROP:
            out[key] = kept

    def _personal(self, x: Any, identifier: bool) -> Any:
        """The value of a personal-looking key: graph elements are walked, identifiers
        pseudonymised, anything else dropped."""
        if isinstance(x, dict) and ("_labels" in x or "_type" in x or x.get("_path") is True):
            return self.value(x)
        if isinstance(x, (list, tuple)):
            items = [self._personal(i, identifier) for i in x]
            return [i for i in items if i is not _DROP]
        if identifier and isinstance(x, (str, int)) and not isinstance(x, bool):
            return pseudonymise(x, self.secret)
        return _DROP


_DROP = object()
