"""Class-data-sharing archives of the Neo4j JVMs (`graphfraud.servers.jvm_cds`): made once
by a run that exits cleanly, used by the later runs, never in the way of a start."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace

import pytest
from _ci import unavailable

from graphfraud.servers import jvm_cds, neo4j_local

JAVA = shutil.which("java")


def _fake_java(tmp_path):
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\n")
    return str(java)


def test_the_first_run_claims_the_archive_and_a_clean_exit_keeps_it(tmp_path):
    java = _fake_java(tmp_path)
    first = jvm_cds.plan(tmp_path / "cds", "server", java)
    assert first.partial is not None and first.args == (
        f"-XX:ArchiveClassesAtExit={first.partial}", jvm_cds.QUIET)
    # while it runs, another run neither makes nor uses one
    assert jvm_cds.plan(tmp_path / "cds", "server", java) == jvm_cds.NOTHING
    first.partial.write_bytes(b"archive")  # what the JVM writes at its exit
    assert jvm_cds.finish(first, clean_exit=True)
    assert first.final.read_bytes() == b"archive" and not first.claim.exists()
    used = jvm_cds.plan(tmp_path / "cds", "server", java)
    assert used.args == (f"-XX:SharedArchiveFile={first.final}", jvm_cds.QUIET)
    assert used.partial is None
    # another kind (another class path) has an archive of its own
    assert jvm_cds.plan(tmp_path / "cds", "admin", java).partial is not None


def test_an_unclean_exit_keeps_nothing_and_frees_the_claim(tmp_path):
    java = _fake_java(tmp_path)
    run = jvm_cds.plan(tmp_path / "cds", "server", java)
    run.partial.write_bytes(b"half")  # killed while it wrote
    assert not jvm_cds.finish(run, clean_exit=False)
    assert not run.final.exists() and not run.partial.exists() and not run.claim.exists()
    assert jvm_cds.plan(tmp_path / "cds", "server", java).partial is not None


def test_a_claim_whose_process_is_gone_is_taken_over(tmp_path):
    java = _fake_java(tmp_path)
    run = jvm_cds.plan(tmp_path / "cds", "server", java)
    dead = subprocess.Popen(["true"])
    dead.wait()
    jvm_cds.hold(run, dead.pid)  # the JVM that held it has ended without a stop
    again = jvm_cds.plan(tmp_path / "cds", "server", java)
    assert again.partial is not None and again.partial != run.partial


def test_the_plan_survives_the_process_that_started_the_server(tmp_path):
    java = _fake_java(tmp_path)
    run = jvm_cds.plan(tmp_path / "cds", "server", java)
    record = tmp_path / "cds-pending.json"
    jvm_cds.remember(run, record)
    run.partial.write_bytes(b"archive")
    assert jvm_cds.finish_recorded(record, clean_exit=True)  # e.g. `graphfraud neo4j stop`
    assert run.final.exists() and not record.exists()
    assert not jvm_cds.finish_recorded(record, clean_exit=True)  # nothing left to do


def test_a_folder_it_may_not_write_runs_without(tmp_path):
    shut = tmp_path / "shared-runtime"
    shut.mkdir()
    shut.chmod(0o500)
    try:
        if os.access(shut, os.W_OK):  # root writes anywhere: a file in the way instead
            shut.chmod(0o700)
            (shut / "cds").write_text("not a folder")
        assert jvm_cds.plan(shut / "cds", "server", _fake_java(tmp_path)) == jvm_cds.NOTHING
    finally:
        shut.chmod(0o700)


def test_switched_off_it_adds_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_NEO4J_CDS", "0")
    assert jvm_cds.plan(tmp_path / "cds", "server", _fake_java(tmp_path)) == jvm_cds.NOTHING


def test_a_broken_archive_does_not_stop_the_jvm(tmp_path):
    if JAVA is None:
        unavailable("no java on this machine")  # the project's one rule: fails in CI
    broken = tmp_path / "broken.jsa"
    broken.write_bytes(b"\0" * 4096)
    done = subprocess.run([JAVA, f"-XX:SharedArchiveFile={broken}", jvm_cds.QUIET, "-version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "cds" not in done.stdout + done.stderr, done.stderr


@pytest.mark.neo4j
def test_neo4j_admin_makes_the_archive_then_runs_on_it(tmp_path, settings, monkeypatch):
    """The real neo4j-admin: the first run writes the archive, the second maps it and
    prints the same."""
    s = replace(settings, home=tmp_path / "home")
    monkeypatch.setattr(neo4j_local, "_cds_dir", lambda runtime: tmp_path / "cds")
    first = neo4j_local.admin(s, "--version")
    assert first.returncode == 0, first.stderr
    archives = list((tmp_path / "cds").glob("admin-*.jsa"))
    assert len(archives) == 1 and archives[0].stat().st_size > 1_000_000
    assert not list((tmp_path / "cds").glob("*.claim"))
    seen: list[list[str]] = []
    real_run = subprocess.run

    def spying(cmd, *a, **k):
        seen.append(list(cmd))
        return real_run(cmd, *a, **k)

    monkeypatch.setattr(neo4j_local.subprocess, "run", spying)
    second = neo4j_local.admin(s, "--version")
    assert second.returncode == 0 and second.stdout == first.stdout
    assert f"-XX:SharedArchiveFile={archives[0]}" in seen[-1]
