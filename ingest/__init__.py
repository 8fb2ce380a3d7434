"""Loaders, one per source file of the data contract."""
