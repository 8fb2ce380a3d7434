"""Pre-parse limits on free Cypher: refuse, with a reason, what would take an engine down.

The read-only guard (`guard.py`) says whether a statement can write; this module says
whether it can exhaust the server before any time-out or memory limit can act. Each rule
comes from a query that did (issue #16, small world, both engines):

* **Nesting**: the embedded engine's parser doubles its time per level of nesting
  (brackets, and the unary `NOT`, `-`, `+` that nest the same way): 16 levels 0.2 s,
  22 levels 12 s, 30 levels ~50 min, and no time-out interrupts a parse. Neo4j throws a
  `StackOverflowError` deep down and the client waits minutes. Library queries nest at
  most 8 deep; `MAX_NESTING` is 12 (about 10 ms to parse).
* **Length**: nobody types 20,000 characters; a list of values belongs in a parameter.
* **Allocators**: APOC functions that build a value of a size given as an argument
  (`apoc.text.lpad/rpad/repeat/random`, `apoc.coll.fill/randomItems/combinations`) killed
  Neo4j outright (`lpad('', 1500000000, 'x')`: out of heap, process gone): the size must
  be a number literal under the function's cap.
* **Doubling**: `reduce(s = 'x', i IN range(1, 30) | s + s)` builds a 1 GB string in 62
  characters and stops neither engine in time: a `reduce` whose step uses its accumulator
  twice together with `+` or `*` is refused.
* **Huge `range()`**: the list is built before the first row, and the build is not
  interrupted (embedded: `range(1, 100000000)` ran 13 s past a 1 s time-out); literal
  bounds may span at most `MAX_RANGE` elements, and computed bounds may not multiply,
  raise to a power or hold a literal above it.

The checks read the guard's tokens (comments and strings already set aside), so a rule
cannot be dodged with a comment or fooled by a string that looks like code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class _Tok(Protocol):
    kind: str
    text: str
    pos: int


@dataclass(frozen=True)
class QueryLimits:
    """The limits applied to free Cypher; the defaults are the reasons above."""

    max_chars: int = 20_000
    max_nesting: int = 12
    max_range: int = 1_000_000


DEFAULT_LIMITS = QueryLimits()

#: function (lower case) -> (index of its size argument, the largest size allowed)
ALLOCATORS: dict[str, tuple[tuple[int, int], ...]] = {
    "apoc.text.lpad": ((1, 10_000),),
    "apoc.text.rpad": ((1, 10_000),),
    "apoc.text.repeat": ((1, 10_000),),
    "apoc.text.random": ((0, 10_000),),
    "apoc.coll.fill": ((1, 100_000),),
    "apoc.coll.randomitems": ((1, 100_000),),
    "apoc.coll.combinations": ((1, 3), (2, 3)),
}

_OPEN, _CLOSE = "([{", ")]}"
#: after these a `-` or `+` is a sign (unary), not a subtraction or addition
_OPERATOR_SYMBOLS = frozenset("([{,=<>+-*/%^:|")
_OPERATOR_WORDS = frozenset({
    "RETURN", "WITH", "WHERE", "AND", "OR", "XOR", "NOT", "IN", "WHEN", "THEN", "ELSE",
    "CASE", "UNWIND", "SKIP", "LIMIT", "BY", "CONTAINS", "STARTS", "ENDS", "IS",
})
#: a new operand starts here: the unary operators before it no longer nest what follows
_OPERAND_BREAKS = frozenset({"AND", "OR", "XOR", "WHEN", "THEN", "ELSE", "RETURN", "WITH",
                             "WHERE", "UNWIND", "MATCH", "OPTIONAL", "ORDER", "SKIP",
                             "LIMIT", "CASE", "END", "AS"})
_NUMBER = re.compile(r"(?<![\w.])(0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)")


class LimitRefusal(Exception):
    """Free Cypher over a limit; `reason` says which and what to do instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def limit_reason(text: str, tokens: Sequence[_Tok],
                 limits: QueryLimits = DEFAULT_LIMITS) -> str | None:
    """Why `text` (lexed as `tokens`) is over a limit, or None when it is within all."""
    try:
        check_limits(text, tokens, limits)
    except LimitRefusal as exc:
        return exc.reason
    return None


def check_limits(text: str, tokens: Sequence[_Tok],
                 limits: QueryLimits = DEFAULT_LIMITS) -> None:
    """Raise `LimitRefusal` for the first limit `text` exceeds."""
    if len(text) > limits.max_chars:
        raise LimitRefusal(f"the query has {len(text)} characters; free Cypher may have at "
                           f"most {limits.max_chars}: pass long lists as a parameter")
    _check_nesting(text, tokens, limits.max_nesting)
    for idx, tok in enumerate(tokens):
        if tok.kind not in ("word", "name") or _is_key(tokens, idx):
            continue
        name, after = _qualified(tokens, idx)
        if after >= len(tokens) or not _is_symbol(tokens[after], "("):
            continue
        lowered = name.lower()
        if lowered in ALLOCATORS:
            _check_allocator(text, tokens, idx, after, lowered)
        elif lowered == "reduce":
            _check_reduce(text, tokens, idx, after)
        elif lowered == "range":
            _check_range(text, tokens, idx, after, limits.max_range)


def _is_symbol(tok: _Tok, symbol: str) -> bool:
    return tok.kind == "symbol" and tok.text == symbol


def _is_key(tokens: Sequence[_Tok], idx: int) -> bool:
    """A word right after `.`, `$` or `:` is a property, parameter or label, not a call;
    a word after `.` that is not a namespace start is handled by `_qualified`."""
    prev = tokens[idx - 1] if idx else None
    return prev is not None and prev.kind == "symbol" and prev.text in ".$:"


def _qualified(tokens: Sequence[_Tok], idx: int) -> tuple[str, int]:
    """`a.b.c` from `idx`: the dotted name and the index after it."""
    parts = [tokens[idx].text]
    j = idx + 1
    while (j + 1 < len(tokens) and _is_symbol(tokens[j], ".")
           and tokens[j + 1].kind in ("word", "name")):
        parts.append(tokens[j + 1].text)
        j += 2
    return ".".join(parts), j


def _check_nesting(text: str, tokens: Sequence[_Tok], max_nesting: int) -> None:
    """Brackets and unary operators both nest the parse tree; count them together."""
    unary: list[int] = [0]  # unary operators open at each bracket level
    prev: _Tok | None = None
    for tok in tokens:
        if tok.kind == "symbol" and tok.text in _OPEN:
            unary.append(0)
        elif tok.kind == "symbol" and tok.text in _CLOSE:
            if len(unary) > 1:
                unary.pop()
        elif tok.kind == "symbol" and tok.text == ",":
            unary[-1] = 0
        elif tok.kind == "word" and tok.text.upper() == "NOT":
            unary[-1] += 1
        elif tok.kind == "word" and tok.text.upper() in _OPERAND_BREAKS:
            unary[-1] = 0
        elif tok.kind == "symbol" and tok.text in "-+" and _starts_operand(prev):
            unary[-1] += 1
        depth = len(unary) - 1 + sum(unary)
        if depth > max_nesting:
            raise LimitRefusal(
                f"the query nests {depth} levels deep at {_where(text, tok.pos)} "
                f"(brackets and NOT/-/+ together); at most {max_nesting}: the parser's "
                "time doubles with each level. Split the expression with WITH")
        prev = tok


def _starts_operand(prev: _Tok | None) -> bool:
    if prev is None:
        return True
    if prev.kind == "symbol":
        return prev.text in _OPERATOR_SYMBOLS
    return prev.kind == "word" and prev.text.upper() in _OPERATOR_WORDS


def _arguments(tokens: Sequence[_Tok], open_idx: int) -> list[list[_Tok]]:
    """The argument token lists of the call whose `(` is at `open_idx`."""
    args: list[list[_Tok]] = [[]]
    depth = 0
    for tok in tokens[open_idx + 1:]:
        if tok.kind == "symbol" and tok.text in _OPEN:
            depth += 1
        elif tok.kind == "symbol" and tok.text in _CLOSE:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and _is_symbol(tok, ","):
            args.append([])
            continue
        args[-1].append(tok)
    return args if args != [[]] else []


def _int_literal(arg: list[_Tok]) -> int | None:
    """The value of an argument that is an integer literal (with an optional sign)."""
    sign = 1
    if arg and arg[0].kind == "symbol" and arg[0].text in "-+":
        sign = -1 if arg[0].text == "-" else 1
        arg = arg[1:]
    if len(arg) == 1 and arg[0].kind == "number":
        return sign * int(arg[0].text.replace("_", ""))
    return None


def _check_allocator(text: str, tokens: Sequence[_Tok], idx: int, open_idx: int,
                     name: str) -> None:
    args = _arguments(tokens, open_idx)
    where = _where(text, tokens[idx].pos)
    for position, cap in ALLOCATORS[name]:
        if position >= len(args):
            continue
        value = _int_literal(args[position])
        if value is None:
            raise LimitRefusal(f"{name}() at {where} sizes what it builds by argument "
                               f"{position + 1}; give that size as a number (at most {cap})")
        if value > cap:
            raise LimitRefusal(f"{name}() at {where} would build a value of {value:,} "
                               f"elements; at most {cap:,} in free Cypher")


def _check_reduce(text: str, tokens: Sequence[_Tok], idx: int, open_idx: int) -> None:
    args = _arguments(tokens, open_idx)
    if not args or len(args[0]) < 2 or not _is_symbol(args[0][1], "="):
        return
    accumulator = args[0][0].text
    body: list[_Tok] = []
    for arg in args[1:]:
        bar = next((k for k, t in enumerate(arg) if _is_symbol(t, "|")), None)
        if bar is not None:
            body = list(arg[bar + 1:])
    uses = sum(1 for k, t in enumerate(body) if t.kind in ("word", "name")
               and t.text == accumulator and not (k and _is_symbol(body[k - 1], ".")))
    grows = any(t.kind == "symbol" and t.text in "+*" for t in body)
    if uses >= 2 and grows:
        raise LimitRefusal(
            f"reduce() at {_where(text, tokens[idx].pos)} uses its accumulator "
            f"{accumulator!r} twice in a step with + or *: it can double in size each step "
            "(a 62-character query builds a gigabyte). Use the accumulator once per step")


def _check_range(text: str, tokens: Sequence[_Tok], idx: int, open_idx: int,
                 max_range: int) -> None:
    args = _arguments(tokens, open_idx)
    where = _where(text, tokens[idx].pos)
    if len(args) < 2:
        return
    bounds = [_int_literal(a) for a in args[:3]]
    if all(b is not None for b in bounds):
        start, end = bounds[0], bounds[1]
        step = bounds[2] if len(bounds) > 2 else 1
        assert start is not None and end is not None and step is not None
        size = 0 if step == 0 else max(0, (end - start) // step + 1)
        if size > max_range:
            raise LimitRefusal(f"range() at {where} builds a list of {size:,} numbers; at "
                               f"most {max_range:,} in free Cypher")
        return
    for arg in args[:3]:
        for tok in arg:
            if tok.kind == "symbol" and tok.text in "*^":
                raise LimitRefusal(f"range() at {where} computes a bound with "
                                   f"{tok.text!r}; give the bounds as numbers or a "
                                   "size() of a list")
            if tok.kind == "number" and _number_value(text, tok) > max_range:
                raise LimitRefusal(f"range() at {where} has a bound over {max_range:,}; "
                                   f"at most {max_range:,} numbers in free Cypher")


def _number_value(text: str, tok: _Tok) -> float:
    """A number token read with what follows it in the text (`1e9`, `1.5E7`, `0x7f`)."""
    m = _NUMBER.match(text, tok.pos)
    raw = (m.group(1) if m else tok.text).replace("_", "")
    try:
        return float(int(raw, 16)) if raw.lower().startswith("0x") else float(raw)
    except ValueError:
        return 0.0
