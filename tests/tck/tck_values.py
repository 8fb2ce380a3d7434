"""TCK value semantics: the TCK's expected-value notation and the stores' plain results
turned into one comparable form.

Integers and floats stay distinct (`1` is not `1.0`), nodes compare by labels and
properties, relationships by type and properties, paths by their nodes and directed
relationships; lists keep their order unless the scenario ignores it. Element ids never
take part (the TCK does not know them).
"""

from __future__ import annotations

import math
import re
from typing import Any

Canon = tuple


class TckValueError(ValueError):
    """The expected-value text is not TCK notation."""


# --- the TCK notation -------------------------------------------------------------------

_NUMBER = re.compile(r"-?(?:0x[0-9a-fA-F]+|0o[0-7]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|`[^`]*`")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0

    def error(self, what: str) -> TckValueError:
        return TckValueError(f"{what} at {self.i} in {self.text!r}")

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def peek(self, s: str) -> bool:
        self.ws()
        return self.text.startswith(s, self.i)

    def eat(self, s: str) -> None:
        if not self.peek(s):
            raise self.error(f"expected {s!r}")
        self.i += len(s)

    def name(self) -> str:
        self.ws()
        m = _NAME.match(self.text, self.i)
        if not m:
            raise self.error("expected a name")
        self.i = m.end()
        return m.group(0).strip("`")

    def value(self) -> Canon:
        self.ws()
        t, i = self.text, self.i
        if t.startswith("'", i):
            return ("str", temporal_text(self.string()))
        for word, canon in (("null", ("null",)), ("true", ("bool", True)),
                            ("false", ("bool", False)), ("NaN", ("float", "nan")),
                            ("Infinity", ("float", math.inf)),
                            ("-Infinity", ("float", -math.inf))):
            if t.startswith(word, i) and not t[i + len(word):i + len(word) + 1].isalnum():
                self.i += len(word)
                return canon
        if t.startswith("[", i):
            save = self.i
            self.i += 1
            if self.peek(":"):
                self.i = save
                return self.relationship()
            return self.list_rest()
        if t.startswith("{", i):
            return self.map()
        if t.startswith("(", i):
            return self.node()
        if t.startswith("<", i):
            return self.path()
        m = _NUMBER.match(t, i)
        if m:
            self.i = m.end()
            return number(m.group(0))
        raise self.error("unknown value")

    def string(self) -> str:
        self.i += 1
        out = []
        while self.i < len(self.text):
            ch = self.text[self.i]
            if ch == "\\" and self.i + 1 < len(self.text):
                nxt = self.text[self.i + 1]
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
                self.i += 2
                continue
            if ch == "'":
                self.i += 1
                return "".join(out)
            out.append(ch)
            self.i += 1
        raise self.error("unterminated string")

    def list_rest(self) -> Canon:
        items = []
        if self.peek("]"):
            self.i += 1
            return ("list", ())
        while True:
            items.append(self.value())
            if self.peek(","):
                self.i += 1
                continue
            self.eat("]")
            return ("list", tuple(items))

    def props(self) -> Canon:
        return self.map() if self.peek("{") else ("map", ())

    def map(self) -> Canon:
        self.eat("{")
        items = []
        if self.peek("}"):
            self.i += 1
            return ("map", ())
        while True:
            key = self.name()
            self.eat(":")
            items.append((key, self.value()))
            if self.peek(","):
                self.i += 1
                continue
            self.eat("}")
            return ("map", tuple(sorted(items)))

    def labels(self) -> list[str]:
        out = []
        while self.peek(":"):
            self.i += 1
            out.append(self.name())
        return out

    def node(self) -> Canon:
        self.eat("(")
        labels = self.labels()
        props = self.props()
        self.eat(")")
        return ("node", tuple(sorted(labels)), props)

    def relationship(self) -> Canon:
        self.eat("[")
        types = self.labels()
        props = self.props()
        self.eat("]")
        return ("rel", types[0] if types else "", props)

    def path(self) -> Canon:
        self.eat("<")
        parts: list[Any] = [self.node()]
        while not self.peek(">"):
            if self.peek("<-"):
                self.i += 2
                rel = self.relationship()
                self.eat("-")
                parts.append((rel, "<"))
            else:
                self.eat("-")
                rel = self.relationship()
                self.eat("->")
                parts.append((rel, ">"))
            parts.append(self.node())
        self.eat(">")
        return ("path", tuple(parts))


_TIME = re.compile(r"(?P<pre>(?:-?\d{4,}-\d{2}-\d{2}T)?)(?P<hm>\d{2}:\d{2})(?::(?P<s>\d{2})"
                   r"(?:\.(?P<f>\d{1,9}))?)?(?P<tz>Z|[+-]\d{2}:\d{2}(?::\d{2})?)?"
                   r"(?P<zone>\[[^\]]+\])?")


def temporal_text(text: str) -> str:
    """A time or date-time string in one spelling: seconds always, the fraction without
    trailing zeros (the TCK writes `'10:35'`, Neo4j's driver `10:35:00.000000000`)."""
    m = _TIME.fullmatch(text)
    if not m:
        return text
    frac = (m.group("f") or "").rstrip("0")
    return (f"{m.group('pre')}{m.group('hm')}:{m.group('s') or '00'}"
            f"{'.' + frac if frac else ''}{m.group('tz') or ''}{m.group('zone') or ''}")


def number(text: str) -> Canon:
    neg = text.startswith("-")
    body = text[1:] if neg else text
    if body.startswith(("0x", "0o")):
        value = int(body, 16 if body.startswith("0x") else 8)
        return ("int", -value if neg else value)
    if re.fullmatch(r"\d+", body):
        return ("int", int(text))
    return _float(float(text))


def _float(f: float) -> Canon:
    if math.isnan(f):
        return ("float", "nan")
    if math.isinf(f):
        return ("float", f)
    return ("float", float(f"{f:.12g}"))


def parse_expected(text: str) -> Canon:
    """One cell of a TCK result table."""
    reader = _Reader(text)
    value = reader.value()
    reader.ws()
    if reader.i != len(text):
        raise reader.error("trailing text")
    return value


def parse_param(text: str) -> Any:
    """A TCK parameter value as Python (what the driver sends)."""
    return to_python(parse_expected(text))


def to_python(c: Canon) -> Any:
    kind = c[0]
    if kind == "null":
        return None
    if kind in ("bool", "int", "str"):
        return c[1]
    if kind == "float":
        return math.nan if c[1] == "nan" else c[1]
    if kind == "list":
        return [to_python(x) for x in c[1]]
    if kind == "map":
        return {k: to_python(v) for k, v in c[1]}
    raise TckValueError(f"a {kind} cannot be a parameter")


# --- the stores' plain values -----------------------------------------------------------

_NODE_META = ("_id", "_labels")
_REL_META = ("_id", "_type", "_start", "_end")


def canon(value: Any) -> Canon:
    """A store result value (after `graphfraud.store.values`) in the comparable form."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return ("str", temporal_text(value))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(canon(v) for v in value))
    if isinstance(value, dict):
        if "_labels" in value:
            return ("node", tuple(sorted(value["_labels"])), _props(value, _NODE_META))
        if "_type" in value and "_start" in value:
            return ("rel", value["_type"], _props(value, _REL_META))
        if value.get("_path") is True:
            return _path(value)
        return ("map", tuple(sorted((str(k), canon(v)) for k, v in value.items())))
    return ("str", str(value))


def _props(value: dict[str, Any], meta: tuple[str, ...]) -> Canon:
    return ("map", tuple(sorted((k, canon(v)) for k, v in value.items()
                                if k not in meta and v is not None)))


def _path(value: dict[str, Any]) -> Canon:
    nodes, rels = value.get("nodes", []), value.get("relationships", [])
    parts: list[Any] = [canon(nodes[0])] if nodes else []
    for idx, rel in enumerate(rels):
        forward = str(rel.get("_start")) == str(nodes[idx].get("_id"))
        parts.append((canon(rel), ">" if forward else "<"))
        parts.append(canon(nodes[idx + 1]))
    return ("path", tuple(parts))


def unordered_lists(c: Canon) -> Canon:
    """The same value with every list's elements sorted (for `ignoring element order`)."""
    if c[0] == "list":
        return ("list", tuple(sorted((unordered_lists(x) for x in c[1]), key=repr)))
    if c[0] == "map":
        return ("map", tuple((k, unordered_lists(v)) for k, v in c[1]))
    return c
