from graphfraud.detect.evaluate import evaluate_findings
from graphfraud.detect.records import FindingsDocument


def _doc(d):
    return FindingsDocument.from_dict(d)


def _finding(kind, rank, trader):
    return {"kind": kind, "rank": rank, "primary": f"Trader:{trader}",
            "subjects": {"traders": [trader]}}


def test_capped_recall_and_precision_and_decoys():
    truth = {"cases": [{"kind": "phoenix", "primary": {"type": "trader", "id": f"T{i}"}}
                       for i in range(12)],
             "decoys": [{"looks_like": "phoenix", "variant": "d",
                         "primary": {"type": "trader", "id": "D1"}}]}
    findings = [_finding("phoenix", 1, "D1")] + [_finding("phoenix", i + 2, f"T{i}")
                                                 for i in range(12)]
    r = evaluate_findings(_doc({"findings": findings}), truth)["phoenix"]
    assert r["recall@5"] == 0.8 and r["recall@10"] == 0.9  # 4 and 9 cases below a decoy
    assert r["precision@10"] == 0.9 and r["decoys_in_top3"] == 1
    assert not r["all_cases_in_top10"]
    shared = {"findings": [{"kind": "phoenix", "rank": 1, "primary": "Trader:T0",
                            "subjects": {"traders": ["T0", "T1"]}}]}
    two = {"cases": truth["cases"][:2], "decoys": []}
    assert evaluate_findings(_doc(shared), two)["phoenix"]["recall@5"] == 1.0


def test_decoys_are_recognised_in_a_detect_document():
    """The document carries each finding's primary subject, so a decoy can be ranked."""
    from graphfraud.detect.scoring import Finding, Reason

    decoy = Finding("diversion", "Trader:D1", "consignee D1",
                    [Reason("always_satisfactory", 0.15, "clean", ("Trader:D1",))],
                    {"traders": ["D1"]})
    doc = {"findings": [decoy.to_dict(rank=1)]}
    assert doc["findings"][0]["primary"] == "Trader:D1"
    truth = {"cases": [{"kind": "diversion", "primary": {"type": "trader", "id": "T1"}}],
             "decoys": [{"looks_like": "diversion", "variant": "busy",
                         "primary": {"type": "trader", "id": "D1"}}]}
    r = evaluate_findings(_doc(doc), truth)["diversion"]
    assert r["decoy_ranks"][0]["rank"] == 1 and r["decoys_in_top3"] == 1
