"""Benchmark: the workbench's pages on a loaded world — each page's first render and a
neighbourhood expand, p95 over repeated runs (targets: p95 < 1 s per page, < 300 ms per
expand).

The embedded store holds `scale`'s world (the shared `loaded-embedded-<scale>` home of
the other benchmarks, or ingested once), one detect run is saved, and a user per role
signs in. Each page is then rendered in-process with Streamlit's AppTest, as the server
renders it for a browser: a fresh session signs in (not timed) and the switch to the
page is timed (its whole script: Session, store reads, charts, network HTML), REPEATS
times. Browser painting is not included (it happens after the server is done).

"expand" is timed twice: the core call (`Session.expand` on a trader's neighbourhood,
what the server does for a double-click) and the explorer page's whole rerun after the
Expand button (core call plus redrawing the network).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import percentiles, table
from bench.loaded import loaded_store

REPEATS = int(os.environ.get("BENCH_UI_REPEATS", "7"))
EXPANDS = int(os.environ.get("BENCH_UI_EXPANDS", "20"))
PASSWORD = "bench-password-1234"
TARGET_PAGE_MS = 1000.0
TARGET_EXPAND_MS = 300.0
APP = Path(__file__).resolve().parent.parent / "ui" / "app.py"
#: page file -> (role that opens it, what to call it)
PAGES: dict[str, tuple[str, str]] = {
    "views/findings.py": ("investigator", "Findings"),
    "views/explorer.py": ("investigator", "Explorer"),
    "views/cypher.py": ("analyst", "Cypher"),
    "views/maps.py": ("manager", "Maps and trends"),
    "views/data.py": ("admin", "Data"),
    "views/cases.py": ("investigator", "Cases"),
    "views/alerts.py": ("investigator", "Alerts"),
    "views/admin.py": ("admin", "Admin"),
}


@contextmanager
def _env(settings: Any) -> Any:
    """The workbench's environment (its home, the embedded store) for AppTest."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("GRAPHFRAUD_")}
    for k in saved:
        del os.environ[k]
    os.environ.update({"GRAPHFRAUD_HOME": str(settings.home), "GRAPHFRAUD_STORE": "embedded",
                       "GRAPHFRAUD_GRAPH": settings.graph_name})
    try:
        yield
    finally:
        for k in [k for k in os.environ if k.startswith("GRAPHFRAUD_")]:
            del os.environ[k]
        os.environ.update(saved)


def _users(home: Path) -> None:
    from graphfraud.security.users import add_user

    for role in ("admin", "investigator", "analyst", "manager"):
        add_user(home / "users.json", f"bench-{role}", role, PASSWORD, replace=True)


def _signed_in(role: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.sidebar.text_input(key="login_user").set_value(f"bench-{role}")
    at.sidebar.text_input(key="login_password").set_value(PASSWORD)
    at.sidebar.button[0].click().run()
    if at.exception:
        raise RuntimeError(f"sign-in failed: {at.exception}")
    return at


def _timed(fn: Any) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def page_times(repeats: int = REPEATS) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for page, (role, title) in PAGES.items():
        samples = []
        for _ in range(repeats):
            at = _signed_in(role)
            samples.append(_timed(lambda at=at, page=page: at.switch_page(page).run()))
            if at.exception:
                raise RuntimeError(f"{page} failed: {at.exception}")
        out[title] = {"role": role, **percentiles(samples)}
    return out


def _busiest_traders(store: Any, n: int) -> list[dict[str, Any]]:
    rows = store.run("bench_sample_keys")
    ids = [str(r.get("trader_id")) for r in rows if r.get("trader_id")]
    step = max(1, len(ids) // max(n, 1))
    from graphfraud.explore import find_node

    return [find_node(store, "Trader", t) for t in ids[::step][:n]]


def expand_times(store: Any, settings: Any, n: int = EXPANDS) -> dict[str, Any]:
    """The core expand of a neighbour of a trader's neighbourhood (one audited view)."""
    from graphfraud.explore import DEFAULT_CAP, label_of
    from graphfraud.security import User
    from graphfraud.security.session import Session

    sess = Session(store, settings, User("bench-investigator", "investigator"),
                   purpose="benchmark")
    samples, sizes = [], []
    for trader in _busiest_traders(store, n):
        sg = sess.neighbourhood(trader, DEFAULT_CAP)
        centre = str(trader["_id"])
        target = next((i for i, nd in sg.nodes.items()
                       if i != centre and label_of(nd) in ("Address", "Premise", "Person")),
                      None) or next((i for i in sg.nodes if i != centre), None)
        if target is None:
            continue
        samples.append(_timed(lambda sg=sg, target=target: sess.expand(sg, target,
                                                                        DEFAULT_CAP)))
        sizes.append(len(sg))
    return {**percentiles(samples), "nodes_after_mean": round(sum(sizes) / max(len(sizes), 1))}


def explorer_expand_times(store: Any, repeats: int = REPEATS) -> dict[str, Any]:
    """The explorer page's rerun after its Expand button, a trader's view open."""
    traders = _busiest_traders(store, repeats)
    samples = []
    for trader in traders:
        at = _signed_in("investigator")
        at.switch_page("views/explorer.py").run()
        at.text_input(key="x_purpose").set_value("benchmark")
        at.text_input(key="x_query").set_value(str(trader.get("trader_id")))
        next(b for b in at.button if b.label == "Search").click().run()
        if not [b for b in at.button if b.key == "x_open"]:
            continue
        at.button(key="x_open").click().run()
        if not [b for b in at.button if b.key == "x_expand"]:
            continue
        samples.append(_timed(lambda at=at: at.button(key="x_expand").click().run()))
        if at.exception:
            raise RuntimeError(f"expand failed: {at.exception}")
    return percentiles(samples)


def run(scale: str) -> dict[str, Any]:
    from graphfraud.detect.runner import detect
    from graphfraud.detect.runs import save_run

    load_before = os.getloadavg()[0]
    with loaded_store("embedded", scale) as (store, ingest):
        settings = store._settings if getattr(store, "_settings", None) else None
        assert settings is not None, "the embedded store keeps its settings"
        _users(settings.home)
        began = time.perf_counter()
        doc = detect(store, dataset=f"{scale}-bench")
        save_run(settings, doc)
        detect_s = time.perf_counter() - began
        with _env(settings):
            pages = page_times()
            expand_core = expand_times(store, settings)
            expand_page = explorer_expand_times(store)
    return {"repeats": REPEATS, "findings": len(doc.get("findings") or []),
            "detect_seconds": round(detect_s, 1), "ingested": ingest is not None,
            "pages": pages, "expand_core": expand_core, "expand_page": expand_page,
            "targets": {"page_p95_ms": f"< {TARGET_PAGE_MS:.0f}",
                        "expand_p95_ms": f"< {TARGET_EXPAND_MS:.0f}"},
            "method": "AppTest in-process (server-side render; browser paint not included)",
            # the machine is shared: read the figures with the load they ran under
            "load_average_1m": {"start": round(load_before, 1),
                                "end": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}}


def _verdict(p95: float | None, target: float) -> str:
    if p95 is None:
        return "—"
    return "meets" if p95 < target else "MISSES"


def render(result: dict[str, Any], scale: str) -> str:
    rows = [[title, r["role"], r.get("p50_ms"), r.get("p95_ms"), f"< {TARGET_PAGE_MS:.0f}",
             _verdict(r.get("p95_ms"), TARGET_PAGE_MS)] for title, r in result["pages"].items()]
    for what, key in (("expand (core, Session.expand)", "expand_core"),
                      ("expand (explorer page rerun)", "expand_page")):
        r = result[key]
        rows.append([what, "investigator", r.get("p50_ms"), r.get("p95_ms"),
                     f"< {TARGET_EXPAND_MS:.0f}", _verdict(r.get("p95_ms"), TARGET_EXPAND_MS)])
    return table(f"Workbench pages on {scale} (embedded, {result['findings']} findings, "
                 f"{result['repeats']} runs each; {result['method']})",
                 ["page", "role", "p50 ms", "p95 ms", "target ms", ""], rows)
