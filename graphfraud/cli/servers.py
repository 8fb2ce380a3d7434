"""The local servers: `graphfraud neo4j …` and `graphfraud embedded …`."""

from __future__ import annotations

import sys

import click

from graphfraud.cli.group import _settings, guarded, main


@main.group()
def neo4j() -> None:
    """Run the local Neo4j (Community 5.26 with APOC and GDS), no Docker needed."""


@neo4j.command("install")
@guarded("neo4j install")
def neo4j_install() -> None:
    """Fetch the pinned Neo4j, APOC and GDS jars with Maven (cached)."""
    from graphfraud.servers import neo4j_local

    try:
        runtime = neo4j_local.install(quiet=False)
    except neo4j_local.Neo4jSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Neo4j jars ready in {runtime.dir}")


@neo4j.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt.")
@guarded("neo4j start")
def neo4j_start(timeout: float) -> None:
    """Start the local Neo4j and wait until Bolt answers."""
    from graphfraud.servers import neo4j_local

    settings = _settings()
    try:
        info = neo4j_local.start(settings, timeout_s=timeout)
    except neo4j_local.Neo4jSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    if info["already_running"]:
        click.echo(f"Neo4j already running (pid {info['pid']}) at {info['uri']}")
    else:
        click.echo(f"Neo4j started in {info['seconds']} s (pid {info['pid']}) at {info['uri']}")
    click.echo(f"user neo4j; password in {settings.credentials_file} (mode 0600)")


@neo4j.command("stop")
@guarded("neo4j stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j."""
    from graphfraud.servers import neo4j_local

    stopped = neo4j_local.stop(_settings())
    click.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j.command("status")
@guarded("neo4j status")
def neo4j_status() -> None:
    """Say whether Neo4j runs and which Neo4j, APOC and GDS versions answer."""
    from graphfraud.servers import neo4j_local

    info = neo4j_local.status(_settings())
    if not info.get("running"):
        click.echo(f"Neo4j is not running ({info['uri']})"
                   + (f": {info['error']}" if info.get("error") else ""))
        sys.exit(3)
    click.echo(f"Neo4j {info['neo4j']} ({info['edition']}) running at {info['uri']}"
               + (f", pid {info['pid']}" if info.get("pid") else ""))
    click.echo(f"APOC {info['apoc']}")
    click.echo(f"GDS {info['gds']}")


@main.group()
def embedded() -> None:
    """The embedded graph server (FalkorDB), shared by every GraphFraud process."""


@embedded.command("start")
@guarded("embedded start")
def embedded_start() -> None:
    """Start it (it also starts by itself on first use)."""
    from graphfraud.servers import falkordb_local

    sock = falkordb_local.ensure_running(_settings())
    click.echo(f"embedded graph running on {sock}")


@embedded.command("stop")
@guarded("embedded stop")
def embedded_stop() -> None:
    """Stop it cleanly."""
    from graphfraud.servers import falkordb_local

    was = falkordb_local.stop(_settings())
    click.echo("embedded graph stopped" if was else "embedded graph was not running")


@embedded.command("status")
@guarded("embedded status")
def embedded_status() -> None:
    """Say whether it runs, where, and the engine's version."""
    from graphfraud.servers import falkordb_local

    info = falkordb_local.status(_settings())
    for k, v in info.items():
        click.echo(f"{k}: {v}")
