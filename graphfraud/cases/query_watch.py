"""Watching a saved query, as pure functions: the watch's definition, the key of a
result row, and the alerts of the rows that are new since the last result.

A row is keyed by its values, with every node by its label and model key (a Trader as
`Trader:KVK:12345678`) and every link by its type and id, never by the whole property
map: a later delivery adds to a node's provenance (`deliveries`, `sources`) and that
must not make an old row look new. Rows are compared as sets, so a query whose order
changes raises nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from graphfraud.cases.alerts import Alert
from graphfraud.cases.model import CaseError

#: the label a query watch carries in place of an entity's (`Watch.target_label`)
QUERY_LABEL = "Query"
KINDS = ("library", "cypher")
#: how much of a row an alert's detail spells out
DETAIL_CHARS = 300


@dataclass
class QueryWatch:
    """A user's watch on a library query (by name) or on their own read-only Cypher,
    with the purpose they stated (the query runs again with it) and the keys of the
    rows of its last result."""

    username: str
    kind: str  # library | cypher
    name: str  # the library query's name, or the user's name for their Cypher
    text: str = ""  # the Cypher (kind "cypher")
    params: dict[str, Any] = field(default_factory=dict)
    purpose: str = ""
    case_ref: str = ""
    last: list[str] = field(default_factory=list)
    last_checked: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise CaseError(f"a query watch is on a library query or on Cypher, not {self.kind!r}")
        if not self.name.strip() or (self.kind == "cypher" and not self.text.strip()):
            raise CaseError("a query watch needs a query name (and, for Cypher, its text)")

    @property
    def watch_id(self) -> str:
        """The same query with the same parameters is one watch per user."""
        return _hash(self.username, QUERY_LABEL, self.kind, self.name, self.text.strip(),
                     json.dumps(self.params, sort_keys=True, default=str))

    @property
    def subject(self) -> str:
        return f"{QUERY_LABEL}:{self.name}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, username: str, text: str) -> QueryWatch:
        data = json.loads(text or "{}")
        data["username"] = username
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _hash(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:20]


def _value(v: Any) -> Any:
    """A value as it counts for comparing rows: nodes by label and key, links by type
    and id, lists and maps item by item."""
    from graphfraud.explore.graph import key_of, label_of

    if isinstance(v, dict) and "_labels" in v:
        key = key_of(v)
        return f"{label_of(v)}:{key if key is not None else '#' + str(v.get('_id'))}"
    if isinstance(v, dict) and "_type" in v:
        return f"{v['_type']}#{v.get('_id')}"
    if isinstance(v, dict):
        return {str(k): _value(x) for k, x in sorted(v.items())}
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    return v


def row_text(row: dict[str, Any], columns: list[str] | None = None) -> str:
    """`col=value; …` with nodes as `Label:key`: an alert's detail and the row's key."""
    cols = columns or sorted(row)
    parts = []
    for c in cols:
        v = _value(row.get(c))
        parts.append(f"{c}={v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)}")
    return "; ".join(parts)


def row_keys(rows: list[dict[str, Any]], columns: list[str] | None = None) -> list[str]:
    """The distinct keys of a result's rows, in the result's order."""
    return list(dict.fromkeys(row_text(r, columns) for r in rows))


def new_rows(watch: QueryWatch, keys: list[str]) -> list[str]:
    """The keys of this result that the last one did not hold."""
    seen = set(watch.last)
    return [k for k in keys if k not in seen]


def query_row_alerts(watch: QueryWatch, keys: list[str], run_id: str = "",
                     delivery: str = "") -> list[Alert]:
    """One `query_row` alert per new row, for the watch's user; the detail names the
    row's entities (`Label:key`) so the alert links to them."""
    out = []
    for k in new_rows(watch, keys):
        detail = k if len(k) <= DETAIL_CHARS else k[:DETAIL_CHARS - 1] + "…"
        out.append(Alert(watch.username, "query_row", watch.subject, detail, run_id, delivery))
    return out


def entity_refs(detail: str) -> list[tuple[str, str]]:
    """The `(label, key)` pairs an alert's detail names (`Trader:KVK:1; …`), for links
    from the alerts page to the explorer."""
    from graphfraud.explore.graph import KEY_OF

    out = []
    for part in detail.split("; "):
        value = part.partition("=")[2] if "=" in part.split(":")[0] else part
        label, sep, key = value.strip().rsplit(" ", 1)[-1].partition(":")
        if sep and label in KEY_OF and key and not key.startswith("#"):
            out.append((label, key))
    return list(dict.fromkeys(out))
