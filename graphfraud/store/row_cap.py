"""The row cap goes into the query as a `LIMIT`, so the engine stops producing rows.

Cutting after fetching let `UNWIND range(1, 10000000) AS x RETURN x` build ten million
rows on the server and 2.9 GB in the client to show 1,000 of them. Here the last
top-level `RETURN` of each part of the statement (each `UNION` branch) gets
`LIMIT cap + 1` (the extra row tells the store the result was cut), or its own literal
`LIMIT` lowered to that. A statement this cannot rewrite safely (no top-level RETURN,
such as `CALL db.labels()`, or a `LIMIT` computed from an expression) is left as it is;
the store still fetches at most `cap + 1` rows of it.

The lexer is a small one of its own (the store sits below the security layer's guard):
comments, strings and backticked names are skipped, brackets are counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n\r]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9][0-9_]*)
  | (?P<symbol>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    depth: int


def _tokens(text: str) -> list[_Tok] | None:
    """Tokens with their bracket depth, or None when the text does not lex cleanly."""
    out: list[_Tok] = []
    depth = 0
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or (m.lastgroup == "symbol" and (
                m.group() in "'\"`" or text.startswith("/*", pos))):
            return None  # an unterminated string, name or comment: leave the text alone
        kind, value = m.lastgroup or "symbol", m.group()
        pos = m.end()
        if kind in ("space", "comment"):
            continue
        if kind == "symbol" and value in ")]}":
            depth -= 1
        out.append(_Tok(kind, value, m.start(), m.end(), depth))
        if kind == "symbol" and value in "([{":
            depth += 1
    return out if depth == 0 else None


def cap_rows(text: str, row_cap: int | None) -> str:
    """`text` with each top-level result limited to `row_cap + 1` rows."""
    if row_cap is None or row_cap < 0:
        return text
    tokens = _tokens(text)
    if not tokens:
        return text
    limit = row_cap + 1
    # Each UNION branch ends where the next UNION starts (or at the end / a final ';').
    ends = [t.start for t in tokens if t.depth == 0 and t.kind == "word"
            and t.text.upper() == "UNION"]
    stop = tokens[-1].start if tokens[-1].text == ";" and tokens[-1].kind == "symbol" \
        else len(text)
    ends.append(stop)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    begin = 0
    for end in ends:
        branch = [t for t in tokens if begin <= t.start < end and t.depth == 0]
        edit = _branch_edit(branch, end, limit)
        if edit is None:
            return text  # one branch we cannot cap: leave the whole statement alone
        if edit[2]:
            edits.append(edit)
        begin = end
    for start, finish, replacement in reversed(edits):
        text = text[:start] + replacement + text[finish:]
    return text


def _branch_edit(branch: list[_Tok], end: int, limit: int) -> tuple[int, int, str] | None:
    """The edit that caps one branch; ("", no-op) when its own LIMIT is low enough."""
    words = [i for i, t in enumerate(branch) if t.kind == "word"]
    returns = [i for i in words if branch[i].text.upper() == "RETURN"
               and not _is_key(branch, i)]
    if not returns:
        return None
    after = branch[returns[-1] + 1:]
    limits = [i for i, t in enumerate(after) if t.kind == "word" and t.text.upper() == "LIMIT"
              and not _is_key(after, i)]
    if not limits:
        return end, end, f"\nLIMIT {limit}\n"
    rest = after[limits[-1] + 1:]
    if len(rest) == 1 and rest[0].kind == "number":
        if int(rest[0].text.replace("_", "")) <= limit:
            return 0, 0, ""
        return rest[0].start, rest[0].end, str(limit)
    return None


def _is_key(tokens: list[_Tok], idx: int) -> bool:
    """A word right after `.`, `$` or `:` is a property, parameter or label name."""
    return idx > 0 and tokens[idx - 1].kind == "symbol" and tokens[idx - 1].text in ".$:" \
        and tokens[idx - 1].end == tokens[idx].start
