"""Write the TCK dialect table into docs/cypher-dialects.md from a TCK run's reports.

    GRAPHFRAUD_TCK_REPORT=build/tck python -m pytest tests/tck
    python tests/tck/dialect_table.py build/tck

The run writes `tck-embedded.json` and `tck-neo4j.json` (one outcome per scenario);
this script counts them per folder and replaces the text between the table markers.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "cypher-dialects.md"
START, END = "<!-- tck-table:start -->", "<!-- tck-table:end -->"
OUTCOMES = ("passed", "refused", "wrong", "error")
STORES = ("neo4j", "embedded")


def load(report_dir: Path) -> dict[str, list[dict]]:
    return {s: json.loads((report_dir / f"tck-{s}.json").read_text())["outcomes"]
            for s in STORES}


def table(outcomes: dict[str, list[dict]]) -> str:
    folders = sorted({o["folder"] for s in STORES for o in outcomes[s]})
    head = ("| folder | cases | " + " | ".join(f"{s} {k}" for s in STORES for k in OUTCOMES)
            + " |")
    lines = [head, "|" + "---|" * (2 + len(STORES) * len(OUTCOMES))]
    for folder in folders + [None]:
        counts = {s: Counter(o["outcome"] for o in outcomes[s] if folder in (None, o["folder"]))
                  for s in STORES}
        cases = sum(counts["neo4j"].values())
        cells = [str(counts[s][k]) for s in STORES for k in OUTCOMES]
        name = f"`{folder}`" if folder else "**all**"
        lines.append(f"| {name} | {cases} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(report_dir: Path, doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    doc.write_text(f"{before}{START}\n{table(load(report_dir))}\n{END}{after}",
                   encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]))
    print(f"wrote the TCK table into {DOC}")
