"""Synthetic GraphFraud worlds: a legal tobacco market with planted fraud cases.

`generate_world(scale, seed, out)` writes every data-contract file plus `truth.json`
(the planted cases, decoys and name variants) so detectors and entity resolution can be
scored against a known answer.
"""

from __future__ import annotations

from graphfraud.synth.generate import generate_world

__all__ = ["generate_world"]
