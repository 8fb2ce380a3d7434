"""A delivery's EMCS folder read in a process of its own while the CSV files parse.

Reading the XML (parse, schema validation, the message's fields) is a tenth of the bulk
load's parse at large (57,497 files), and each file is read on its own, before and
apart from anything the CSV files make. So the bulk load starts `read_folder` in a
second interpreter when the ingest begins and takes its result, pickled, when the EMCS
folder's turn comes: the very `FileRead`s the parsing process would have made. Should
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

from graphfraud.ingest.checkpoint import Fingerprint
from graphfraud.ingest.emcs.read import FileRead, read_folder


class FolderPrefetch:
    """`read_folder(folder)` under way in a child process; `result()` waits for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._data = b""
        self._fingerprint: tuple[list[str], str] | None = None
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "graphfraud.ingest.emcs.prefetch", str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        # drained as it comes, so the child never blocks on a full pipe
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self._proc.stdout is not None
        self._data = self._proc.stdout.read()

    def result(self) -> list[FileRead]:
        """The folder's `FileRead`s (read here if the child did not give them)."""
        self._reader.join()
        if self._proc.wait() == 0:
            try:
                files, names, digest = pickle.loads(self._data)
            except Exception:  # a truncated message: read it here
                files = None
            if isinstance(files, list):
                self._data = b""
                self._fingerprint = names, digest
                return files
        return read_folder(self.folder)

    def fingerprint(self, paths: list[Path]) -> str | None:
        """The checkpoint's `files_fingerprint` of `paths`, from the bytes the child read,
        when those were exactly these files (after `result`); None: compute it."""
        if self._fingerprint is None:
            return None
        names, digest = self._fingerprint
        return digest if [p.name for p in sorted(paths)] == names else None

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
    fingerprint = Fingerprint()
    files = read_folder(Path(folder), fingerprint=fingerprint)
    sys.stdout.buffer.write(pickle.dumps((files, fingerprint.names, fingerprint.hexdigest()),
                                         pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":  # python -m graphfraud.ingest.emcs.prefetch FOLDER
    _main(sys.argv[1])
