"""The ingest's writer thread: one batch in flight while the next one is parsed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["BatchWriter"]


class BatchWriter:
    """Sends ingest batches from a thread of its own, so Python parses the next batch
    while the database writes this one (on two cores the two work at once instead of in
    turn). At most one batch is in flight and batches go in file order; each job saves
    its checkpoint after its batch committed, so a killed run resumes as before."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        self._inflight: Future[None] | None = None

    def submit(self, job: Callable[[], None]) -> None:
        """Wait for the batch in flight (raising its error), then start `job`."""
        self.wait()
        self._inflight = self._pool.submit(job)

    def wait(self) -> None:
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            inflight.result()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)
