"""A delivery's EMCS folder read in a process of its own while the CSV files parse.

Reading the XML (parse, schema validation, the message's fields) is a tenth of the bulk
load's parse at large (57,497 files), and each file is read on its own, before and
apart from anything the CSV files make. So the bulk load starts `read_folder_once` in a
second interpreter when the ingest begins and takes its result, pickled, when the EMCS
folder's turn comes: the very `FolderRead` the parsing process would have made. Should
the reader fail (killed, out of memory), the folder is read here instead, as before.
"""

from __future__ import annotations

import gc
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

from graphfraud.ingest.emcs.read import FolderRead, read_folder_once


class FolderPrefetch:
    """`read_folder_once(folder)` under way in a child process; `result()` waits for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._data = b""
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "graphfraud.ingest.emcs.prefetch", str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        # drained as it comes, so the child never blocks on a full pipe
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self._proc.stdout is not None
        self._data = self._proc.stdout.read()

    def result(self) -> FolderRead:
        """The folder read (here if the child did not give it)."""
        self._reader.join()
        if self._proc.wait() == 0:
            try:
                read = pickle.loads(self._data)
            except Exception:  # a truncated message: read it here
                read = None
            if isinstance(read, FolderRead):
                self._data = b""
                return read
        return read_folder_once(self.folder)

    def close(self) -> None:
        """Stop the child if it still runs (the ingest ended early)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def _main(folder: str) -> None:
    # a Ctrl-C at the terminal reaches the process group: the parent stops and closes us
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # no cyclic garbage collection: the trees and messages are acyclic and the process
    # ends when the folder is read; collections rescanned everything read so far
    # (large world: the read took 11.4 s of CPU with them, 10.2 s without)
    gc.disable()
    sys.stdout.buffer.write(pickle.dumps(read_folder_once(Path(folder)), pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":  # python -m graphfraud.ingest.emcs.prefetch FOLDER
    _main(sys.argv[1])
