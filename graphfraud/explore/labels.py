"""What a person reads on a node: a name in the users' words, never an internal id.

Investigators name things the way the files and the street do: a trader by its name, a
person by name and birth year (only for roles that see persons; a redacted node keeps its
pseudonym), an address as "street number, postcode city", a check as "check RC-… at
outlet X". Internal ids (store ids, `file.csv:` provenance prefixes, address keys
`1234AB|5`) stay in the detail panel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphfraud.model.addresses import address_line

Node = dict[str, Any]

#: What may never be the whole label of a node: store ids, file-prefixed keys, address keys,
#: our own P-/F-/T- ids (used by the browser test and the unit tests).
INTERNAL_ID = re.compile(
    r"^\d+$|\.csv:|^\d{4}\s?[A-Z]{2}\|\S+$|^(?:P|F|T|S|PR|M|L)-[\w-]+$|^agg:")


def _s(node: Node, *props: str) -> str:
    """The first non-empty property among `props`, as text."""
    for p in props:
        v = node.get(p)
        if v not in (None, "", []):
            return str(v)
    return ""


def _plain_id(value: str) -> str:
    """A key without its provenance prefix: `retail_checks.csv:RC-1` -> `RC-1`."""
    return value.rsplit(":", 1)[-1] if ".csv:" in value else value


def _date(v: Any) -> str:
    return str(v)[:10] if v else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p).strip()


def _person(n: Node) -> str:
    name = _s(n, "full_name")
    if not name:
        return ""
    year = _s(n, "birth_date")[:4]
    return f"{name} ({year})" if year.isdigit() else name


def _address(n: Node) -> str:
    return address_line(_s(n, "street"), _s(n, "house_number"), _s(n, "postcode"),
                        _s(n, "city"))


def _check(n: Node) -> str:
    ref = _plain_id(_s(n, "check_id"))
    outlet = _s(n, "outlet_name")
    return _join("check", ref, f"at {outlet}" if outlet else "", _date(n.get("checked_on")))


def _finding(n: Node) -> str:
    title = _s(n, "title")
    if title:
        return title
    kind = _s(n, "kind").replace("_", " ")
    score = n.get("score")
    return _join(kind or "finding", f"(score {float(score):.2f})" if score is not None else "")


_NAMERS: dict[str, Callable[[Node], str]] = {
    "Trader": lambda n: _s(n, "name"),
    "Person": _person,
    "Address": _address,
    "Premise": lambda n: _join(_s(n, "kind").replace("_", " ") or "premise", "premise",
                               _s(n, "excise_number")),
    "Movement": lambda n: _join("movement", _s(n, "arc"), _date(n.get("dispatched_at"))),
    "MovementLine": lambda n: _join(_s(n, "brand"), _s(n, "quantity"), _s(n, "unit"),
                                    "line"),
    "MovementEvent": lambda n: _join(_s(n, "kind") or "event", _date(n.get("validated_at"))),
    "Vehicle": lambda n: _join("vehicle", _s(n, "plate")),
    "Phone": lambda n: _s(n, "e164"),
    "Email": lambda n: _s(n, "email"),
    "Machine": lambda n: _join(_s(n, "manufacturer"), _s(n, "model"),
                               _s(n, "machine_type") or "machine"),
    "Licence": lambda n: _join(_s(n, "kind"), "licence", _s(n, "status")),
    "MachineEvent": lambda n: _join("machine", _s(n, "event"), _date(n.get("at"))),
    "RetailCheck": _check,
    "CheckLine": lambda n: _join(_s(n, "brand") or _s(n, "product"), _s(n, "quantity"),
                                 _s(n, "unit"), _s(n, "classification")),
    "EpsPack": lambda n: _join("pack", _s(n, "brand"), _date(n.get("collected_on"))),
    "Municipality": lambda n: _s(n, "name"),
    "Tip": lambda n: _join("tip", _s(n, "channel"), _date(n.get("received_on"))),
    "Seizure": lambda n: _join("seizure", _s(n, "brand") or _s(n, "product"),
                               _date(n.get("seized_on"))),
    "NameMention": lambda n: f"“{_s(n, 'text')}”" if _s(n, "text") else "",
    "Delivery": lambda n: _join("delivery", _s(n, "path").rsplit("/", 1)[-1]),
    "Finding": _finding,
}


def name_of(node: Node, label: str) -> str:
    """The node's name for people, or "" when its properties say nothing readable (a
    redacted node then shows its pseudonym, see `graph.caption_of`)."""
    namer = _NAMERS.get(label)
    text = namer(node) if namer else ""
    return "" if INTERNAL_ID.search(text or "") else text
