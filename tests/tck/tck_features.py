"""The openCypher TCK's feature files as plain scenarios: a small Gherkin reader for the
steps the TCK uses (no Cucumber runtime needed), and the selection the dialect tests run.

A scenario is kept for the analysts' console when it only reads: its query has no
updating clause and it expects no side effects (or an error). Outlines are expanded
once per `Examples` row; scenarios that need procedures or control queries are left out
and counted (`Selection.left_out`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The folders analysts use (read-only clauses and expressions), as in issue 14.
ANALYST_FOLDERS: tuple[str, ...] = (
    "clauses/match", "clauses/match-where", "clauses/with", "clauses/with-orderBy",
    "clauses/with-skip-limit", "clauses/with-where", "clauses/return",
    "clauses/return-orderby", "clauses/return-skip-limit", "clauses/unwind",
    "clauses/union", "expressions/aggregation", "expressions/null", "expressions/list",
    "expressions/string", "expressions/comparison", "expressions/boolean",
    "expressions/map", "expressions/path", "expressions/pattern",
)

_UPDATING = re.compile(r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|FOREACH|LOAD|CALL)\b",
                       re.IGNORECASE)


@dataclass
class Scenario:
    """One TCK case: how to build the graph, the query, and what must come back."""

    feature: str  # path inside the jar
    folder: str  # e.g. clauses/match
    name: str  # "[3] Undirected match ..." plus the Examples row for outlines
    graph: str = "empty"  # "empty", or a named graph ("binary-tree-1")
    setup: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # name -> TCK value text
    query: str = ""
    expect: str = ""  # "rows", "empty", "error"
    ordered: bool = False
    ignore_list_order: bool = False
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    error: str = ""  # "SyntaxError at compile time: ..."
    side_effects: bool = False
    unsupported: str = ""  # why the runner leaves it out

    @property
    def key(self) -> str:
        return f"{self.feature}::{self.name}"


def split_row(line: str) -> list[str]:
    """Cells of a Gherkin table row `| a | b |`; `\\|` is a literal bar."""
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    cells, cur, i = [], [], 1
    while i < len(body) - 1:
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) - 1 and body[i + 1] in "|\\n":
            cur.append({"|": "|", "\\": "\\", "n": "\n"}[body[i + 1]])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur).strip())
    return cells


def _doc_string(lines: list[str], i: int) -> tuple[str, int]:
    start = lines[i]
    indent = len(start) - len(start.lstrip())
    out = []
    i += 1
    while lines[i].strip() != '"""':
        out.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i].strip())
        i += 1
    return "\n".join(out), i + 1


def _table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows = []
    while i < len(lines) and lines[i].strip().startswith("|"):
        rows.append(split_row(lines[i]))
        i += 1
    return rows, i


def parse_feature(path: str, text: str) -> list[Scenario]:
    """Every scenario of one feature file, outlines expanded."""
    folder = path.removeprefix("features/").rsplit("/", 1)[0]
    lines = text.splitlines()
    out: list[Scenario] = []
    i = 0
    current: Scenario | None = None
    background: Scenario | None = None
    outline = False
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.startswith("#") or line.startswith("@"):
            i += 1
            continue
        if line.startswith(("Scenario:", "Scenario Outline:")):
            outline = line.startswith("Scenario Outline:")
            current = Scenario(path, folder, line.split(":", 1)[1].strip())
            if background is not None:
                current.graph, current.setup = background.graph, list(background.setup)
            if not outline:
                out.append(current)
            i += 1
            continue
        if line.startswith("Examples:"):
            table, i = _table(lines, i + 1)
            assert current is not None
            for row in table[1:]:
                out.append(_instantiate(current, dict(zip(table[0], row, strict=True))))
            continue
        if line.startswith("Background:"):
            current = background = Scenario(path, folder, "background")
            i += 1
            continue
        if line.startswith("Feature:"):
            i += 1
            continue
        assert current is not None, (path, i, line)
        step = re.sub(r"^(Given|When|Then|And|But)\s+", "", line)
        i = _step(current, step, lines, i + 1)
    return out


def _step(sc: Scenario, step: str, lines: list[str], i: int) -> int:
    """Apply one step to the scenario; returns the index after its argument."""
    doc = table = None
    if i < len(lines) and lines[i].strip() == '"""':
        doc, i = _doc_string(lines, i)
    elif i < len(lines) and lines[i].strip().startswith("|"):
        table, i = _table(lines, i)
    if step in ("an empty graph", "any graph"):
        sc.graph = "empty"
    elif m := re.fullmatch(r"the (\S+) graph", step):
        sc.graph = m.group(1)
    elif step == "having executed:":
        sc.setup.append(doc or "")
    elif step == "parameters are:":
        sc.params.update({r[0]: r[1] for r in table or []})
    elif step == "executing query:":
        if sc.query:
            sc.unsupported = "more than one query"
        sc.query = doc or ""
    elif step == "executing control query:":
        sc.unsupported = "control query"
    elif step.startswith("there exists a procedure"):
        sc.unsupported = "needs a test procedure"
    elif step.startswith("the result should be empty"):
        sc.expect = "empty"
    elif step.startswith("the result should be"):
        sc.expect = "rows"
        sc.ordered = "in order" in step
        sc.ignore_list_order = "ignoring element order for lists" in step
        sc.header, sc.rows = (table[0], table[1:]) if table else ([], [])
    elif m := re.fullmatch(r"an? (\w+) should be raised at ([\w ]+?):?\s*([\w*]*)", step):
        sc.expect = "error"
        sc.error = f"{m.group(1)} at {m.group(2)}: {m.group(3)}".rstrip(": ")
    elif step == "no side effects":
        pass
    elif step.startswith("the side effects should be"):
        sc.side_effects = True
    else:
        sc.unsupported = f"unknown step {step!r}"
    return i


def _instantiate(template: Scenario, values: dict[str, str]) -> Scenario:
    def fill(text: str) -> str:
        for k, v in values.items():
            text = text.replace(f"<{k}>", v)
        return text

    sc = Scenario(**{**template.__dict__})
    sc.name = f"{template.name} {values}"
    sc.setup = [fill(s) for s in template.setup]
    sc.params = {k: fill(v) for k, v in template.params.items()}
    sc.query = fill(template.query)
    sc.rows = [[fill(c) for c in row] for row in template.rows]
    sc.header = [fill(c) for c in template.header]
    sc.error = fill(template.error)
    return sc


@dataclass
class Selection:
    scenarios: list[Scenario]
    left_out: dict[str, int]  # reason -> count, within the analyst folders


def analyst_subset(features: dict[str, str],
                   folders: tuple[str, ...] = ANALYST_FOLDERS) -> Selection:
    """The read-only scenarios of `folders`, in file order."""
    chosen: list[Scenario] = []
    left: dict[str, int] = {}
    for path in sorted(features):
        folder = path.removeprefix("features/").rsplit("/", 1)[0]
        if folder not in folders:
            continue
        for sc in parse_feature(path, features[path]):
            reason = sc.unsupported
            if not reason and sc.side_effects:
                reason = "writes (side effects expected)"
            if not reason and _UPDATING.search(sc.query):
                reason = "updating or CALL clause"
            if not reason and not sc.expect:
                reason = "no expected result"
            if reason:
                left[reason] = left.get(reason, 0) + 1
            else:
                chosen.append(sc)
    return Selection(chosen, left)
