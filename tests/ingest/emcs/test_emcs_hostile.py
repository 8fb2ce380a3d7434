"""Hostile XML in a delivery: each file refused with its reason, the good one loads,
nothing from a local file reaches the graph; memory stays bounded (subprocess RSS)."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from graph_view import graph_view

from graphfraud.ingest.run import ingest_directory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "emcs"
SECRET = "GF-SECRET-7c1f"


def hostile_files(folder: Path, secret_file: Path) -> dict[str, str]:
    """name -> the reason the quarantine must give."""
    good = (FIXTURES / "d1" / "emcs" / "IE801-two-lines.xml").read_text(encoding="utf-8")
    body = good.split("?>", 1)[1]
    files = {
        "xxe.xml": (f'<?xml version="1.0"?><!DOCTYPE ie:IE801 [<!ENTITY x SYSTEM '
                    f'"file://{secret_file}">]>' + body.replace("Noordster", "&x;"),
                    "DOCTYPE/ENTITY declaration refused"),
        "laughs.xml": ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                       + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'
                                 if i else '<!ENTITY lol0 "&lol;&lol;">' for i in range(10))
                       + ']><lolz>&lol9;</lolz>', "DOCTYPE/ENTITY declaration refused"),
        "deep.xml": ("<a>" * 10_000 + "</a>" * 10_000, "Excessive depth"),
        "truncated.xml": (good[: len(good) // 2], "not well-formed XML"),
        "undeclared.xml": (body.replace("Noordster", "&x;"), "not well-formed XML"),
    }
    for name, (text, _) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {f"emcs/{n}": reason for n, (_, reason) in files.items()}


def test_hostile_files_are_quarantined_and_the_good_one_loads(store, tmp_path) -> None:
    d = tmp_path / "d"
    shutil.copytree(FIXTURES / "d1", d)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    expected = hostile_files(d / "emcs", secret)
    report = ingest_directory(store, d, resolve=False)
    unreadable = {f.file: f.reason for f in report.files if f.status == "unreadable"}
    assert set(unreadable) == set(expected)
    for name, reason in expected.items():
        assert reason in unreadable[name], (name, unreadable[name])
    quarantine = (d / ".graphfraud" / "quarantine" / "emcs.csv").read_text(encoding="utf-8")
    for name in expected:
        assert name in quarantine
    emcs = next(f for f in report.files if f.file == "emcs")
    assert (emcs.messages, emcs.loaded) == (2, 3)  # the two good e-ADs, three lines
    nodes, _ = graph_view(store)
    assert SECRET not in json.dumps(nodes, default=str)
    assert len(nodes["Movement"]) == 2


def test_a_hostile_file_keeps_memory_bounded(tmp_path) -> None:
    """Peak RSS of reading every hostile file in a fresh interpreter (< 300 MB)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    (tmp_path / "emcs").mkdir()
    hostile_files(tmp_path / "emcs", secret)
    big = "<a>" + "&lol9;" * 1000 + "</a>"
    (tmp_path / "emcs" / "expansion.xml").write_text(
        '<!DOCTYPE a [<!ENTITY lol "' + "x" * 1000 + '">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i else "") + ";") * 10}">'
                  for i in range(10)) + "]>" + big)
    code = ("import resource, sys\nfrom pathlib import Path\n"
            "from graphfraud.ingest.emcs.read import read_folder\n"
            "out = read_folder(Path(sys.argv[1]))\n"
            "assert all(not f.messages and f.refused for f in out), out\n"
            # VmHWM: the peak of this interpreter's own memory (ru_maxrss would also carry the
            # forking test process's size across exec, ~300 MB late in a full run)
            "print(next(int(x.split()[1]) for x in open('/proc/self/status')\n"
            "           if x.startswith('VmHWM:')))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "emcs")],
                          capture_output=True, text=True, timeout=120, check=True)
    peak_mb = int(done.stdout.strip()) / 1024
    assert peak_mb < 300, peak_mb
    assert resource  # the parent's figure is not the one measured


@pytest.mark.parametrize("payload", [b"", b"   \n"])
def test_an_empty_file_is_reported(tmp_path, payload: bytes) -> None:
    from graphfraud.ingest.emcs.read import read_bytes

    out = read_bytes(payload, "emcs/empty.xml")
    assert out.refused == "empty file"
