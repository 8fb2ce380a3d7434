"""The case report: one content model (`content`), gathered through the Session, drawn
as a PDF (`pdf`, reportlab) and as a self-contained HTML file (`html`)."""

from graphfraud.report.content import CLASSIFICATION, ReportContent, gather

__all__ = ["CLASSIFICATION", "ReportContent", "gather"]
