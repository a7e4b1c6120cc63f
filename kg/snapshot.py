"""A read-only snapshot of an on-disk store that follows the writer: reopened after each commit.

pyoxigraph's read-only store is a frozen snapshot: it never sees writes made after it
was opened.  So :meth:`SnapshotHolder.get` takes the :func:`store_stamp` (``CURRENT`` and
the ``MANIFEST`` it names: two ``stat`` calls and a 16-byte read) and reopens the
snapshot when it changed, which a writer's ``flush()`` (done
by ``kg.store.Store.close``) causes.  If reopening fails (RocksDB can refuse to open
read-only while the writer compacts), the previous snapshot keeps serving and the next
call tries again.  Web workers (:mod:`webui.db`) and query processes (:mod:`kg.runner`)
each hold one.

>>> import tempfile
>>> from kg.store import open_store
>>> path = tempfile.mkdtemp() + "/store"
>>> open_store(path).close()
>>> holder = SnapshotHolder(path)
>>> holder.get() is holder.get()  # unchanged on disk: the same snapshot
True
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from kg.errors import StoreError
from kg.store import Store, open_store

__all__ = ["SnapshotHolder", "store_stamp"]

log = logging.getLogger(__name__)


def store_stamp(store_path: str | Path) -> str | None:
    """What changes when a writer commits to the store: ``CURRENT``'s and its ``MANIFEST``'s identity and mtime.

    None when there is no readable store at ``store_path``.
    """
    store_path = Path(store_path)
    try:
        current = os.stat(store_path / "CURRENT")
        manifest_name = (store_path / "CURRENT").read_text(encoding="ascii").strip()
        manifest = os.stat(store_path / manifest_name)
    except (OSError, UnicodeDecodeError):
        return None
    return ",".join(str(x) for x in (current.st_ino, current.st_mtime_ns, current.st_size, manifest_name,
                                     manifest.st_ino, manifest.st_mtime_ns, manifest.st_size))


class SnapshotHolder:
    """A read-only snapshot of the store at ``path``, reopened when the store changes on disk."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._stamp: tuple | None = None
        self._pid: int | None = None

    def get(self) -> Store:
        """The current snapshot; opens or reopens it when needed (raises ``StoreError`` if there is none)."""
        stamp = store_stamp(self.path)
        pid = os.getpid()
        if self._store is not None and stamp == self._stamp and pid == self._pid:
            return self._store
        with self._lock:
            if self._store is not None and stamp == self._stamp and pid == self._pid:
                return self._store
            try:
                store = open_store(self.path, read_only=True)
            except (StoreError, OSError):
                if self._store is not None and pid == self._pid:
                    log.warning("could not reopen store %s; serving the previous snapshot", self.path, exc_info=True)
                    return self._store
                raise
            self._store, self._stamp, self._pid = store, stamp, pid
            return store
