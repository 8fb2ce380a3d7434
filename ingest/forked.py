"""Work done in a forked child of the collecting worker, on the core the worker leaves.

After the parse, the worker encodes the collected graph for `GRAPH.BULK` alone: the
large world's encoding took 38 s of the worker's CPU while the parent relayed (1.9 s)
and the server inserted (18 s), so one core waited. `ForkedParts` runs one generator
(the relationships' `falkordb_bulk.rel_parts`) in a child made by `fork`, which sees the
collected graph as it is, copy on write, without pickling it; the child writes its
items to an unlinked temporary file while the worker encodes the nodes, and the worker
reads them back in order once it needs them. The items are the ones the generator
gives in-process, so what is sent is the same bytes.

Only for a process that holds no lock another thread may need in the child: the
worker's one other thread blocks in a socket read. The garbage collector stays off in
the child as in the worker (a collection would touch, and so copy, every page).
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graphfraud.store.base import StoreError

__all__ = ["ForkedParts", "can_fork"]

_ITEM, _ERROR, _DONE = "item", "error", "done"


#: the share of the worker's resident memory a child may copy: the large world's child
#: wrote 1.9 GiB of the worker's 5.4 GiB (its reads change reference counts, so every
#: page of the relationships it encodes is copied), measured with `smaps_rollup`
CHILD_COPIES = 0.5
#: memory left free besides the child's copy
SPARE_BYTES = 1 << 30


def can_fork() -> bool:
    """Whether a child can take the work: `fork` exists, there is a core for it and the
    memory for its copy (`room_for_child`). `GRAPHFRAUD_BULK_FORK=0` keeps the work in
    the worker, `=1` forces the child."""
    chosen = os.environ.get("GRAPHFRAUD_BULK_FORK")
    if chosen in ("0", "1"):
        return chosen == "1" and hasattr(os, "fork")
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and room_for_child()


def room_for_child(meminfo: str = "/proc/meminfo", status: str = "/proc/self/status",
                   ) -> bool:
    """Whether the machine's available memory holds `CHILD_COPIES` of this process's
    resident memory and `SPARE_BYTES` more; False where it cannot be read."""
    def kib(path: str, field: str) -> int | None:
        try:
            with open(path, encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return None

    available, resident = kib(meminfo, "MemAvailable"), kib(status, "VmRSS")
    if available is None or resident is None:
        return False
    return available * 1024 >= CHILD_COPIES * resident * 1024 + SPARE_BYTES


class ForkedParts:
    """The items of `produce()`, made in a forked child from the moment this is built;
    iterate it (once) to get them in order, after the child has ended. An error in the
    child is raised here as it was raised there (its type and text), a child that died
    as a `StoreError`. `close` ends a child whose items are no longer wanted."""

    def __init__(self, produce: Callable[[], Iterable[Any]]) -> None:
        self._spill = tempfile.TemporaryFile(prefix="graphfraud-bulk-")
        self._pid: int | None = None
        parent = os.getpid()
        with warnings.catch_warnings():  # Python 3.12 warns on fork with threads alive
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: never returns
            self._child(produce, parent)
        self._pid = pid

    def _child(self, produce: Callable[[], Iterable[Any]], parent: int) -> None:
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _die_with_parent()
            if os.getppid() != parent:  # it died before the line above took effect
                os._exit(3)
            with os.fdopen(os.dup(self._spill.fileno()), "wb", buffering=1 << 20) as out:
                try:
                    for item in produce():
                        pickle.dump((_ITEM, item), out, pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - handed to the parent as it is
                    code = 1
                    try:
                        record = pickle.dumps((_ERROR, exc), pickle.HIGHEST_PROTOCOL)
                    except Exception:  # noqa: BLE001 - an error that does not pickle
                        record = pickle.dumps(
                            (_ERROR, StoreError(f"{type(exc).__name__}: {exc}")))
                    out.write(record)
                else:
                    pickle.dump((_DONE, None), out, pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the child must not run the parent's code
            code = 2
        finally:
            os._exit(code)

    def _wait(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return 0
        return os.waitpid(pid, 0)[1]

    def __iter__(self) -> Iterator[Any]:
        status = self._wait()
        try:
            self._spill.seek(0)
            while True:
                try:
                    kind, item = pickle.load(self._spill)
                except EOFError:
                    break
                if kind == _DONE:
                    return
                if kind == _ERROR:
                    raise item
                yield item
            raise StoreError("the bulk load's encoding child ended before its work was done "
                             f"({_status_text(status)}; out of memory?)")
        finally:
            self._spill.close()

    def close(self) -> None:
        """End the child if it still runs, and free its file."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._wait()
        self._spill.close()


def _die_with_parent() -> None:
    """Linux: the child is killed when the worker dies (a stopped or killed load), so it
    does not go on holding the graph's pages; elsewhere it ends with its work."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
