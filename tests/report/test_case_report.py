"""The case report of the planted factory case (tiny world, seed 3), on both stores:
rendered to text (`pdftotext`) and to PNG (`pdftoppm`) it holds the cover sheet's
classification, the score waterfall, every evidence ref with its source file and
delivery, the network with its legend, the register card and the run's data hash; the
same case and run give the same PDF apart from the print date; the HTML file is
self-contained; readers without case rights get no report."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from graphfraud.security.roles import PermissionDenied
from graphfraud.security.session import Session
from graphfraud.security.users import User


def _planted_case(detected):
    store, home, doc, out = detected
    truth = json.loads((out / "truth.json").read_text())
    planted = next(c for c in truth["cases"] if c["kind"] == "factory_site")
    site = set(planted["subjects"]["premises"])
    finding = next(f for f in doc.findings if f.kind == "factory_site"
                   and site & set(f.subject_ids("premises")))
    inv = Session(store, home, User("inv", "investigator"), purpose="case OM-2026-17")
    case = inv.create_case("OM-2026-17", planted["description"][:60], finding=finding,
                           run=doc.run)
    inv.add_case_note(case.case_id, "Seizure report requested from the FIOD.")
    inv.set_case_status(case.case_id, "investigating", "tip and seizure confirm the site")
    return inv, case, finding, doc


def _text(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_factory_case_report_holds_its_evidence(detected, tmp_path):
    inv, case, finding, doc = _planted_case(detected)
    began = time.perf_counter()
    pdf = inv.case_report(case.case_id, "pdf", printed_at="2026-12-01 10:00 UTC")
    seconds = time.perf_counter() - began
    text = _text(pdf, tmp_path, "report")
    flat = " ".join(text.split())
    assert "Classification: politiegegevens" in flat and "Case report OM-2026-17" in flat
    assert "date printed 2026-12-01 10:00 UTC" in flat
    # the waterfall: every signal with its part, summing to the score
    for r in finding.reasons:
        assert re.search(rf"{r.signal}\s+\+{r.part:.3f}", text), r.signal
    assert f"score {finding.score:.3f}" in flat
    # every evidence ref with its source file and delivery on its row
    rows = {line.split()[0]: line.split() for line in text.splitlines()
            if line.strip() and ":" in line.split()[0] and "-" in line}
    sources = {"MachineEvent": "machine_events.csv", "Seizure": "seizures.csv",
               "Movement": "movements.csv", "Tip": "tips.csv", "Person": "persons.csv",
               "Trader": "traders.csv", "Premise": "premises.csv"}
    refs = [ref for r in finding.reasons for ref in r.refs]
    assert refs
    for ref in refs:
        assert ref in rows, ref
        assert sources[ref.split(":")[0]] in rows[ref] and "tiny" in rows[ref], rows[ref]
    # the network with its legend, the register card, the run's metadata
    assert "Network" in flat and "Legend" in flat
    for label in ("Trader (", "Premise (", "Address (", "Movement ("):
        assert label in flat, label
    assert "GraphFraud factory site detector" in flat
    assert doc.run.data_hash in flat and doc.run.run_id in flat
    assert "Seizure report requested from the FIOD." in flat  # notes
    assert "case_status" in flat and "case_create" in flat  # the audit trail
    # rendered: a page per section, the network page carries the legend's colours
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    from PIL import Image

    from graphfraud.explore.network import LABEL_COLOURS

    colours = {c for _, c in Image.open(pages[2]).convert("RGB").getcolors(1 << 20)}
    for label in ("Trader", "Premise", "Movement"):
        hexc = LABEL_COLOURS[label].lstrip("#")
        assert tuple(int(hexc[i:i + 2], 16) for i in (0, 2, 4)) in colours, label
    print(f"report of {len(text)} characters, {len(pages)} pages in {seconds:.2f} s")


def test_same_case_and_run_give_the_same_report(detected, tmp_path):
    inv, case, _, _ = _planted_case(detected)
    one = inv.case_report(case.case_id, "pdf", printed_at="2026-12-01 10:00 UTC")
    two = inv.case_report(case.case_id, "pdf", printed_at="2026-12-01 10:00 UTC")
    assert one == two
    later = inv.case_report(case.case_id, "pdf", printed_at="2027-01-05 08:30 UTC")
    a = _text(one, tmp_path, "a").splitlines()
    b = _text(later, tmp_path, "b").splitlines()
    assert len(a) == len(b)
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert differ and all("2026-12-01 10:00 UTC" in x and "2027-01-05 08:30 UTC" in y
                          for x, y in differ)
    h1 = inv.case_report(case.case_id, "html", printed_at="2026-12-01 10:00 UTC")
    assert h1 == inv.case_report(case.case_id, "html", printed_at="2026-12-01 10:00 UTC")
    html = h1.decode("utf-8")
    assert "politiegegevens" in html and "<svg" in html and "Legend" in html
    assert "@font-face" in html and "base64," in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!data:)""", html)  # nothing outside
    assert not re.search(r"url\((?!data:)", html)


def test_readers_without_case_rights_get_no_report(detected):
    store, home, _, _ = detected
    inv, case, _, _ = _planted_case(detected)
    for role in ("manager", "analyst", "admin"):
        with pytest.raises(PermissionDenied):
            Session(store, home, User(f"x-{role}", role)).case_report(case.case_id)
