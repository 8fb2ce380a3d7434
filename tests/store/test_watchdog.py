"""The watchdog answers by time-out x 1.15 whatever the work does, and cancels it."""

from __future__ import annotations

import threading
import time

import pytest

from graphfraud.store.watchdog import HARD_STOP, Overrun, run_with_deadline


def test_a_hung_call_is_cancelled_and_abandoned_in_time():
    cancelled = threading.Event()
    began = time.monotonic()
    with pytest.raises(Overrun) as info:
        run_with_deadline(lambda: threading.Event().wait(60), 1.0,
                          lambda: cancelled.set() or True)
    took = time.monotonic() - began
    assert cancelled.is_set() and info.value.cancelled
    # the margin is for a loaded machine (thread start-up); the hung call itself waits 60 s
    assert 1.0 <= took <= 1.0 * HARD_STOP + 1.0


def test_a_call_ended_by_its_cancel_reports_its_own_error():
    stop = threading.Event()

    def work():
        stop.wait(60)
        raise RuntimeError("terminated at the engine")

    with pytest.raises(RuntimeError, match="terminated"):
        run_with_deadline(work, 3.0, lambda: stop.set() or True)


def test_results_and_errors_pass_through():
    assert run_with_deadline(lambda: 42, 1.0, lambda: False) == 42
    assert run_with_deadline(lambda: 7, None, lambda: False) == 7
    with pytest.raises(ValueError):
        run_with_deadline(lambda: int("x"), 1.0, lambda: False)


def test_a_cancel_that_hangs_does_not_hold_the_caller():
    began = time.monotonic()
    with pytest.raises(Overrun):
        run_with_deadline(lambda: threading.Event().wait(60), 0.5,
                          lambda: threading.Event().wait(60))
    # the hanging cancel waits 60 s: the caller must not; the margin is for a loaded machine
    assert time.monotonic() - began <= 0.5 * HARD_STOP + 1.0
