"""A second wall in front of free Cypher: refuse anything that is not a plain read.

The store already runs caller Cypher in a read-only transaction (`GraphStore.read_cypher`).
This guard is the wall behind it, for the day a driver, an engine or a procedure gets the
read-only mode wrong. It is a small lexer, not a parser, and it errs on the side of
refusing:

* The text is lexed as the database lexes it: `//` and `/* */` comments, string literals
  (`'..'`, `".."`, backslash escapes) and backtick-quoted names (doubled backtick
  escape) are recognised, and keywords are only looked for outside them.
* Invisible and control characters (Unicode category Cf/Cc/Cs/Co/Cn, e.g. a zero-width
  space) are refused anywhere, and so are `\\uXXXX` escapes: some Cypher parsers expand
  them before lexing, so `\\u0027` could close a string the guard thinks is open.
* Outside literals and names only ASCII is accepted: a fullwidth `ＣＲＥＡＴＥ` or a
  Cyrillic `С` in `CREATE` is refused, and the reason names the keyword that NFKC
  normalisation or the look-alike letters spell.
* Keywords are matched case-insensitively on whole tokens, twice: once with comments as
  white space (as the database reads them) and once with a comment between two words
  joining them, so `CRE/**/ATE` is refused too.
* `CALL name` must name a procedure on `ALLOWED_PROCEDURES` (or a GDS algorithm in a
  read mode, see `procedure_allowed`); `apoc.*` functions outside
  `ALLOWED_APOC_FUNCTIONS`, `dbms.*` functions and GDS projection functions are refused.
* One statement only: a `;` may only end the text.

Not the guard's job: huge cartesian products and slow reads; the store's row cap and
time-out cut those. What would exhaust an engine before a time-out can act (deep
nesting, size-driven allocators, doubling reduces, huge ranges) is refused by
`limits.py`, called once at the end of the checks. Keywords used as variable names (`MATCH (set) ...`) are refused;
rename the variable.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from graphfraud.security.limits import limit_reason

# --- the allow-lists: everything free Cypher may call, in one place --------------------

#: Procedures free Cypher may `CALL`, compared case-insensitively. All read-only.
ALLOWED_PROCEDURES: frozenset[str] = frozenset({
    # schema look-ups, both engines
    "db.labels", "db.relationshipTypes", "db.propertyKeys",
    # FalkorDB schema look-ups
    "db.indexes", "db.constraints",
    # Neo4j schema look-ups
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    # full-text search: Neo4j, FalkorDB
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.idx.fulltext.queryNodes",
    # Graph Data Science: list the projected graphs (projecting one is refused)
    "gds.graph.list",
    # APOC: counts per label and relationship type
    "apoc.meta.stats",
})

#: A `gds.*` procedure whose last part is one of these modes only reads (the result is
#: streamed or summarised, nothing is written back to the graph or the catalog) ...
GDS_READ_MODES: frozenset[str] = frozenset({"stream", "stats"})
#: ... unless one of its parts says otherwise (`gds.graph.project.cypher`, `.write`).
GDS_REFUSED_PARTS: frozenset[str] = frozenset({
    "write", "mutate", "project", "drop", "export", "generate", "sample", "filter",
    "create", "remove", "writeback",
})

#: APOC functions (called without CALL) that are allowed: the version, and namespaces of
#: pure value functions. Every other `apoc.*` function (e.g. `apoc.cypher.run*`, which
#: runs Cypher from a string) and every `dbms.*` function is refused.
ALLOWED_APOC_FUNCTIONS: tuple[str, ...] = (
    "apoc.version", "apoc.text.", "apoc.coll.", "apoc.map.", "apoc.convert.", "apoc.date.",
    "apoc.temporal.", "apoc.number.", "apoc.math.", "apoc.agg.",
)

# Not allowed on purpose: FalkorDB's `algo.*` procedures (pageRank, WCC, BFS ...) are
# reads, but nothing in GraphFraud needs them from the console; add them above if so.

# --- refused keywords, with the reason given to the user -------------------------------

_WRITES = "writes to the graph"
_ADMIN = "is an administration command"
REFUSED_KEYWORDS: dict[str, str] = {
    "CREATE": _WRITES, "MERGE": _WRITES, "SET": _WRITES, "DELETE": _WRITES,
    "DETACH": _WRITES, "REMOVE": _WRITES, "INSERT": _WRITES,
    "FOREACH": "runs updates for each element of a list",
    "DROP": _ADMIN, "ALTER": _ADMIN, "RENAME": _ADMIN, "GRANT": _ADMIN, "DENY": _ADMIN,
    "REVOKE": _ADMIN, "TERMINATE": _ADMIN, "ENABLE": _ADMIN, "DEALLOCATE": _ADMIN,
    "REALLOCATE": _ADMIN,
    "LOAD": "reads files or URLs from the server (LOAD CSV)",
    "PERIODIC": "batches writes (USING PERIODIC COMMIT)",
    "USE": "switches to another database",
}
#: Longer free Cypher is refused: nobody types it, and the lexer stays cheap.
MAX_QUERY_CHARS = 100_000
#: `START`/`STOP` are fine as variable names; refused only before these words.
_START_STOP_OBJECTS = frozenset({"DATABASE", "DATABASES", "SERVER", "SERVERS"})
#: `SHOW [modifiers] INDEXES|CONSTRAINTS` only; `SHOW USERS`, `SHOW PRIVILEGES`,
#: `SHOW TRANSACTIONS` (other users' queries), `SHOW SETTINGS` ... are refused.
_SHOW_ALLOWED = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"})
_SHOW_MODIFIERS = frozenset({
    "ALL", "FULLTEXT", "LOOKUP", "POINT", "RANGE", "TEXT", "VECTOR", "BTREE", "UNIQUE",
    "UNIQUENESS", "EXIST", "EXISTS", "EXISTENCE", "NODE", "RELATIONSHIP", "REL", "KEY",
    "PROPERTY", "PROP", "TYPE",
})


@dataclass(frozen=True)
class GuardVerdict:
    """Whether free Cypher may run, and why not in plain words."""

    allowed: bool
    reason: str


class QueryRefused(Exception):
    """Free Cypher that the guard refused; `reason` says which keyword or procedure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_read_only(cypher: str) -> GuardVerdict:
    """Check one Cypher statement; allowed only if it can be nothing but a read."""
    try:
        _check(cypher)
    except _Refusal as exc:
        return GuardVerdict(False, exc.reason)
    return GuardVerdict(True, "read-only")


def assert_read_only(cypher: str) -> None:
    """Raise `QueryRefused` unless `check_read_only` allows the statement."""
    verdict = check_read_only(cypher)
    if not verdict.allowed:
        raise QueryRefused(verdict.reason)


def procedure_allowed(name: str) -> bool:
    """Whether `CALL name` is on the allow-list (case-insensitive)."""
    lowered = name.lower()
    if lowered in _ALLOWED_LOWER:
        return True
    parts = lowered.split(".")
    return (len(parts) >= 3 and parts[0] == "gds" and parts[-1] in GDS_READ_MODES
            and not any(p in GDS_REFUSED_PARTS for p in parts[1:-1]))


def function_allowed(name: str) -> bool:
    """Whether a namespaced function call may run: no dbms.*, only allow-listed apoc.*,
    no gds.* function that projects or writes (`gds.graph.project` is an aggregation
    function too)."""
    lowered = name.lower()
    parts = lowered.split(".")
    if parts[0] == "dbms":
        return False
    if parts[0] == "gds" and any(p in GDS_REFUSED_PARTS for p in parts[1:]):
        return False
    if lowered.startswith("apoc."):
        return any(lowered == p or (p.endswith(".") and lowered.startswith(p))
                   for p in _APOC_FN_LOWER)
    return True


_ALLOWED_LOWER = frozenset(p.lower() for p in ALLOWED_PROCEDURES)
_APOC_FN_LOWER = tuple(p.lower() for p in ALLOWED_APOC_FUNCTIONS)

# --- lexer -----------------------------------------------------------------------------

_WORD_START = frozenset(string.ascii_letters + "_")
_WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")
_SPACE = frozenset(" \t\n\r\f\v")
# A line comment ends at the first of these: the earliest any engine could end it.
_LINE_END = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")
_UNICODE_ESCAPE = re.compile(r"\\+[uU]")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


class _Refusal(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Token:
    """A lexeme outside comments. `gap` is what separates it from the previous token:
    "none", "comment" (comments only) or "space" (some white space)."""

    kind: str  # "word", "name" (backticked), "string", "number", "symbol"
    text: str
    pos: int
    gap: str


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed character')})"


def _check_invisible(text: str) -> None:
    escape = _UNICODE_ESCAPE.search(text)
    if escape:
        raise _Refusal(f"unicode escape \\u at {_where(text, escape.start())}: some parsers "
                       "expand it before reading the query; type the character itself")
    for pos, ch in enumerate(text):
        if ch in _ALLOWED_CONTROLS:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Cc", "Cs", "Co", "Cn"):
            raise _Refusal(f"invisible or control character {_char_name(ch)} at "
                           f"{_where(text, pos)}; retype the query without it")


def tokenize(text: str) -> list[Token]:
    """Lex `text` into tokens outside comments; refuses what it cannot lex safely."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    gap = "none"
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            gap = "space"
            i += 1
            continue
        if text.startswith("//", i):
            end = _LINE_END.search(text, i)
            i = end.start() if end else n
            gap = "space" if gap == "space" else "comment"
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _Refusal(f"unterminated /* comment at {_where(text, i)}")
            i = end + 2
            gap = "space" if gap == "space" else "comment"
            continue
        start = i
        if ch in ("'", '"'):
            i = _end_of_string(text, i)
            tokens.append(Token("string", text[start:i], start, gap))
        elif ch == "`":
            i = _end_of_name(text, i)
            tokens.append(Token("name", text[start + 1:i - 1].replace("``", "`"), start, gap))
        elif ch in _WORD_START:
            while i < n and text[i] in _WORD_CHARS:
                i += 1
            tokens.append(Token("word", text[start:i], start, gap))
        elif ch in string.digits:
            while i < n and (text[i] in string.digits or text[i] == "_"):
                i += 1
            tokens.append(Token("number", text[start:i], start, gap))
        elif ord(ch) < 128:
            i += 1
            tokens.append(Token("symbol", ch, start, gap))
        else:
            raise _Refusal(_non_ascii_reason(text, i))
        gap = "none"
    return tokens


def _end_of_string(text: str, i: int) -> int:
    quote, j, n = text[i], i + 1, len(text)
    while j < n:
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            return j + 1
        j += 1
    raise _Refusal(f"unterminated string literal starting at {_where(text, i)}")


def _end_of_name(text: str, i: int) -> int:
    j, n = i + 1, len(text)
    while j < n:
        if text[j] == "`":
            if text.startswith("``", j):
                j += 2
                continue
            return j + 1
        j += 1
    raise _Refusal(f"unterminated `quoted name` starting at {_where(text, i)}")


# Latin look-alikes (Cyrillic, Greek) used to dress up a keyword; only to name it.
_CONFUSABLES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D", "Ԛ": "Q",
    "Ԝ": "W", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
    "α": "a", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
})


def _non_ascii_reason(text: str, pos: int) -> str:
    """Explain a non-ASCII character outside literals; name the keyword it may fake."""
    start, end = pos, pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    run = text[start:end] or text[pos]
    spelled = unicodedata.normalize("NFKC", run).translate(_CONFUSABLES).upper()
    where = _where(text, pos)
    if spelled in REFUSED_KEYWORDS or spelled in ("CALL", "SHOW", "START", "STOP"):
        return (f"{run!r} at {where} spells the keyword {spelled} with non-ASCII "
                f"look-alike characters ({_char_name(text[pos])}); refused")
    return (f"non-ASCII character {_char_name(text[pos])} at {where} outside a string "
            "literal; write keywords and names in ASCII, or quote names in `backticks`")


# --- checks ----------------------------------------------------------------------------


def _join_comment_glued(tokens: list[Token]) -> list[Token]:
    """The second reading: a word split only by a comment (`CRE/**/ATE`) is one word."""
    out: list[Token] = []
    for tok in tokens:
        if (out and tok.gap == "comment" and tok.kind in ("word", "number")
                and out[-1].kind in ("word", "number")):
            prev = out[-1]
            kind = "word" if prev.text[0] in _WORD_START else "number"
            out[-1] = Token(kind, prev.text + tok.text, prev.pos, prev.gap)
        else:
            out.append(Token(tok.kind, tok.text, tok.pos,
                             "none" if tok.gap == "comment" else tok.gap))
    return out


def _check(cypher: str) -> None:
    if not isinstance(cypher, str):
        raise _Refusal("the query must be text")
    if len(cypher) > MAX_QUERY_CHARS:
        raise _Refusal(f"the query has {len(cypher)} characters; at most {MAX_QUERY_CHARS}")
    _check_invisible(cypher)
    tokens = tokenize(cypher)
    _check_statements(cypher, tokens)
    for reading in (tokens, _join_comment_glued(tokens)):
        _check_reading(cypher, reading)
    over_limit = limit_reason(cypher, tokens)  # nesting, size, allocators: limits.py
    if over_limit:
        raise _Refusal(over_limit)


def _check_statements(text: str, tokens: list[Token]) -> None:
    code = [t for t in tokens if not (t.kind == "symbol" and t.text == ";")]
    if not code:
        raise _Refusal("empty statement: there is no query to run")
    for idx, tok in enumerate(tokens):
        if tok.kind == "symbol" and tok.text == ";" and idx != len(tokens) - 1:
            raise _Refusal(f"more than one statement: ';' at {_where(text, tok.pos)} is "
                           "followed by more Cypher; run one statement at a time")


def _is_key(tokens: list[Token], idx: int) -> bool:
    """A word glued right after `.`, `$` or `:` is a property, parameter or label name."""
    return (idx > 0 and tokens[idx].gap == "none" and tokens[idx - 1].kind == "symbol"
            and tokens[idx - 1].text in ".$:")


def _next_word(tokens: list[Token], idx: int) -> str:
    j = idx + 1
    return tokens[j].text.upper() if j < len(tokens) and tokens[j].kind == "word" else ""


def _qualified_name(tokens: list[Token], idx: int) -> tuple[str, int]:
    """`a.b.c` starting at `idx` (words or backticked names): the name and the next index."""
    parts: list[str] = []
    j = idx
    while j < len(tokens) and tokens[j].kind in ("word", "name"):
        parts.append(tokens[j].text)
        if (j + 2 < len(tokens) and tokens[j + 1].kind == "symbol"
                and tokens[j + 1].text == "." and tokens[j + 2].kind in ("word", "name")):
            j += 2
            continue
        j += 1
        break
    return ".".join(parts), j


class _Where:
    """`line L, column C` of a position, worked out only when a reason is written."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def __str__(self) -> str:
        return _where(self.text, self.pos)


def _check_reading(text: str, tokens: list[Token]) -> None:
    for idx, tok in enumerate(tokens):
        if tok.kind == "name" and not _after(tokens, idx, "symbol", ".") and not _after(
                tokens, idx, "word", "CALL"):
            _check_function(text, tokens, idx)  # `apoc`.cypher.run(...), `apoc.x.y`(...)
        if tok.kind != "word" or _is_key(tokens, idx):
            continue
        word = tok.text.upper()
        where = _Where(text, tok.pos)
        if word in REFUSED_KEYWORDS:
            raise _Refusal(f"{word} at {where} {REFUSED_KEYWORDS[word]}; "
                           "free Cypher may only read")
        if word in ("START", "STOP") and _next_word(tokens, idx) in _START_STOP_OBJECTS:
            raise _Refusal(f"{word} {_next_word(tokens, idx)} at {where} "
                           f"{_ADMIN}; free Cypher may only read")
        if word == "SHOW":
            _check_show(tokens, idx, where)
        if word == "TRANSACTIONS" and _in_transactions(tokens, idx):
            raise _Refusal(f"IN TRANSACTIONS at {where} batches writes in separate "
                           "transactions; free Cypher may only read")
        if word == "CALL":
            _check_call(text, tokens, idx, where)
        elif idx == 0 or not _after(tokens, idx, "symbol", ".") and not _after(
                tokens, idx, "word", "CALL"):
            _check_function(text, tokens, idx)


def _after(tokens: list[Token], idx: int, kind: str, text: str) -> bool:
    prev = tokens[idx - 1] if idx > 0 else None
    return prev is not None and prev.kind == kind and prev.text.upper() == text


def _check_show(tokens: list[Token], idx: int, where: _Where) -> None:
    words: list[str] = []
    for tok in tokens[idx + 1:]:
        word = tok.text.upper() if tok.kind == "word" else tok.text
        words.append(word)
        if tok.kind != "word" or word not in _SHOW_MODIFIERS:
            break
    if words and words[-1] in _SHOW_ALLOWED:
        return
    shown = " ".join(words[:3]) or "(nothing)"
    raise _Refusal(f"SHOW {shown} at {where} {_ADMIN}; only SHOW INDEXES and "
                   "SHOW CONSTRAINTS are allowed")


def _in_transactions(tokens: list[Token], idx: int) -> bool:
    """`} IN [n [CONCURRENT]] TRANSACTIONS`: an `IN` right after a subquery's `}`."""
    for k in range(idx - 1, max(0, idx - 6), -1):
        if tokens[k].kind == "word" and tokens[k].text.upper() == "IN":
            return tokens[k - 1].kind == "symbol" and tokens[k - 1].text == "}"
    return False


def _check_call(text: str, tokens: list[Token], idx: int, where: _Where) -> None:
    nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if nxt is not None and nxt.kind == "symbol" and nxt.text in "{(":
        return  # a subquery: its clauses are checked like the rest of the stream
    if nxt is None or nxt.kind not in ("word", "name"):
        raise _Refusal(f"CALL at {where} is not followed by a procedure name or a "
                       "{ subquery }")
    name, _ = _qualified_name(tokens, idx + 1)
    if not procedure_allowed(name):
        raise _Refusal(f"procedure {name} at {where} is not on the allow-list of "
                       f"read-only procedures; allowed: {_allowed_text()}")


def _check_function(text: str, tokens: list[Token], idx: int) -> None:
    name, after = _qualified_name(tokens, idx)
    if "." not in name or after >= len(tokens):
        return
    if tokens[after].kind == "symbol" and tokens[after].text == "(" and not function_allowed(name):
        raise _Refusal(f"function {name}() at {_where(text, tokens[idx].pos)} is not "
                       "allowed in free Cypher (apoc: only value functions; no dbms.*; no gds projections)")


def _allowed_text() -> str:
    return ", ".join(sorted(ALLOWED_PROCEDURES)) + ", gds.<algorithm>.stream/.stats"


def iter_refused_keywords() -> Iterator[str]:
    """Every keyword refused outright (for docs and the UI's help text)."""
    yield from sorted(REFUSED_KEYWORDS)
