"""The EMCS folder read in a process of its own (`emcs.prefetch`) gives the very
`FileRead`s of `read_folder` (messages, problems, notes), also for refused files; a
reader that dies leaves the folder read in the parsing process; and the bulk load's
collecting store takes it only where it defers its statements."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest.emcs import prefetch as pf
from graphfraud.ingest.emcs.read import read_folder
from graphfraud.ingest.run import prefetches_emcs
from graphfraud.store.memory import CollectingStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "emcs"


def _folder(tmp_path: Path, tiny: Path) -> Path:
    folder = tmp_path / "emcs"
    shutil.copytree(tiny / "emcs", folder)
    for d in ("d1", "d2"):
        for p in (FIXTURES / d / "emcs").glob("*.xml"):
            shutil.copy(p, folder / f"{d}-{p.name}")
    (folder / "zz-broken.xml").write_bytes(b"<not xml")
    (folder / "zz-empty.xml").write_bytes(b"")
    return folder


def test_the_child_reads_what_the_parent_reads(tmp_path, tiny_world):  # noqa: F811
    folder = _folder(tmp_path, tiny_world)
    expected = read_folder(folder)
    got = pf.FolderPrefetch(folder)
    try:
        files = got.result().files
    finally:
        got.close()
    assert files == expected
    assert sum(len(f.messages) for f in files) > 20
    assert sum(bool(f.refused) for f in files) >= 2


def test_a_dead_reader_leaves_the_read_to_the_parent(tmp_path, tiny_world):  # noqa: F811
    folder = _folder(tmp_path, tiny_world)
    got = pf.FolderPrefetch(folder)
    got._proc.kill()
    try:
        assert got.result().files == read_folder(folder)
    finally:
        got.close()


def test_only_deferring_stores_prefetch(tiny_world, monkeypatch):  # noqa: F811
    assert prefetches_emcs(CollectingStore(), tiny_world) is (
        (__import__("os").cpu_count() or 1) >= 2)
    monkeypatch.setenv("GRAPHFRAUD_EMCS_PREFETCH", "0")
    assert not prefetches_emcs(CollectingStore(), tiny_world)
    monkeypatch.delenv("GRAPHFRAUD_EMCS_PREFETCH")
    monkeypatch.setenv("GRAPHFRAUD_DEFER_STATEMENTS", "0")
    assert not prefetches_emcs(CollectingStore(), tiny_world)


def test_the_folder_is_fingerprinted_as_it_is_read(tmp_path, tiny_world):  # noqa: F811
    """The checkpoint's fingerprint of the folder, made from the bytes read (by the
    child, or here when the child died), is `files_fingerprint` of the files read."""
    from graphfraud.ingest.checkpoint import files_fingerprint

    folder = _folder(tmp_path, tiny_world)
    paths = sorted(folder.glob("*.xml"))
    for kill in (False, True):
        got = pf.FolderPrefetch(folder)
        if kill:
            got._proc.kill()
        try:
            read = got.result()
        finally:
            got.close()
        assert read.paths == paths
        assert read.fingerprint == files_fingerprint(paths)
        assert read.fingerprint != files_fingerprint(paths[1:])
