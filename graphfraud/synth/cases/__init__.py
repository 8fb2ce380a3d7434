"""Planted fraud cases and the legal look-alikes (decoys) that test precision."""
