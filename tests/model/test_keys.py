"""The NameMention key: one rule in the model, used by the loaders and the evaluation."""

from __future__ import annotations

from graphfraud.ingest import mentions
from graphfraud.model import mention_id
from graphfraud.resolve import evaluate_graph


def test_mention_id_names_file_entity_and_field() -> None:
    assert mention_id("tips.csv", "T-000042", "mentioned_name") == \
        "tips.csv:T-000042:mentioned_name"


def test_loader_and_evaluation_share_the_model_rule() -> None:
    assert mentions.mention_id is mention_id and evaluate_graph.mention_id is mention_id
    ops = mentions.mention_ops("tips.csv", 3, "Tip", "T-1", "mentioned_name", "Smit BV")
    assert ops[0][1]["key"] == mention_id("tips.csv", "T-1", "mentioned_name")
