"""Engine errors in an analyst's words: what is wrong and where (line and column).

Neo4j reports `{message: … (line 2, column 16 (offset: 32))}` inside a driver dump of
codes and GQL statuses; the embedded engine's parser check says `line 2:16 …`, and its
engine errors name the culprit without a position ("Unknown function 'nosuchfn'",
"'m' not defined"), so the position is found in the query text. Both are 1-based, so
the same mistake is reported at the same place on both stores. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEO4J_MESSAGE = re.compile(r"\{message: (?P<msg>.*?)(?: \(line (?P<line>\d+), column "
                            r"(?P<col>\d+) \(offset: \d+\)\))?\s*(?:\n|\}\s*\{|\}$)", re.S)
_NEO4J_CODE = re.compile(r"neo4j_code: Neo\.\w+\.\w+\.(?P<code>\w+)")
_EMBEDDED_POS = re.compile(r"\[CG\d+\] line (?P<line>\d+):(?P<col>\d+) (?P<msg>[^\n]*)")
_QUOTED = re.compile(r"'([^']+)'|`([^`]+)`")
_SAID_POS = re.compile(r"\s*(?:starting )?at line (\d+), column (\d+)")
_PREFIX = re.compile(r"^(?:\w+ refused the query: )?(?:\w+Error: )?")

KINDS = {"SyntaxError": "Syntax error", "ArithmeticError": "Calculation error",
         "TypeError": "Type error", "SemanticError": "Error in the query",
         "ParameterMissing": "Missing parameter", "EntityNotFound": "Not found"}
_HINTS = (
    (re.compile(r"unknown function", re.I), "check the function's name (Cypher functions "
     "are listed in the Neo4j manual; the embedded store knows fewer)"),
    (re.compile(r"not defined", re.I), "use only variables bound earlier in MATCH, WITH "
     "or UNWIND"),
    (re.compile(r"division by zero|/ by zero", re.I), "guard the divisor, e.g. CASE WHEN "
     "x = 0 THEN null ELSE y / x END"),
    (re.compile(r"string literal|quotes", re.I), "close the string with the same quote "
     "it opened with"),
    (re.compile(r"invalid input|unexpected token", re.I), "check the spelling of the "
     "keyword at that place"),
)


@dataclass(frozen=True)
class PlainError:
    """An engine error as the console shows it."""

    kind: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def text(self) -> str:
        where = f" at line {self.line}, column {self.column}" if self.line else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{self.kind}{where}: {self.message}{hint}"


def _position_of(name: str, query: str) -> tuple[int, int] | None:
    """1-based (line, column) of the first use of `name` as a word in `query`."""
    m = re.search(r"(?<![\w$])" + re.escape(name) + r"(?!\w)", query)
    if not m:
        return None
    before = query[: m.start()]
    return before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1


def _short(msg: str) -> str:
    """A Neo4j 'expected …' list of 30 keywords cut to a few; `{EOF}` in words."""
    msg = re.sub(r"[{<]EOF[}>]", "the end of the query", msg)
    m = re.match(r"(.*?expected )(.*)$", msg, re.S)
    if m:
        options = [o.strip() for o in re.split(r",| or ", m.group(2)) if o.strip()]
        if len(options) > 5:
            return m.group(1) + ", ".join(options[:5]) + " …"
    return msg.strip()


def _hint(msg: str) -> str:
    return next((h for rx, h in _HINTS if rx.search(msg)), "")


def plain_error(raw: str, query: str = "") -> PlainError:
    """The error message `raw` of either store as a `PlainError` for `query`."""
    m = _NEO4J_MESSAGE.search(raw)
    if m and "neo4j_code" in raw:
        code = _NEO4J_CODE.search(raw)
        kind = KINDS.get(code.group("code") if code else "", "The database refused the query")
        msg = _short(m.group("msg"))
        line = int(m.group("line")) if m.group("line") else None
        col = int(m.group("col")) if m.group("col") else None
        if line is None:
            pos = _guess(msg, query)
            line, col = pos if pos else (None, None)
        return PlainError(kind, msg, line, col, _hint(msg))
    m = _EMBEDDED_POS.search(raw)
    if m:
        msg = _short(m.group("msg"))
        return PlainError("Syntax error", msg, int(m.group("line")), int(m.group("col")),
                          _hint(msg))
    msg = _short(_PREFIX.sub("", raw.strip().splitlines()[0] if raw.strip() else raw))
    kind = "Calculation error" if re.search(r"division by zero", msg, re.I) else \
        "Error in the query"
    said = _SAID_POS.search(msg)
    if said:  # the guard's own words: "… at line 2, column 16"
        msg = _SAID_POS.sub("", msg).strip(" ,;:") or msg
        return PlainError("Syntax error" if "literal" in msg or "token" in msg else kind,
                          msg, int(said.group(1)), int(said.group(2)), _hint(msg))
    pos = _guess(msg, query)
    return PlainError(kind, msg, pos[0] if pos else None, pos[1] if pos else None,
                      _hint(msg))


def _guess(msg: str, query: str) -> tuple[int, int] | None:
    """Where the quoted name of an error without a position is used in the query."""
    if not query:
        return None
    for q in _QUOTED.finditer(msg):
        name = q.group(1) or q.group(2)
        pos = _position_of(name, query)
        if pos:
            return pos
    if re.search(r"division by zero|/ by zero", msg, re.I):
        m = re.search(r"/\s*0(?![\d.])", query)
        if m:
            before = query[: m.start()]
            return before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1
    return None
