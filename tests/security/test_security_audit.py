"""Audit log: hash chain, tamper detection, concurrent appends, filters, retention."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from graphfraud.security.audit import (
    ZERO_HASH,
    AuditError,
    AuditLog,
    canonical,
    head,
    load_key,
    prune,
    read,
    record_hash,
    verify,
    write_head,
)


def fill(log: AuditLog, n: int, user: str = "ann") -> list[dict]:
    return [log.record("query", user, "analyst", purpose="case work", case_ref="ZAAK-1",
                       detail={"query": f"q{i}", "naïve": "é"}, result_size=i)
            for i in range(n)]


def test_record_fields_and_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    recs = fill(log, 3)
    assert recs[0]["seq"] == 1 and recs[0]["prev_hash"] == ZERO_HASH
    assert recs[1]["prev_hash"] == recs[0]["hash"]
    assert set(recs[0]) == {"seq", "time", "action", "user", "role", "purpose", "case_ref",
                            "detail", "result_size", "prev_hash", "hash"}
    assert recs[0]["time"].endswith("Z")
    body = {k: v for k, v in recs[2].items() if k != "hash"}
    assert recs[2]["hash"] == record_hash(recs[2], load_key(tmp_path / "audit.jsonl"))
    assert '"seq":3' in canonical(body) and " " not in canonical(body).replace("case work", "")
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == recs
    result = verify(tmp_path / "audit.jsonl")
    assert result.ok and result.records == 3 and result.first_bad_seq is None
    assert head(tmp_path / "audit.jsonl") == (3, recs[2]["hash"])


def test_file_mode_0600(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    fill(log, 1)
    assert stat.S_IMODE(os.stat(tmp_path / "audit.jsonl").st_mode) == 0o600


def test_unknown_action_refused(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    with pytest.raises(ValueError, match="unknown audit action"):
        log.record("retention", "ann", "analyst")
    with pytest.raises(ValueError, match="unknown audit action"):
        log.record("delete_everything", "ann", "analyst")


def test_every_one_byte_edit_is_detected_and_named(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 4)
    original = path.read_bytes()
    lines = original.split(b"\n")
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(4)]
    for pos in range(len(original) - 1):  # every byte but the final newline
        if original[pos:pos + 1] == b"\n":
            continue
        line_no = max(i for i in range(4) if starts[i] <= pos) + 1
        for new in (b"X", b"0"):
            if original[pos:pos + 1] == new:
                continue
            path.write_bytes(original[:pos] + new + original[pos + 1:])
            result = verify(path)
            assert not result.ok, pos
            assert result.first_bad_line == line_no, (pos, result)
            assert f"line {line_no}" in result.reason
    path.write_bytes(original)
    assert verify(path).ok


def test_edit_of_a_field_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 5)
    text = path.read_text(encoding="utf-8").replace('"result_size":2', '"result_size":7')
    path.write_text(text, encoding="utf-8")
    result = verify(path)
    assert not result.ok and result.first_bad_seq == 3 and result.first_bad_line == 3
    assert "seq 3" in result.reason


def test_removed_or_reordered_record_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 5)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:2] + lines[3:]))
    result = verify(path)
    assert not result.ok and result.first_bad_line == 3 and result.first_bad_seq == 4
    path.write_text("".join([lines[1], lines[0]] + lines[2:]))
    assert not verify(path).ok


def _append(path: str, user: str, n: int) -> None:
    log = AuditLog(path)
    for i in range(n):
        log.record("search", user, "investigator", detail={"i": i})


def test_concurrent_appends_from_two_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "audit.jsonl")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append, args=(path, user, 60)) for user in ("ann", "ivo")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    result = verify(path)
    assert result.ok, result.reason
    assert result.records == 120
    recs = read(path)
    assert [r["seq"] for r in recs] == list(range(1, 121))
    assert {r["user"] for r in recs} == {"ann", "ivo"}


def test_read_filters(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.record("login", "ann", "analyst")
    log.record("search", "ann", "analyst", detail={"q": "Tabak"})
    log.record("export", "ivo", "investigator", purpose="Wpg art. 9", case_ref="ZAAK-7",
               result_size=12)
    assert [r["action"] for r in read(path, user="ann")] == ["login", "search"]
    assert [r["user"] for r in log.read(action="export")] == ["ivo"]
    assert len(read(path, since=date.today() - timedelta(days=1))) == 3
    assert read(path, since=datetime.now(UTC) + timedelta(hours=1)) == []
    assert len(read(path, since=datetime.now() - timedelta(hours=30))) == 3  # naive = UTC
    assert read(path, user="ann", action="export") == []
    assert read(tmp_path / "missing.jsonl") == []


def _backdate(path: Path, days_by_seq: dict[int, int]) -> None:
    """Rewrite times (and re-chain with the key, re-anchoring the head) to simulate an
    old log."""
    key = load_key(path)
    recs = [json.loads(line) for line in path.read_text().splitlines()]
    prev = ZERO_HASH
    now = datetime.now(UTC)
    for rec in recs:
        if rec["seq"] in days_by_seq:
            rec["time"] = (now - timedelta(days=days_by_seq[rec["seq"]])).isoformat() \
                .replace("+00:00", "Z")
        rec["prev_hash"] = prev
        rec["hash"] = record_hash(rec, key)
        prev = rec["hash"]
    path.write_text("".join(canonical(r) + "\n" for r in recs))
    write_head(path, recs[-1]["seq"], recs[-1]["hash"], key)


def test_prune_keeps_the_chain_valid(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    fill(log, 6)
    _backdate(path, {1: 400, 2: 390, 3: 380, 4: 10})
    assert verify(path).ok
    kept_before = path.read_text().splitlines()[3:]
    removed_last = json.loads(path.read_text().splitlines()[2])
    assert prune(path, 365) == 3
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    assert first["action"] == "retention"
    assert first["seq"] == 3
    assert first["detail"]["removed_last_hash"] == removed_last["hash"]
    assert first["detail"]["removed_records"] == 3
    assert lines[1:] == kept_before  # kept records are unchanged
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    result = verify(path)
    assert result.ok, result.reason
    assert result.records == 4
    # appending after a prune continues the chain
    rec = log.record("login", "ann", "analyst")
    assert rec["seq"] == 7
    assert verify(path).ok
    # nothing old enough: nothing changes
    assert prune(path, 365) == 0
    # a second prune replaces the retention record and counts what went before
    assert json.loads(path.read_text().splitlines()[0])["action"] == "retention"
    assert log.prune(5) == 1  # seq 4 is 10 days old
    first = json.loads(path.read_text().splitlines()[0])
    assert first["seq"] == 4 and first["detail"]["removed_records"] == 4
    assert first["detail"]["removed_first_seq"] == 1
    assert verify(path).ok
    # prune everything, then append
    assert prune(path, 0, now=datetime.now(UTC) + timedelta(seconds=5)) == 3
    assert verify(path).records == 1
    assert log.record("login", "ivo", "investigator")["seq"] == 8
    assert verify(path).ok


def test_tampered_retention_record_detected(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 3)
    _backdate(path, {1: 100})
    prune(path, 30)
    text = path.read_text()
    path.write_text(text.replace('"removed_records":1', '"removed_records":0'))
    result = verify(path)
    assert not result.ok and result.first_bad_line == 1


def test_retention_record_only_first(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 2)
    _backdate(path, {1: 100})
    prune(path, 30)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[1], lines[0]]) + "\n")
    assert not verify(path).ok


def test_prune_refuses_a_broken_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 2)
    path.write_text(path.read_text().replace("q0", "qX"))
    with pytest.raises(AuditError, match="does not verify"):
        prune(path, 0)


def test_damaged_tail_stops_appends(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    fill(log, 1)
    with open(path, "a") as fh:
        fh.write('{"seq": 2, "trunc')
    with pytest.raises(AuditError, match="damaged"):
        log.record("login", "ann", "analyst")
    assert not verify(path).ok
    with pytest.raises(AuditError, match="line 2 is not a JSON record"):
        read(path)


# --- the tamper table: each way of forging the log, detected ---------------------------

def _sha_chain(recs: list[dict]) -> list[dict]:
    """Recompute the chain the old way (plain SHA-256, no key), as a forger would."""
    import hashlib

    prev = ZERO_HASH
    for rec in recs:
        rec["prev_hash"] = prev
        body = {k: v for k, v in rec.items() if k != "hash"}
        rec["hash"] = hashlib.sha256(canonical(body).encode()).hexdigest()
        prev = rec["hash"]
    return recs


def _recs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().split(b"\n") if line]


def _write(path: Path, recs: list[dict]) -> None:
    path.write_bytes(b"".join(canonical(r).encode() + b"\n" for r in recs))


@pytest.fixture
def log5(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    fill(AuditLog(path), 5)
    assert verify(path).ok
    return path


def test_tamper_edit_and_recompute_the_chain(log5: Path) -> None:
    recs = _recs(log5)
    recs[2]["user"] = "someone-else"
    _write(log5, _sha_chain(recs))
    result = verify(log5)
    assert not result.ok and result.first_bad_line == 1 and "hash" in result.reason


def test_tamper_delete_a_record_and_renumber(log5: Path) -> None:
    recs = _recs(log5)
    del recs[1]
    for i, rec in enumerate(recs, start=1):
        rec["seq"] = i
    _write(log5, _sha_chain(recs))
    assert not verify(log5).ok
    recs = _recs(log5)  # renumbering without re-chaining breaks too
    _write(log5, recs)
    assert not verify(log5).ok


def test_tamper_delete_a_record(log5: Path) -> None:
    recs = _recs(log5)
    _write(log5, recs[:2] + recs[3:])
    result = verify(log5)
    assert not result.ok and result.first_bad_line == 3


def test_tamper_append_a_forged_record(log5: Path) -> None:
    recs = _recs(log5)
    forged = dict(recs[-1], seq=6, prev_hash=recs[-1]["hash"], user="ghost")
    forged["hash"] = _sha_chain([dict(forged)])[0]["hash"]
    _write(log5, recs + [forged])
    result = verify(log5)
    assert not result.ok and result.first_bad_line == 6


def test_tamper_append_a_copied_record(log5: Path) -> None:
    """A well-formed record copied from elsewhere with the key's MAC still does not
    fit: the anchored head is behind it."""
    recs = _recs(log5)
    key = load_key(log5)
    extra = dict(recs[-1], seq=6, prev_hash=recs[-1]["hash"])
    extra["hash"] = record_hash(extra, key)
    _write(log5, recs + [extra])
    result = verify(log5)
    assert not result.ok and "appended" in result.reason


def test_tamper_cut_the_tail(log5: Path) -> None:
    _write(log5, _recs(log5)[:3])
    result = verify(log5)
    assert not result.ok and "cut off" in result.reason


def test_tamper_empty_the_file(log5: Path) -> None:
    log5.write_bytes(b"")
    result = verify(log5)
    assert not result.ok and "emptied" in result.reason


def test_tamper_delete_the_file(log5: Path) -> None:
    log5.unlink()
    result = verify(log5)
    assert not result.ok and "deleted" in result.reason


def test_tamper_delete_the_head_or_forge_it(log5: Path) -> None:
    from graphfraud.security.audit import head_path

    hp = head_path(log5)
    original = hp.read_text()
    hp.write_text(original.replace('"seq": 5', '"seq": 3'))
    assert "signature" in verify(log5).reason
    hp.unlink()
    assert "head file" in verify(log5).reason


def test_tamper_fake_retention(log5: Path) -> None:
    """Drop the first records and put a retention record in front, hashed the old way."""
    recs = _recs(log5)
    fake = dict(recs[1], action="retention", purpose="retention",
                detail={"removed_last_seq": 2, "removed_last_hash": recs[1]["hash"],
                        "removed_records": 2})
    fake["hash"] = _sha_chain([dict(fake)])[0]["hash"]
    fake["prev_hash"] = recs[1]["prev_hash"]
    _write(log5, [fake] + recs[2:])
    result = verify(log5)
    assert not result.ok and result.first_bad_line == 1


def test_any_character_is_written_safely(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.record("query", "ann", "analyst", detail={"cypher": "RETURN '\u2028x\u2029\x00\x85'"})
    log.record("query", "ann", "analyst", detail={"cypher": "RETURN 2"})
    assert path.read_bytes().count(b"\n") == 2 and path.read_bytes().isascii()
    assert verify(path).ok and len(read(path)) == 2
    assert read(path)[0]["detail"]["cypher"] == "RETURN '\u2028x\u2029\x00\x85'"
    assert prune(path, 0, now=datetime.now(UTC) + timedelta(seconds=5)) == 2
    assert verify(path).ok


def test_a_full_disk_refuses_and_leaves_no_partial_record(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    import errno

    from graphfraud.security import audit as audit_mod

    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    fill(log, 2)
    before = path.read_bytes()
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if data.startswith(b"{"):
            real_write(fd, data[:10])  # a partial line, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(audit_mod.os, "write", full)
    with pytest.raises(AuditError, match="No space left"):
        log.record("query", "ann", "analyst")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert verify(path).ok
