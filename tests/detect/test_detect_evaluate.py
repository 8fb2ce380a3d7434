from graphfraud.detect.evaluate import evaluate_findings


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
    r = evaluate_findings({"findings": findings}, truth)["phoenix"]
    assert r["recall@5"] == 0.8 and r["recall@10"] == 0.9  # 4 and 9 cases below a decoy
    assert r["precision@10"] == 0.9 and r["decoys_in_top3"] == 1
    assert not r["all_cases_in_top10"]
    shared = {"findings": [{"kind": "phoenix", "rank": 1, "primary": "Trader:T0",
                            "subjects": {"traders": ["T0", "T1"]}}]}
    two = {"cases": truth["cases"][:2], "decoys": []}
    assert evaluate_findings(shared, two)["phoenix"]["recall@5"] == 1.0
