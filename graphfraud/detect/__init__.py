"""Detectors: pure functions from graph inputs to explained, ranked findings."""
