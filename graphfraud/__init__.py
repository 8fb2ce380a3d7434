"""GraphFraud: a graph workbench for excise-fraud investigation."""

__version__ = "0.1.0"
