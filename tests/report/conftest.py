"""The report tests' world: `tests/_detected.py`."""

from _detected import detected  # noqa: F401 - the shared fixture
