"""Data in: `generate` a synthetic world, `ingest` a dataset, `export-import-csv` for neo4j-admin."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graphfraud.cli.group import STORE_OPTION, _settings, guarded, main
from graphfraud.cli.output import format_rows


@main.command()
@click.option("--scale", type=click.Choice(["tiny", "small", "medium", "large", "xlarge",
                                           "tiny-hard", "small-hard", "medium-hard",
                                           "large-hard", "xlarge-hard"]),
              default="small", show_default=True,
              help="World size; `-hard` adds evasive case variants and more decoys.")
@click.option("--seed", default=1, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--xml-share", default=0.05, show_default=True,
              help="Share of movements written as EMCS XML messages under OUT/emcs/.")
@guarded("generate")
def generate(scale: str, seed: int, out: Path, xml_share: float) -> None:
    """Write a synthetic excise world (data-contract files + truth.json)."""
    from graphfraud.synth import generate_world

    summary = generate_world(scale, seed, out, xml_share=xml_share)
    rows = [{"file": k, "rows": v} for k, v in sorted(summary.items())
            if isinstance(v, int)]
    click.echo(format_rows(rows))
    click.echo(f"wrote {out}")


def print_ingest_report(report, fmt: str = "table") -> None:
    rows = [{"file": f.file, "status": f.status, "read": f.read, "loaded": f.loaded,
             "quarantined": f.quarantined, "resumed_from": f.resumed_from,
             "seconds": f.seconds} for f in report.files]
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(format_rows(rows))
    for f in report.unreadable:
        click.echo(f"UNREADABLE {f.file}: {f.reason}", err=True)
    for f in report.files:
        if f.messages or f.pending:
            click.echo(f"{f.file}: {f.messages} messages, {f.pending} follow-ups pending")
        for note in f.notes:
            click.echo(f"  {note}")
    if report.resolution:
        r = report.resolution
        click.echo(f"entity resolution: {r['mentions']} name mentions, {r['linked']} linked, "
                   f"{r['candidates']} candidates for review")
        if r.get("tip_addresses"):
            click.echo(f"address resolution: {r['tip_addresses']} tip addresses without a "
                       f"postcode, {r['tip_addresses_linked']} linked, "
                       f"{r['tip_addresses_candidates']} candidates for review")
    total = sum(f.loaded for f in report.files)
    rate = total / report.seconds if report.seconds else 0
    click.echo(f"{total} rows loaded in {report.seconds:.1f} s ({rate:,.0f} rows/s); "
               f"quarantine: {Path(report.directory) / '.graphfraud' / 'quarantine'}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@STORE_OPTION
@click.option("--delivery", help="Delivery id for provenance (default: the folder name).")
@click.option("--batch-size", default=2000, show_default=True)
@click.option("--fresh", is_flag=True, help="Empty the graph first.")
@click.option("--bulk", is_flag=True,
              help="Initial load into an empty graph: parse in memory, then create the "
                   "graph with GRAPH.BULK (embedded), or on Neo4j by CREATE over Bolt "
                   "or neo4j-admin import (see --bulk-route). Not resumable.")
@click.option("--bulk-route", type=click.Choice(["auto", "bolt", "admin"]), default=None,
              help="Neo4j bulk route (default auto, or GRAPHFRAUD_NEO4J_BULK_ROUTE): bolt "
                   "for any Neo4j; admin (neo4j-admin import) only for the Neo4j "
                   "GraphFraud runs itself; auto picks admin for a large delivery there.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@guarded("ingest")
def ingest(directory: Path, store: str | None, delivery: str | None, batch_size: int,
           fresh: bool, bulk: bool, bulk_route: str | None, fmt: str) -> None:
    """Load a dataset directory into the graph (validated, idempotent, resumable)."""
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import StoreError, open_store

    with open_store(_settings(store)) as st:
        if fresh:
            st.clear()
        try:
            if bulk:
                from graphfraud.ingest.bulk import bulk_ingest

                loaded = bulk_ingest(st, directory, delivery, max(batch_size, 5000),
                                     progress=_progress_printer(), route=bulk_route)
                report = loaded.ingest
            else:
                report = ingest_directory(st, directory, delivery, batch_size,
                                          progress=_progress_printer(), restart=fresh,
                                          cache_dir=_settings(store).home / "cache")
        except (FileNotFoundError, StoreError) as exc:
            raise click.ClickException(str(exc)) from exc
        from graphfraud.cli.case import alerts_after

        alerts_after(st, _settings(store), report.delivery)  # watchers' alerts, on stderr
    if bulk and fmt == "json":
        click.echo(json.dumps(loaded.to_dict(), indent=2))
    else:
        print_ingest_report(report, fmt)
    if bulk and fmt == "table":
        route = getattr(loaded, "route", "")
        n = loaded.batches
        how = ("neo4j-admin import" if route == "admin" else
               f"Bolt writes ({n} transaction{'' if n == 1 else 's'})" if route == "bolt"
               else f"GRAPH.BULK ({n} call{'' if n == 1 else 's'})")
        click.echo(f"bulk load: parse {loaded.parse_seconds:.1f} s, {how} "
                   f"{loaded.load_seconds:.1f} s, indexes "
                   f"{loaded.index_seconds:.1f} s; {loaded.nodes:,} nodes, "
                   f"{loaded.relationships:,} relationships")
    if report.unreadable:
        sys.exit(1)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(name: str, rows: int) -> None:
        click.echo(f"\r{name}: {rows:,} rows", nl=False, err=True)
    return show


@main.command("export-import-csv")
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--stream", is_flag=True,
              help="Spill the movements, their lines and events to Parquet per batch "
                   "(under OUT/.spill) instead of holding the graph in memory: the same "
                   "files, with memory flat in the number of movement lines (a national "
                   "year).")
@guarded("export-import-csv")
def export_import_csv_cmd(directory: Path, out: Path, stream: bool) -> None:
    """Write `neo4j-admin database import` files (typed headers, ID spaces) from a dataset
    directory: the bulk path for an initial national load."""
    if stream:
        from graphfraud.export.stream_import import export_import_csv_streamed
        from graphfraud.store.base import StoreError

        try:
            summary = export_import_csv_streamed(directory, out)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        from graphfraud.export.neo4j_admin import export_import_csv

        summary = export_import_csv(directory, out)
    click.echo(f"{summary['node_total']} nodes and {summary['relationship_total']} "
               f"relationships written to {out}")
    click.echo(f"then: neo4j-admin database import full @{out / 'import.args'} <database>, "
               "start the server and run `graphfraud schema --store neo4j`")
