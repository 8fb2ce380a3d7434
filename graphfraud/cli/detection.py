"""Detection: `detect`, `evaluate` against a world's truth, `register-cards`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphfraud.cli.group import STORE_OPTION, _settings, guarded, main
from graphfraud.cli.output import FORMATS, format_rows, safe_rows
from graphfraud.detect.registry import kinds as detector_kinds


@main.command()
@STORE_OPTION
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(detector_kinds()),
              help="Only these kinds (repeatable).")
@click.option("--top", type=int, default=None, help="At most N findings per kind.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--dataset", default="", help="Name of the dataset, for the output.")
@click.option("--no-write", is_flag=True, help="Do not write findings back to the graph.")
@click.option("--engine", type=click.Choice(["auto", "igraph", "networkx", "gds"]),
              default="auto", show_default=True,
              help="Community detection: auto = GDS on a Neo4j with GDS for very large "
                   "trader graphs, igraph otherwise.")
@guarded("detect")
def detect(store: str | None, kinds: tuple[str, ...], top: int | None, fmt: str, dataset: str,
           no_write: bool, engine: str) -> None:
    """Find suspicious networks, factory sites and diversion, each score explained."""
    from graphfraud.detect.runner import detect as run_detect
    from graphfraud.detect.runner import reproducible
    from graphfraud.detect.runs import save_run
    from graphfraud.store import StoreError, open_store

    settings = _settings(store)
    with open_store(settings) as st:
        try:
            document = run_detect(st, dataset, list(kinds) or None, top,
                                  write=not no_write, engine=engine)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        from graphfraud.cli.case import alerts_after

        alerts_after(st, settings, document=document)  # watchers' alerts, on stderr
    path = save_run(settings, document)
    from graphfraud.security.session import Session, redact_findings

    document = redact_findings(document, Session(None, settings,
                                                 click.get_current_context().meta["gf_user"]))
    if fmt == "json":
        click.echo(reproducible(document).to_json())
        return
    rows = [{"rank": f.rank, "kind": f.kind, "score": round(f.score, 3), "id": f.id,
             "title": f.title[:70], "signals": ", ".join(r.signal for r in f.reasons)}
            for f in document.findings]
    if fmt == "csv":
        click.echo(format_rows(safe_rows(rows, "csv"), "csv"))
        return
    click.echo(format_rows(rows))
    click.echo(f"run {document.run.run_id} in {document.run.seconds} s; "
               f"saved to {path}")


@main.command()
@click.option("--truth", "truth_path", type=click.Path(path_type=Path, exists=True,
              dir_okay=False), required=True, help="truth.json of a generated world.")
@click.option("--er", "er_only", is_flag=True, help="Measure entity resolution instead.")
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@guarded("evaluate")
def evaluate(truth_path: Path, er_only: bool, store: str | None, fmt: str) -> None:
    """Measure the latest detect run (or entity resolution) against a world's truth.json."""
    from graphfraud.store import open_store

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    settings = _settings(store)
    if er_only:
        from graphfraud.resolve.evaluate_graph import evaluate_er

        with open_store(settings) as st:
            report = evaluate_er(st, truth_path.parent, truth)
        if fmt == "json":
            click.echo(json.dumps(report, indent=2))
            return
        rows = [{"scope": k, **{m: v[m] for m in ("precision", "recall", "f1", "tp", "fp",
                                                   "fn", "candidates")}}
                for k, v in report.items()]
        click.echo(format_rows(rows))
        return
    from graphfraud.detect.evaluate import evaluate_findings
    from graphfraud.detect.runs import latest_run

    document = latest_run(settings)
    if document is None:
        raise click.ClickException("no detect run yet: run `graphfraud detect` first")
    report = evaluate_findings(document, truth)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
        return
    rows = [{"kind": k, "cases": v["cases"], "findings": v["findings"],
             "recall@5": round(v["recall@5"], 2), "recall@10": round(v["recall@10"], 2),
             "recall@20": round(v["recall@20"], 2),
             "precision@10": round(v["precision@10"], 2),
             "p@10_any": round(v["precision@10_any_case"], 2),
             "case_ranks": " ".join(str(r["rank"]) for r in v["case_ranks"]),
             "decoys@3": v["decoys_in_top3"],
             "decoy_ranks": " ".join(str(d["rank"]) for d in v["decoy_ranks"])}
            for k, v in report.items()]
    click.echo(format_rows(rows))


@main.command("register-cards")
@click.option("--out", type=click.Path(path_type=Path), default=Path("docs/register"),
              show_default=True)
@guarded("register-cards")
def register_cards(out: Path) -> None:
    """Write an algorithm-register card (Markdown and JSON) for every detector."""
    from graphfraud.detect.register_cards import write_cards

    for path in write_cards(out):
        click.echo(f"wrote {path}")
