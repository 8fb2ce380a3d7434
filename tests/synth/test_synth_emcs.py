"""The generator's EMCS share: real phase-4 messages, every one valid against V3.13,
follow-ups partly in a later delivery of the same world, some IE819/IE871."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from graphfraud.ingest.emcs.read import read_folder
from graphfraud.ingest.emcs.safe import parse_safely
from graphfraud.ingest.emcs.schema import message_namespace, validate


def _check_all(folder: Path) -> Counter:
    kinds: Counter = Counter()
    files = sorted(folder.glob("*.xml"))
    assert files
    for path in files:
        root = parse_safely(path.read_bytes())
        kind, version = message_namespace(root)
        assert version == "V3.13"
        assert validate(root, kind, version) == [], path.name
        kinds[kind] += 1
    return kinds


def test_every_generated_message_validates_against_v313(tiny_world: Path) -> None:
    now = _check_all(tiny_world / "emcs")
    later = _check_all(tiny_world / "later" / "emcs")
    assert now["IE801"] and not later["IE801"]  # the e-ADs come first
    assert sum(later.values()) > 0


def test_an_all_xml_world_has_every_story_message(tmp_path: Path) -> None:
    from graphfraud.synth import generate_world

    kinds: Counter = Counter()
    for seed in (11, 13):  # tiny worlds: one has changes of destination, one cancellations
        out = tmp_path / str(seed)
        generate_world("tiny", seed, out, xml_share=1.0)
        kinds += _check_all(out / "emcs") + _check_all(out / "later" / "emcs")
        files = read_folder(out / "emcs") + read_folder(out / "later" / "emcs")
        assert not [f.file for f in files if f.problems or f.notes]
    assert {"IE801", "IE813", "IE818", "IE810", "IE819", "IE871"} <= set(kinds)
