"""Read a delivery's `emcs/*.xml`: each file on its own, each message validated.

A file is one message (the usual case) or a national wrapper whose children are
messages. A file that cannot be parsed safely, or that holds no EMCS message, is
reported with its reason and yields nothing; within a readable file, a message the
schema refuses is reported with the schema's path and reason, and the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from graphfraud.ingest.checkpoint import Fingerprint
from graphfraud.ingest.emcs.messages import CONTAINERS, EmcsMessage, read_message
from graphfraud.ingest.emcs.safe import MessageRefused, parse_safely
from graphfraud.ingest.emcs.schema import SCHEMA_MISSING, message_namespace, validate


@dataclass
class Problem:
    """A refused file (index 0) or message (its 1-based index in the file)."""

    file: str
    index: int
    path: str
    reason: str


@dataclass
class FileRead:
    """What one XML file gave."""

    file: str
    messages: list[EmcsMessage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def refused(self) -> str:
        """Why the file yields nothing ('' when it yields messages)."""
        if self.messages:
            return ""
        whole = [p for p in self.problems if p.index == 0]
        if whole:
            return whole[0].reason
        if self.problems:
            return f"every message refused ({len(self.problems)}); first: " \
                   f"{self.problems[0].path}: {self.problems[0].reason}"
        if self.ignored:
            kinds = ", ".join(f"{k} x{n}" for k, n in sorted(self.ignored.items()))
            return f"no message GraphFraud reads ({kinds}; it reads {', '.join(CONTAINERS)})"
        return "no EMCS message in it"


def _message_roots(root: etree._Element) -> tuple[list[etree._Element], str]:
    """The message elements of a document, and why there are none."""
    if message_namespace(root):
        return [root], ""
    inner = [c for c in root if isinstance(c.tag, str) and message_namespace(c)]
    if inner:
        return inner, ""
    q = etree.QName(root)
    return [], (f"no EMCS phase-4 message: root <{q.localname}> in namespace "
                f"{q.namespace or '(none)'!r} (a message's namespace is "
                "urn:publicid:-:EC:DGTAXUD:EMCS:PHASE4:IE8nn:Vx.y)")


def read_bytes(data: bytes, name: str) -> FileRead:
    out = FileRead(name)
    try:
        root = parse_safely(data)
    except MessageRefused as exc:
        out.problems.append(Problem(name, 0, "", str(exc)))
        return out
    roots, why = _message_roots(root)
    if why:
        out.problems.append(Problem(name, 0, "", why))
    for index, el in enumerate(roots, start=1):
        kind, version = message_namespace(el) or ("", "")
        if kind not in CONTAINERS:
            out.ignored[kind] = out.ignored.get(kind, 0) + 1
            continue
        errors = validate(el, kind, version)
        if errors and errors[0].startswith(SCHEMA_MISSING):
            out.notes.append(f"message {index} ({kind}): {errors[0]}; read by element names")
        elif errors:
            path, _, reason = errors[0].partition(": ")[2].partition(": ")
            out.problems.append(Problem(name, index, path, f"{kind} {version} schema: {reason}"
                                        + (f" (+{len(errors) - 1} more)" if len(errors) > 1
                                           else "")))
            continue
        m = read_message(el, kind, version, name, index)
        if not m.arc:
            out.problems.append(Problem(name, index, "", f"{kind}: no ARC"))
            continue
        out.messages.append(m)
    if out.ignored:
        out.notes.append("not read: " + ", ".join(f"{k} x{n}"
                                                   for k, n in sorted(out.ignored.items())))
    return out


@dataclass
class FolderRead:
    """A folder read: what each file gave, the files read (sorted by name) and the
    checkpoint's `files_fingerprint` of them, made from the very bytes read."""

    files: list[FileRead]
    paths: list[Path]
    fingerprint: str


def read_folder_once(folder: Path, prefix: str = "emcs/") -> FolderRead:
    """Every `*.xml` in `folder` (sorted by name), each read on its own, and hashed for
    the checkpoint as it is read (the folder is not read a second time for it)."""
    paths = sorted(folder.glob("*.xml"))
    fingerprint = Fingerprint()
    files = []
    for p in paths:
        data = p.read_bytes()
        fingerprint.add(p, data)
        files.append(read_bytes(data, prefix + p.name))
    return FolderRead(files, paths, fingerprint.hexdigest())


def read_folder(folder: Path, prefix: str = "emcs/") -> list[FileRead]:
    """Every `*.xml` in `folder` (sorted by name), each read on its own."""
    return read_folder_once(folder, prefix).files
