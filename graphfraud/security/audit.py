"""Append-only audit log (the Wpg *protocolplicht*): who did what, when, why, for which case.

One JSON object per line:

    {"seq", "time", "action", "user", "role", "purpose", "case_ref", "detail",
     "result_size", "prev_hash", "hash"}

`hash` is an HMAC-SHA256, under a key kept apart from the log (`keys/audit.key` beside
it, 0600 in a 0700 folder, or GRAPHFRAUD_AUDIT_KEY), of the record's canonical JSON
without `hash` (keys sorted, no spaces, ASCII only: U+2028, NUL and every other
character are escaped, so a record is always exactly one line); `prev_hash` is the
previous record's hash, 64 zeros for the first. The line itself is the canonical JSON
of the whole record, so editing any byte breaks it, and without the key nobody can
recompute the chain, renumber, append or forge a retention record.

The chain's head is anchored outside the log: `<log>.head` holds the last record's
`seq` and `hash` with an HMAC of its own, rewritten after every append. `verify` checks
the log ends exactly there, so a cut tail, an emptied or deleted log (the key exists
since the first record) are detected too.

Appends take an exclusive `fcntl` lock on `<log>.lock`, read the last record and write
one line with O_APPEND, so processes can share a log. The file is created 0600. A write
that fails or comes up short (a full disk) is cut back and raises `AuditError`: callers
hand out no result without its record.

Retention (`prune`): records older than N days are removed and the file is rewritten
with a *retention record* first. It stands in for the last removed record: it takes
that record's `seq` and `prev_hash`, and carries that record's hash in
`detail.removed_last_hash`. The record after it keeps its original `prev_hash` (the hash
of the removed record), so the kept records are not rewritten and their hashes stay as
they were. `verify` accepts a retention record as the first line only, and checks the
next record against `detail.removed_last_hash` instead of the retention record's own hash.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from graphfraud.security.filelock import locked as _locked

ZERO_HASH = "0" * 64
ACTIONS: frozenset[str] = frozenset({
    "login", "login_failed", "search", "view_entity", "view_person", "query", "export",
    "finding_decision", "ingest", "settings_change", "command",
    # case work (graphfraud/cases): every read and change of a case, watches and alerts
    "case_counts", "case_list", "case_view", "case_create", "case_note", "case_status",
    "case_members", "case_save_view", "case_link_finding", "case_export", "alerts", "watch",
    # the admins' page (issue #18): reading and verifying the log, managing users
    "audit_read", "audit_verify", "user_list", "user_add", "user_disable", "user_enable",
    "user_password", "user_role",
    # the analysts' console: a running query cancelled by its user
    "query_cancel",
})
RETENTION = "retention"  # written by `prune` only
FIELDS = ("seq", "time", "action", "user", "role", "purpose", "case_ref", "detail",
          "result_size", "prev_hash", "hash")



class AuditError(RuntimeError):
    """The log cannot be appended to or pruned; the message says where and why."""


@dataclass(frozen=True)
class VerifyResult:
    """Whether the chain holds; if not, the first bad record (seq and line) and why."""

    ok: bool
    records: int
    first_bad_seq: int | None = None
    reason: str = ""
    first_bad_line: int | None = None


def canonical(record: dict[str, Any]) -> str:
    """The canonical JSON of a record: keys sorted, no spaces, ASCII (all else escaped)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def key_path(path: str | os.PathLike[str]) -> Path:
    """Where the log's HMAC key lives: GRAPHFRAUD_AUDIT_KEY, else `keys/<log>.key`."""
    env = os.environ.get("GRAPHFRAUD_AUDIT_KEY")
    if env:
        return Path(env)
    p = Path(path)
    return p.parent / "keys" / f"{p.name}.key"


def head_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".head")


def load_key(path: str | os.PathLike[str], create: bool = False) -> bytes | None:
    """The log's HMAC key (32 random bytes, 0600); made on first use when `create`."""
    kp = key_path(path)
    try:
        return bytes.fromhex(kp.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    kp.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(kp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(path)
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return key


def record_hash(record: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 under `key` of the canonical JSON of `record` without its `hash`."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return hmac.new(key, canonical(body).encode("ascii"), hashlib.sha256).hexdigest()


def _head_mac(key: bytes, seq: int, last_hash: str) -> str:
    return hmac.new(key, f"head|{seq}|{last_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def write_head(path: str | os.PathLike[str], seq: int, last_hash: str, key: bytes) -> None:
    """Anchor the chain's head: the last record's seq and hash, signed (atomic)."""
    hp = head_path(path)
    tmp = hp.with_name(f".{hp.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        data = json.dumps({"seq": seq, "hash": last_hash,
                           "mac": _head_mac(key, seq, last_hash)}).encode("ascii")
        if os.write(fd, data) != len(data):
            raise OSError(errno.ENOSPC, "short write")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, hp)


def read_head(path: str | os.PathLike[str], key: bytes) -> tuple[int, str] | str | None:
    """(seq, hash) of the anchored head, None if there is none, or why it is bad."""
    try:
        data = json.loads(head_path(path).read_text(encoding="ascii"))
        seq, last = int(data["seq"]), str(data["hash"])
        mac = str(data["mac"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "the head file is damaged"
    if not hmac.compare_digest(mac, _head_mac(key, seq, last)):
        return "the head file's signature does not match (forged or edited)"
    return seq, last


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _link(record: dict[str, Any]) -> str:
    """The hash the next record must carry as `prev_hash`."""
    if record.get("action") == RETENTION:
        return str((record.get("detail") or {}).get("removed_last_hash", ""))
    return str(record["hash"])




def _last_line(path: Path) -> str | None:
    """The last line of the file, read from the end (the log may be large)."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None
    with fh:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        if end == 0:
            return None
        buf = b""
        pos = end
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            buf = fh.read(step) + buf
            body = buf[:-1] if buf.endswith(b"\n") else buf
            cut = body.rfind(b"\n")
            if cut >= 0:
                return body[cut + 1:].decode("utf-8")
        return (buf[:-1] if buf.endswith(b"\n") else buf).decode("utf-8")


class AuditLog:
    """An audit log file; `record` appends one hash-chained line."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def record(self, action: str, user: str, role: str, purpose: str | None = None,
               case_ref: str | None = None, detail: dict[str, Any] | None = None,
               result_size: int | None = None) -> dict[str, Any]:
        """Append a record and return it (with its seq, time and hashes)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}; known: {sorted(ACTIONS)}")
        if detail is not None and not isinstance(detail, dict):
            raise TypeError("detail must be a dict or None")
        key = load_key(self.path, create=True)
        assert key is not None
        with _locked(self.path):
            last = _last_line(self.path)
            if last is None:
                seq, prev = 1, ZERO_HASH
            else:
                try:
                    prev_rec = json.loads(last)
                    seq, prev = int(prev_rec["seq"]) + 1, _link(prev_rec)
                except (ValueError, KeyError, TypeError) as exc:
                    raise AuditError(f"the last line of {self.path} is damaged ({exc}); "
                                     "run verify and repair the log before appending") from exc
            rec: dict[str, Any] = {
                "seq": seq, "time": _now(), "action": action, "user": str(user),
                "role": str(role), "purpose": purpose, "case_ref": case_ref,
                "detail": detail, "result_size": result_size, "prev_hash": prev,
            }
            rec["hash"] = record_hash(rec, key)
            line = (canonical(rec) + "\n").encode("ascii")
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                try:
                    written = os.write(fd, line)
                    if written != len(line):
                        raise OSError(errno.ENOSPC, f"short write ({written} of "
                                      f"{len(line)} bytes)")
                    os.fsync(fd)
                except OSError as exc:
                    try:
                        os.ftruncate(fd, size)  # no partial record stays behind
                    except OSError:
                        pass
                    raise AuditError(f"could not write the audit record to {self.path}: "
                                     f"{exc.strerror or exc}") from exc
            finally:
                os.close(fd)
            try:
                write_head(self.path, seq, rec["hash"], key)
            except OSError as exc:
                raise AuditError(f"could not anchor the audit head beside {self.path}: "
                                 f"{exc.strerror or exc}") from exc
        return rec

    def verify(self) -> VerifyResult:
        return verify(self.path)

    def read(self, user: str | None = None, since: datetime | date | None = None,
             action: str | None = None) -> list[dict[str, Any]]:
        return read(self.path, user=user, since=since, action=action)

    def prune(self, older_than_days: int, **kwargs: Any) -> int:
        return prune(self.path, older_than_days, **kwargs)

    def head(self) -> tuple[int, str] | None:
        return head(self.path)


def _bad(records: int, seq: int | None, line: int, reason: str) -> VerifyResult:
    return VerifyResult(False, records, seq, f"line {line}: {reason}", line)


def verify(path: str | os.PathLike[str]) -> VerifyResult:
    """Check every line (canonical form, keyed hash, sequence, link to the previous) and
    that the log ends at the anchored head."""
    p = Path(path)
    key = load_key(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        if key is None and not head_path(p).exists():
            return VerifyResult(True, 0)
        return VerifyResult(False, 0, None, f"the log {p} is missing but its key or head "
                            "exists: it was deleted", None)
    if key is None:
        return VerifyResult(False, 0, None, f"the HMAC key {key_path(p)} is missing; the "
                            "log cannot be verified", None)
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last record
    expected_prev: str | None = None
    expected_seq: int | None = None
    count = 0
    last: tuple[int, str] = (0, "")
    for lineno, chunk in enumerate(lines, start=1):
        guess = expected_seq
        try:
            text = chunk.decode("utf-8")
            rec = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _bad(count, guess, lineno, f"not a JSON record ({exc})")
        if not isinstance(rec, dict) or set(rec) != set(FIELDS):
            return _bad(count, guess, lineno, "fields differ from an audit record's")
        seq = rec["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            return _bad(count, guess, lineno, "seq is not a number")
        if canonical(rec) != text:
            return _bad(count, seq, lineno, f"record seq {seq} is not in canonical form "
                        "(edited by hand?)")
        if not hmac.compare_digest(record_hash(rec, key), str(rec["hash"])):
            return _bad(count, seq, lineno, f"record seq {seq} does not match its hash "
                        "(edited after it was written)")
        if rec["action"] == RETENTION:
            detail = rec.get("detail") or {}
            if lineno != 1:
                return _bad(count, seq, lineno, "a retention record may only be the first")
            if detail.get("removed_last_seq") != seq or not isinstance(
                    detail.get("removed_last_hash"), str):
                return _bad(count, seq, lineno, "retention record lacks removed_last_seq/"
                            "removed_last_hash")
        elif expected_prev is None:
            if seq != 1 or rec["prev_hash"] != ZERO_HASH:
                return _bad(count, seq, lineno, "the first record must have seq 1 and a "
                            "prev_hash of 64 zeros (or be a retention record)")
        else:
            if seq != expected_seq:
                return _bad(count, seq, lineno, f"seq {seq} follows seq "
                            f"{(expected_seq or 1) - 1}; records are missing or reordered")
            if rec["prev_hash"] != expected_prev:
                return _bad(count, seq, lineno, f"record seq {seq} does not chain to the "
                            "record before it (a record before it was changed or removed)")
        expected_prev, expected_seq = _link(rec), seq + 1
        last = (seq, str(rec["hash"]))
        count += 1
    anchored = read_head(p, key)
    if isinstance(anchored, str):
        return VerifyResult(False, count, None, anchored, None)
    if anchored is None:
        return VerifyResult(False, count, None, f"the head file {head_path(p)} is missing: "
                            "the end of the log cannot be checked", None)
    if count == 0:
        return VerifyResult(False, 0, anchored[0], f"the log is empty but its head is "
                            f"record seq {anchored[0]}: it was emptied", None)
    if last != anchored:
        if last[0] < anchored[0]:
            why = (f"the log ends at seq {last[0]} but its head is seq {anchored[0]}: the "
                   "tail was cut off")
        else:
            why = (f"the log ends at seq {last[0]}, after its anchored head seq "
                   f"{anchored[0]}: records were appended without the key")
        return VerifyResult(False, count, last[0], why, len(lines))
    return VerifyResult(True, count)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _since(since: datetime | date) -> datetime:
    if isinstance(since, datetime):
        return since if since.tzinfo else since.replace(tzinfo=UTC)
    return datetime(since.year, since.month, since.day, tzinfo=UTC)


def _records(p: Path) -> list[dict[str, Any]]:
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return []
    out: list[dict[str, Any]] = []
    # lines end at "\n" only: a U+2028 inside an old UTF-8 record is no line break
    for lineno, line in enumerate(raw.decode("utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise AuditError(f"{p} line {lineno} is not a JSON record ({exc}); "
                             "run verify") from None
    return out


def read(path: str | os.PathLike[str], user: str | None = None,
         since: datetime | date | None = None, action: str | None = None,
         ) -> list[dict[str, Any]]:
    """Records, oldest first, filtered by user, time (>= since, UTC) and action."""
    out = _records(Path(path))
    if user is not None:
        out = [r for r in out if r["user"] == user]
    if action is not None:
        out = [r for r in out if r["action"] == action]
    if since is not None:
        start = _since(since)
        out = [r for r in out if _parse_time(r["time"]) >= start]
    return out


def head(path: str | os.PathLike[str]) -> tuple[int, str] | None:
    """The last record's seq and hash: write them down elsewhere to detect a cut tail."""
    last = _last_line(Path(path))
    if last is None:
        return None
    rec = json.loads(last)
    return int(rec["seq"]), str(rec["hash"])


def prune(path: str | os.PathLike[str], older_than_days: int, *, user: str = "system",
          role: str = "system", now: datetime | None = None) -> int:
    """Remove records older than `older_than_days`; returns how many were removed.

    The log must verify first. The kept records are written back unchanged after a
    retention record that stands in for the last removed one (see the module docstring).
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    p = Path(path)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=older_than_days)
    if cutoff.tzinfo is None:
        cutoff = cutoff.replace(tzinfo=UTC)
    key = load_key(p)
    with _locked(p):
        result = verify(p)
        if not result.ok or key is None:
            raise AuditError(f"{p} does not verify ({result.reason}); not pruning")
        records = _records(p)
        old_retention = records[0] if records and records[0]["action"] == RETENTION else None
        body = records[1:] if old_retention else records
        n_old = 0
        while n_old < len(body) and _parse_time(body[n_old]["time"]) < cutoff:
            n_old += 1
        if n_old == 0:
            return 0
        removed, kept = body[:n_old], body[n_old:]
        last = removed[-1]
        earlier = (old_retention or {}).get("detail") or {}
        rec: dict[str, Any] = {
            "seq": last["seq"], "time": _now(), "action": RETENTION, "user": user,
            "role": role, "purpose": "retention", "case_ref": None,
            "detail": {
                "older_than_days": older_than_days,
                "cutoff": cutoff.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "removed_records": n_old + int(earlier.get("removed_records", 0)),
                "removed_first_seq": earlier.get("removed_first_seq", removed[0]["seq"]),
                "removed_last_seq": last["seq"],
                "removed_last_hash": last["hash"],
                "previous_retention_hash": old_retention["hash"] if old_retention else None,
            },
            "result_size": None, "prev_hash": last["prev_hash"],
        }
        rec["hash"] = record_hash(rec, key)
        lines = [canonical(rec)] + [canonical(r) for r in kept]
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, p)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        tail = kept[-1] if kept else rec
        write_head(p, int(tail["seq"]), str(tail["hash"]), key)
    return n_old


#: detail keys that never carry a person's data (audit readers without view_persons)
SAFE_DETAIL_KEYS = frozenset({
    "name", "outcome", "command", "format", "what", "finding_id", "run_id", "decision",
    "via", "truncated", "label", "persons", "wpg", "port", "only"})


def redact_detail(detail: Any) -> Any:
    """A record's detail for a reader who may not see persons: free text withheld."""
    if not isinstance(detail, dict):
        return detail
    return {k: (v if k in SAFE_DETAIL_KEYS else "(withheld)") for k, v in detail.items()}
