"""One delivery with everything hostile at once (issue 16): a 50 MB cell and NUL bytes in
the trader register, a 100 MB XML element and five bad XML files beside two good e-ADs.
Every good row and every good message loads, each bad one is quarantined with its reason,
and the command line prints no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "emcs"))
from test_emcs_hostile import FIXTURES, hostile_files  # noqa: E402

TAIL = (",,bv,46350,authorised_warehousekeeper,active,2005-05-01,,Markt,1,1011 AB,"
        "Amsterdam,NL,,,,,")


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    d = tmp_path_factory.mktemp("hostile-delivery") / "d"
    shutil.copytree(FIXTURES / "d1", d)
    with open(d / "traders.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(f'T-X-1,"{"A" * 50_000_000}",20000001,NL00000000999{TAIL}\n')
        fh.write(f"T-X-2,Nul\x00Byte B.V.,20000002,NL00000000998{TAIL}\n")
        fh.write(f"T-X-3,Goede Handel B.V.,20000003,NL00000000997{TAIL}\n")
    secret = d.parent / "secret.txt"
    secret.write_text("GF-SECRET-delivery")
    expected = hostile_files(d / "emcs", secret)
    good = (d / "emcs" / "IE801-second.xml").read_text(encoding="utf-8")
    name = good.split("<ie:TraderName>", 1)[1].split("</ie:TraderName>", 1)[0]
    huge = good.replace(f"<ie:TraderName>{name}</ie:TraderName>",
                        f"<ie:TraderName>{'N' * 100_000_000}</ie:TraderName>", 1)
    assert len(huge) > 100_000_000
    (d / "emcs" / "huge-element.xml").write_text(huge, encoding="utf-8")
    expected["emcs/huge-element.xml"] = ""
    return d, expected


def test_every_good_row_and_message_loads_and_each_bad_one_is_quarantined(store, delivery):
    d, expected = delivery
    report = ingest_directory(store, d, "hostile", resolve=False)
    files = {f.file: f for f in report.files}
    traders = files["traders.csv"]
    assert (traders.loaded, traders.quarantined) == (6, 2)
    unreadable = {f.file: f.reason for f in report.files if f.status == "unreadable"}
    assert set(unreadable) == set(expected)
    for name, reason in expected.items():
        assert unreadable[name] and reason in unreadable[name], (name, unreadable[name])
    emcs = files["emcs"]
    assert (emcs.messages, emcs.loaded) == (2, 3)  # both good e-ADs, three lines
    quarantine = d / ".graphfraud" / "quarantine"
    q_traders = (quarantine / "traders.csv").read_text(encoding="utf-8")
    assert "NUL byte" in q_traders and "unparseable row" in q_traders
    q_emcs = (quarantine / "emcs.csv").read_text(encoding="utf-8")
    assert all(name in q_emcs for name in expected)
    assert (quarantine / "emcs.csv").stat().st_size < 1_000_000  # reasons, not the 100 MB
    names = {r["name"] for r in store.read_cypher(
        "MATCH (t:Trader) RETURN t.name AS name", row_cap=100).rows}
    assert "Goede Handel B.V." in names and not any("\x00" in n or len(n) > 1000
                                                   for n in names)
    arcs = store.read_cypher("MATCH (m:Movement) RETURN count(m) AS n").rows[0]["n"]
    assert arcs == 2


def test_the_cli_prints_each_bad_file_and_no_traceback(embedded_settings, test_env,
                                                       delivery):
    d, expected = delivery
    out = subprocess.run([sys.executable, "-m", "graphfraud.cli", "ingest", str(d),
                          "--fresh"], env=test_env, capture_output=True, text=True,
                         timeout=600)
    assert "Traceback" not in out.stdout + out.stderr
    assert out.returncode == 1, out.stderr[-2000:]  # loaded, but not everything: said so
    assert "traders.csv" in out.stdout and "emcs: 2 messages" in out.stdout
    for name in expected:
        assert f"UNREADABLE {name}: " in out.stderr, name
