"""A query watchdog: the caller gets an answer by its time-out, whatever the engine does.

The engines enforce the time-out themselves (Neo4j's transaction time-out, FalkorDB's
`timeout` argument), but both can overshoot it: Neo4j checks every so often, and a query
stuck where no check runs (a parse, a huge list being built) is not stopped at all. So
the query runs in a thread of its own; when it has not answered by its time-out plus a
margin (`OVERRUN`), the watchdog asks the store to end it at the engine and, unless it
then ends at once, tells the caller it timed out. The margin keeps the answer within the
20 % the issue allows. An abandoned thread is a daemon: it never holds the process open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: the watchdog cancels at time-out × OVERRUN; the engine's own stop comes first if it can
OVERRUN = 1.05
#: and answers the caller by time-out × HARD_STOP at the latest
HARD_STOP = 1.15


class Overrun(Exception):
    """The work did not answer by its deadline, even after the cancel."""

    def __init__(self, seconds: float, cancelled: bool) -> None:
        super().__init__(f"no answer after {seconds:.1f} s")
        self.seconds = seconds
        self.cancelled = cancelled


def run_with_deadline(work: Callable[[], T], timeout_s: float | None,
                      cancel: Callable[[], bool]) -> T:
    """`work()`'s result; at `timeout_s × OVERRUN`, `cancel()` and then `Overrun`."""
    if not timeout_s or timeout_s <= 0:
        return work()
    began = time.monotonic()
    done = threading.Event()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="graphfraud-query", daemon=True).start()
    if not done.wait(timeout_s * OVERRUN):
        outcome: dict[str, bool] = {}

        def stop() -> None:
            try:
                outcome["cancelled"] = cancel()
            except Exception:  # noqa: BLE001 - the caller is told it timed out either way
                outcome["cancelled"] = False

        threading.Thread(target=stop, name="graphfraud-cancel", daemon=True).start()
        if not done.wait(max(0.0, began + timeout_s * HARD_STOP - time.monotonic())):
            raise Overrun(time.monotonic() - began, outcome.get("cancelled", False))
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
