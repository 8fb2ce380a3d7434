"""Which classes of data a free query can read, and a refusal when the role may not.

Each property in the model has a class (`graphfraud.model.schema.property_classes`):
register, personal or investigation (Wpg). A role that may not see a class must not
get a free query that can read it. This check works on the guard's own lexer (not a
parser) and refuses whenever it is unsure:

* a word, name or string equal to a withheld label or relationship type (`Tip`,
  `'MENTIONS'`, `:Seizure`) is refused, and so is a dynamic label (`:$(...)`);
* a property access `x.p`, `x['p']`, `x{.p}`, `(x {p: ...})` of a withheld property
  name is refused unless `x` is a variable bound with a label that has `p` and whose
  class the role may see (so untyped variables, aliases through `WITH`, `UNWIND` and
  comprehension variables, path nodes and function results are refused);
* whole-value functions (`properties()`, `keys()`, `toString()`, any namespaced
  function such as `apoc.convert.toJson`) on anything but a typed variable are refused;
* dynamic subscripts (`x[$k]`, `x[a + b]`) are refused: they cannot be checked.

Whole nodes, relationships and paths (`RETURN n`, `collect(n)`, `nodes(p)`) pass: the
redaction withholds every node and relationship of a withheld class per value.
"""

from __future__ import annotations

from typing import Any

from graphfraud.model.schema import (
    CLASS_INVESTIGATION,
    CLASS_PERSONAL,
    INVESTIGATION,
    LEGAL_BASES,
    NODE_TYPES,
    PROVENANCE_PROPERTIES,
    property_classes,
    withheld_labels,
)
from graphfraud.security.guard import QueryRefused, Token, tokenize
from graphfraud.security.roles import Permission, can, may_see

_CLASSES = property_classes()
_PROPS_OF: dict[str, frozenset[str]] = {
    nt.label: frozenset((nt.key, *nt.properties, *PROVENANCE_PROPERTIES)) for nt in NODE_TYPES}
_WPG_NAMES = {n.lower(): n for n in withheld_labels(INVESTIGATION)}
_CLAUSES = frozenset({"MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "CALL",
                      "ORDER", "SKIP", "LIMIT", "UNION", "YIELD", "MERGE", "FINISH"})
_KEYWORDS = _CLAUSES | frozenset({
    "AS", "IN", "AND", "OR", "XOR", "NOT", "TRUE", "FALSE", "NULL", "DISTINCT", "CASE",
    "WHEN", "THEN", "ELSE", "END", "IS", "STARTS", "ENDS", "CONTAINS", "BY", "ASC", "DESC",
    "ASCENDING", "DESCENDING", "ALL", "ANY", "NONE", "SINGLE", "EXISTS", "COUNT",
    "COLLECT", "SHORTEST", "ALLSHORTESTPATHS", "SHORTESTPATH", "OF", "ON", "OPTIONAL",
})
#: functions that turn a whole node into its properties or text
_WHOLE_VALUE = frozenset({"properties", "keys", "tostring", "tostringornull", "tojson",
                          "values"})


def hidden_classes(user: Any) -> frozenset[str]:
    """The property classes `user` (or a role) may not read."""
    out = set()
    if not may_see(user, INVESTIGATION):
        out.add(CLASS_INVESTIGATION)
    if not can(user, Permission.VIEW_PERSONS):
        out.add(CLASS_PERSONAL)
    return frozenset(out)


def requirement_refusal(user: Any, requires: tuple[str, ...], purpose: str | None,
                        ) -> str | None:
    """Why `user` may not run a library query that `requires:` these, or None."""
    for need in requires:
        if need == "purpose":
            if not (purpose or "").strip():
                return "needs a purpose or case reference (Police Data Act)"
            continue
        try:
            perm = Permission(need)
        except ValueError:
            return f"unknown requirement {need!r} in the query header"
        if perm == Permission.VIEW_WPG and not may_see(user, INVESTIGATION):
            return ("reads investigation (Wpg) data: "
                    f"{LEGAL_BASES[INVESTIGATION]}; role {getattr(user, 'role', user)!s} "
                    "may not see it")
        if not can(user, perm):
            return f"needs the permission {perm.value}"
    return None


def check_classified(text: str, user: Any) -> None:
    """Raise `QueryRefused` if `text` can read a class `user` may not see."""
    hidden = hidden_classes(user)
    if not hidden:
        return
    _Checker(tokenize(text), hidden).run()


class _Checker:
    def __init__(self, tokens: list[Token], hidden: frozenset[str]) -> None:
        self.t = tokens
        self.hidden = hidden
        self.wpg = CLASS_INVESTIGATION in hidden
        #: withheld property name -> a (label, class) it belongs to
        self.hidden_props: dict[str, tuple[str, str]] = {}
        for (label, prop), pc in _CLASSES.items():
            if pc.cls in hidden and prop not in PROVENANCE_PROPERTIES:
                self.hidden_props.setdefault(prop, (label, pc.cls))
        self.scope: dict[str, frozenset[str]] = {}
        self.stack: list[dict[str, frozenset[str]]] = []
        self.shadowed: set[str] = set()

    # -- helpers ----------------------------------------------------------------------
    def tok(self, i: int) -> Token | None:
        return self.t[i] if 0 <= i < len(self.t) else None

    def is_sym(self, i: int, chars: str) -> bool:
        tk = self.tok(i)
        return tk is not None and tk.kind == "symbol" and tk.text in chars

    def is_word(self, i: int, *words: str) -> bool:
        tk = self.tok(i)
        return tk is not None and tk.kind == "word" and tk.text.upper() in words

    def is_var(self, i: int) -> bool:
        tk = self.tok(i)
        if tk is None or tk.kind not in ("word", "name"):
            return False
        if tk.kind == "word" and tk.text.upper() in _KEYWORDS:
            return False
        return not self.is_sym(i - 1, ".$:")

    def is_dynamic_label(self, i: int) -> bool:
        """`:$(expr)`, `:$any(expr)`, `:$all(expr)`: a label computed at run time. A
        parameter after a colon (`{trader_id: $x}`) is a map value, not a label."""
        if not self.is_sym(i, "$"):
            return False
        if self.is_sym(i + 1, "("):
            return True
        return self.is_word(i + 1, "ANY", "ALL") and self.is_sym(i + 2, "(")

    def labels(self, var: str) -> frozenset[str] | None:
        if var in self.shadowed:
            return None
        return self.scope.get(var)

    @staticmethod
    def refuse(why: str) -> None:
        raise QueryRefused(why)

    def _class_text(self, prop: str) -> str:
        label, cls = self.hidden_props[prop]
        return f"{label}.{prop} is {cls} data, which your role may not see"

    def check_prop(self, base: frozenset[str] | None, prop: str, what: str) -> None:
        """`what` reads property `prop` of a value typed `base` (None: unknown)."""
        if base:
            for label in base:
                pc = _CLASSES.get((label, prop))
                if pc is not None and pc.cls in self.hidden:
                    basis = INVESTIGATION if pc.cls == CLASS_INVESTIGATION else pc.legal_basis
                    self.refuse(f"{what}: {label}.{prop} is {pc.cls} data "
                                f"({LEGAL_BASES[basis]}), which your role may not see")
            if prop in self.hidden_props and not any(prop in _PROPS_OF.get(lb, ())
                                                     for lb in base):
                self.refuse(f"{what}: {prop!r} is not a property of "
                            f"{'/'.join(sorted(base))}, so the value may be another "
                            f"node's; {self._class_text(prop)}")
            return
        if prop in self.hidden_props:
            self.refuse(f"{what}: the value is not bound with a label (an untyped "
                        "variable, an alias, a list element or a function result), so it "
                        f"may be withheld data; {self._class_text(prop)}. Bind it with a "
                        "label, e.g. (n:Trader)")

    def match_close(self, i: int, open_: str, close: str) -> int:
        depth = 0
        for j in range(i, len(self.t)):
            if self.is_sym(j, open_):
                depth += 1
            elif self.is_sym(j, close):
                depth -= 1
                if depth == 0:
                    return j
        return len(self.t) - 1

    # -- the walk -----------------------------------------------------------------------
    def run(self) -> None:
        self.names()
        i = 0
        while i < len(self.t):
            i = self.step(i)

    def names(self) -> None:
        for tk in self.t:
            if tk.kind == "string":
                raw = tk.text[1:-1]
            elif tk.kind in ("word", "name"):
                raw = tk.text
            else:
                continue
            if self.wpg and raw.lower() in _WPG_NAMES:
                name = _WPG_NAMES[raw.lower()]
                self.refuse(f"{raw!r} names {name}, investigation (Wpg) data "
                            f"({LEGAL_BASES[INVESTIGATION]}); your role may not see it "
                            "(rename a variable of that name)")
        for i, tk in enumerate(self.t):
            if tk.kind == "symbol" and tk.text == ":" and self.is_dynamic_label(i + 1):
                self.refuse("a dynamic label (:$(...)) cannot be checked against the "
                            "withheld classes")

    def step(self, i: int) -> int:
        tk = self.t[i]
        if tk.kind == "symbol":
            return self.symbol(i, tk.text)
        if tk.kind == "word":
            word = tk.text.upper()
            if word == "WITH" and not self.is_sym(i - 1, "."):
                return self.projection(i)
            if word == "UNION":
                self.scope = {}
                return i + 1
            if word == "AS" and self.is_var(i + 1):
                alias = self.t[i + 1].text
                src = self.t[i - 1].text if self.is_var(i - 1) and (
                    self.is_sym(i - 2, ",") or self.is_word(i - 2, "RETURN", "DISTINCT")
                ) else None
                typed = self.labels(src) if src else None
                if typed:
                    self.scope[alias] = typed
                else:
                    self.scope.pop(alias, None)
                return i + 2
            if word == "IN" and self.is_var(i - 1) and self.is_sym(i - 2, "[(,"):
                self.shadowed.add(self.t[i - 1].text)
            if word == "YIELD":
                j = i + 1
                while self.is_var(j) or self.is_sym(j, ","):
                    if self.is_var(j):
                        self.scope.pop(self.t[j].text, None)
                    j += 1
                return j
        if tk.kind in ("word", "name") and self.is_sym(i + 1, "(("):
            self.function(i)
        return i + 1

    def symbol(self, i: int, ch: str) -> int:
        if ch in "([" and self.is_var(i + 1) and self.is_sym(i + 2, ":"):
            self.bind(i + 1)
        if ch == "." and self.tok(i + 1) is not None and self.t[i + 1].kind in ("word", "name"):
            self.dot(i)
        elif ch == "[" and (self.is_var(i - 1) or self.is_sym(i - 1, ")]")):
            self.subscript(i)
        elif ch == "{":
            self.brace_open(i)
        elif ch == "}":
            if self.stack:
                self.scope = self.stack.pop()
        return i + 1

    def bind(self, j: int) -> None:
        """`(var:Label|Other ...` or `[var:TYPE ...`: the variable is typed."""
        var = self.t[j].text
        labels: set[str] = set()
        k = j + 2
        while True:
            tk = self.tok(k)
            if tk is None or tk.kind not in ("word", "name"):
                return  # `!`, `%`, `(`: not a plain label expression; stays untyped
            labels.add(tk.text)
            if self.is_sym(k + 1, "|&:"):
                k += 2
                continue
            break
        self.scope[var] = self.scope.get(var, frozenset()) | frozenset(labels)

    def base_of(self, i: int) -> tuple[frozenset[str] | None, bool]:
        """Labels of the value before position `i`, and whether it is a parameter."""
        if self.is_var(i - 1):
            return self.labels(self.t[i - 1].text), False
        tk = self.tok(i - 1)
        if tk is not None and tk.kind in ("word", "name") and self.is_sym(i - 2, "$"):
            return None, True
        return None, False

    def dot(self, i: int) -> None:
        prev = self.tok(i - 1)
        if prev is None or prev.kind in ("number", "string"):
            return
        if prev.kind == "symbol" and prev.text not in ")]}":
            return  # `{.p}` of a projection: checked with the brace
        if prev.kind in ("word", "name"):
            # a namespaced function `a.b.c(`: not a property
            j = i + 1
            while self.is_sym(j + 1, ".") and self.tok(j + 2) is not None:
                j += 2
            if self.is_sym(j + 1, "("):
                return
            start = i - 1  # the chain `a.b.c` this dot is part of: where does it start?
            while self.is_sym(start - 1, ".") and self.tok(start - 2) is not None and \
                    self.t[start - 2].kind in ("word", "name"):
                start -= 2
            if self.is_sym(start - 1, "$"):
                return  # a parameter's field: the caller's own value
            if start < i - 1:  # `x.a.b`: the value of `x.a` is not bound with a label
                prop = self.t[i + 1].text
                self.check_prop(None, prop, f"reading .{prop}")
                return
        base, param = self.base_of(i)
        if param:
            return
        prop = self.t[i + 1].text
        self.check_prop(base, prop, f"reading .{prop}")

    def subscript(self, i: int) -> None:
        end = self.match_close(i, "[", "]")
        inner = self.t[i + 1:end]
        if all(tk.kind == "number" or (tk.kind == "symbol" and tk.text in "-.")
               for tk in inner):
            return
        base, _param = self.base_of(i)
        if len(inner) == 1 and inner[0].kind == "string":
            prop = inner[0].text[1:-1]
            self.check_prop(base, prop, f"reading [{inner[0].text}]")
            return
        self.refuse("a dynamic subscript x[...] with a computed key cannot be checked "
                    "against the withheld classes; use a literal property name")

    def brace_open(self, i: int) -> None:
        prev = self.tok(i - 1)
        outer = dict(self.scope)
        self.stack.append(outer)
        if self.is_word(i - 1, "CALL"):
            self.scope = outer if self.is_word(i + 1, "WITH") else {}
            return
        if self.is_sym(i - 1, ")"):
            start = self.match_open(i - 1)
            if self.is_word(start - 1, "CALL"):
                imported = {self.t[k].text for k in range(start + 1, i - 1) if self.is_var(k)}
                self.scope = {k: v for k, v in outer.items() if k in imported}
                return
        if prev is not None and self.is_var(i - 1) and not self.is_sym(i - 2, ":"):
            self.projection_keys(i, self.labels(prev.text))

    def match_open(self, j: int) -> int:
        depth = 0
        for k in range(j, -1, -1):
            if self.is_sym(k, ")"):
                depth += 1
            elif self.is_sym(k, "("):
                depth -= 1
                if depth == 0:
                    return k
        return 0

    def projection_keys(self, i: int, base: frozenset[str] | None) -> None:
        """`n{.p, .*, k: v}` or a pattern `(n {p: v})`: the property keys it reads."""
        end = self.match_close(i, "{", "}")
        depth = 0
        for k in range(i + 1, end):
            if self.is_sym(k, "{[("):
                depth += 1
            elif self.is_sym(k, "}])"):
                depth -= 1
            if depth:
                continue
            if self.is_sym(k, ".") and self.is_sym(k - 1, "{,"):
                nxt = self.tok(k + 1)
                if nxt is not None and nxt.kind == "symbol" and nxt.text == "*":
                    if base is None:
                        self.refuse("a map projection {.*} of a value not bound with a "
                                    "label may hold withheld (e.g. investigation) data; "
                                    "bind it with a label")
                    for label in base or ():
                        for prop in _PROPS_OF.get(label, ()):
                            self.check_prop(base, prop, "projecting {.*}")
                elif nxt is not None and nxt.kind in ("word", "name"):
                    self.check_prop(base, nxt.text, f"projecting .{nxt.text}")
            elif (self.tok(k) is not None and self.t[k].kind in ("word", "name")
                  and self.is_sym(k + 1, ":") and self.is_sym(k - 1, "{,")):
                self.check_prop(base, self.t[k].text, f"matching {{{self.t[k].text}: ...}}")

    def function(self, i: int) -> None:
        name, j = self.t[i].text, i
        while self.is_sym(j - 1, ".") and self.tok(j - 2) is not None and \
                self.t[j - 2].kind in ("word", "name"):
            j -= 2
            name = f"{self.t[j].text}.{name}"
        lowered = name.lower()
        if lowered not in _WHOLE_VALUE and "." not in lowered:
            return
        end = self.match_close(i + 1, "(", ")")
        for k in range(i + 2, end):
            if not self.is_var(k) or self.is_sym(k + 1, "(.") or self.is_sym(k - 1, "."):
                continue
            if self.is_word(k + 1, "IN"):
                continue
            if not self.labels(self.t[k].text):
                self.refuse(f"{name}() of {self.t[k].text!r}, a value not bound with a "
                            "label, may read withheld data (e.g. investigation data); "
                            "bind it with a label")
            for label in self.labels(self.t[k].text) or ():
                if lowered in _WHOLE_VALUE or "." in lowered:
                    for prop in _PROPS_OF.get(label, ()):
                        self.check_prop(frozenset({label}), prop, f"{name}()")

    def projection(self, i: int) -> int:
        """`WITH items`: the next scope holds the projected variables (and aliases)."""
        items: list[list[int]] = [[]]
        k, depth = i + 1, 0
        while k < len(self.t):
            if depth == 0 and (self.is_word(k, *(_CLAUSES - {"DISTINCT"}))
                               or self.is_sym(k, "};")):
                break
            if self.is_sym(k, "([{"):
                depth += 1
            elif self.is_sym(k, ")]}"):
                depth -= 1
            if depth == 0 and self.is_sym(k, ","):
                items.append([])
            else:
                items[-1].append(k)
            k += 1
        new: dict[str, frozenset[str]] = {}
        for item in items:
            idx = [x for x in item if not self.is_word(x, "DISTINCT")]
            if len(idx) == 1 and self.is_sym(idx[0], "*"):
                new.update(self.scope)
            elif len(idx) == 1 and self.is_var(idx[0]):
                v = self.t[idx[0]].text
                if self.labels(v):
                    new[v] = self.labels(v)  # type: ignore[assignment]
            elif len(idx) == 3 and self.is_var(idx[0]) and self.is_word(idx[1], "AS"):
                v = self.t[idx[0]].text
                if self.labels(v):
                    new[self.t[idx[2]].text] = self.labels(v)  # type: ignore[assignment]
        # check the projected expressions under the old scope, then switch
        j = i + 1
        while j < k:
            if self.is_word(j, "AS"):
                j += 2
                continue
            j = self.step(j)
        self.scope = new
        return k
