"""SQLite persistence of the sandbox: jobs and publish events.

Why it is shaped like this:

- WAL mode, so readers never block the writer and several processes can
  share one file (the embedded ``--sandbox`` CLI and a served instance).
- One connection per thread (waitress is threaded; sqlite3 connections must
  not be shared while in use).  An in-memory store has a single connection
  guarded by a lock instead, since each new ``:memory:`` connection would be
  a different, empty database.
- Every read-modify-write runs in ``BEGIN IMMEDIATE``: the write lock is taken
  before the read, so two writers can never both read the old row and the
  second overwrite the first's update.  Within one process, writers first
  queue on a Python lock (see ``Store.write``).
- ``synchronous=NORMAL`` under WAL survives the death of the process (even
  SIGKILL) with every committed transaction; only an OS crash or a power loss
  could drop the last commits, which a local sandbox can afford.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON = Any

_SCHEMA_VERSION = 1
# PRAGMA application_id of a sandbox store ("JDSB"): stored in the file's
# header, so a store is recognised as ours even when its pages are damaged.
APPLICATION_ID = 0x4A445342
# Where the header keeps the application_id (SQLite file format).
_APPLICATION_ID_AT = 68
# UPDATE ... RETURNING needs SQLite 3.35 (2021); older ones take the long way.
_HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)
_BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, for newest-first paging
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    status TEXT NOT NULL,
    fields TEXT NOT NULL,                   -- JSON object of patchable keys
    extra TEXT NOT NULL,                    -- JSON: lowConfidence, warnings, unmapped
    external_id TEXT,
    idempotency_key TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    published_at REAL,
    publish_attempt_id TEXT,
    UNIQUE (account, idempotency_key)
);
CREATE INDEX IF NOT EXISTS jobs_by_account ON jobs (account, seq);
CREATE TABLE IF NOT EXISTS publishes (
    account TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS publishes_by_account ON publishes (account, at);
"""


class StoreError(OSError):
    """The database file cannot be used (not a database, unreadable...).

    An OSError, like any other unusable file, so callers that report file
    problems report this one too."""


class DamagedStore(StoreError):
    """The file is there but holds no sandbox database this version can use:
    not SQLite at all, corrupt, or from a newer schema.  ``reset`` moves such
    a file aside; a file that is only unreadable (permissions, a folder, a
    lock) is a plain StoreError and is never moved."""


class NotSandboxStore(StoreError):
    """The file belongs to something else: not SQLite at a path the user
    named, or an SQLite database without the sandbox's mark.  Never moved,
    replaced or written to."""


class DamagedRow(StoreError):
    """A stored job whose JSON columns cannot be read back."""


# SQLITE_CORRUPT and SQLITE_NOTADB: the file's content is not a usable database.
_DAMAGE_CODES = {11, 26}
# The first bytes of every SQLite 3 database file (an empty file is a new one).
_HEADER = b"SQLite format 3\x00"


# SQLite's own words for those two codes (sqlite3_errstr), for Python 3.10,
# whose exceptions carry no ``sqlite_errorcode``.
_DAMAGE_MESSAGES = ("database disk image is malformed", "file is not a database")


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether ``error`` says the file's content is bad (not that it is busy,
    locked or unreadable): by its code, or by SQLite's message where Python
    gives no code (3.10)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(error).lower()
    return any(message in text for message in _DAMAGE_MESSAGES)


def _header(path: Path) -> bytes | None:
    """The first 100 bytes of ``path`` (the SQLite header), or None when there
    is no file to read: none yet, a folder, no permission (SQLite's own error
    then says which)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return handle.read(100)
    except OSError:
        return None


def is_marked(path: Path) -> bool:
    """Whether the file's header carries the sandbox's application id."""
    head = _header(path) or b""
    at = _APPLICATION_ID_AT
    return head.startswith(_HEADER) and head[at : at + 4] == APPLICATION_ID.to_bytes(4, "big")


def _check_ownership(path: Path) -> None:
    """Refuse a file that is not a sandbox store before anything writes to it.

    Ours: none or an empty file (a new store), our application id in the
    header, or a store made before the mark existed (user_version 1 with the
    ``jobs`` and ``publishes`` tables; it gets the mark on opening).  A file
    that is not SQLite at all is a DamagedStore, which ``reset`` moves aside
    only when the file is ours by place (see ``reset``).  Checked before
    SQLite opens the file for writing: setting WAL mode alone rewrites the
    header, and closing a connection to a non-SQLite file deletes its
    ``-wal`` and ``-shm`` companions.
    """
    head = _header(path)
    if not head:
        return
    if not head.startswith(_HEADER):
        raise DamagedStore(f"{path}: not a usable SQLite database (file is not a database)")
    if is_marked(path):
        return
    at = _APPLICATION_ID_AT
    if head[at : at + 4] != b"\0\0\0\0" or not _is_unmarked_store(path):
        raise NotSandboxStore(
            f"{path} is an SQLite database of something else, not a jobdraft sandbox store"
        )


def _is_unmarked_store(path: Path) -> bool:
    """A store of an earlier jobdraft: schema 1 with our two tables."""
    try:
        # Read-only: nothing is written to a file that may not be ours.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return version == _SCHEMA_VERSION and {"jobs", "publishes"} <= names


@dataclass
class Job:
    id: str
    account: str
    status: str
    fields: dict[str, JSON]
    created_at: float
    updated_at: float
    low_confidence: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmapped: list[dict[str, JSON]] = field(default_factory=list)
    external_id: str | None = None
    idempotency_key: str | None = None
    published_at: float | None = None
    publish_attempt_id: str | None = None
    seq: int = 0


_COLUMNS = (
    "seq, id, account, status, fields, extra, external_id, idempotency_key, "
    "created_at, updated_at, published_at, publish_attempt_id"
)


def _json_object(row: tuple[Any, ...], index: int, column: str) -> dict[str, JSON]:
    try:
        value = json.loads(row[index])
    except (TypeError, ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise DamagedRow(f"job {row[1]}: its {column} column is not a JSON object")
    return value


def _list(extra: dict[str, JSON], key: str) -> list[Any]:
    value = extra.get(key)
    return value if isinstance(value, list) else []


def _job_from_row(row: tuple[Any, ...]) -> Job:
    fields = _json_object(row, 4, "fields")
    extra = _json_object(row, 5, "extra")
    return Job(
        seq=row[0],
        id=row[1],
        account=row[2],
        status=row[3],
        fields=fields,
        low_confidence=_list(extra, "lowConfidence"),
        warnings=_list(extra, "warnings"),
        unmapped=_list(extra, "unmapped"),
        external_id=row[6],
        idempotency_key=row[7],
        created_at=row[8],
        updated_at=row[9],
        published_at=row[10],
        publish_attempt_id=row[11],
    )


# Built once: json.dumps with options would build an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_dump = _ENCODER.encode


class Tx:
    """The queries, run on one connection inside one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def create_schema(self) -> None:
        # One statement at a time: executescript() would COMMIT our BEGIN.
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > _SCHEMA_VERSION:
            raise DamagedStore(f"database schema {version} is newer than this jobdraft's")
        for statement in _SCHEMA.split(";\n"):
            if statement.strip():
                self._conn.execute(statement)
        self._conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def clear(self) -> None:
        self._conn.execute("DELETE FROM jobs")
        self.clear_publishes()

    def clear_publishes(self) -> None:
        self._conn.execute("DELETE FROM publishes")

    def get(self, account: str, job_id: str) -> Job | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM jobs WHERE id = ? AND account = ?", (job_id, account)
        ).fetchone()
        return None if row is None else _job_from_row(row)

    def find(self, job_id: str) -> Job | None:
        """The job of this id, whichever account it is (the web page of a post)."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _job_from_row(row)

    def exists(self, job_id: str) -> bool:
        """Whether any account has a job of this id."""
        row = self._conn.execute("SELECT 1 FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row is not None

    def merge_fields_if_plain(
        self, account: str, job_id: str, changes: dict[str, JSON], now: float
    ) -> Job | None:
        """The common PATCH in one atomic statement, or None to take the
        general path.

        It applies when the job is a draft of ``account`` and no patched key
        is a low-confidence guess (confirming one also rewrites ``extra``).
        A row whose JSON columns are not objects takes the general path,
        which says so, rather than be half repaired here.
        ``json_patch`` is RFC 7396: a null deletes the key, as in the API.
        One statement instead of BEGIN, SELECT, UPDATE, COMMIT: under load each
        sqlite3 call also hands the GIL over, so fewer calls serve more.
        """
        if not _HAS_RETURNING:
            return None
        patch = _dump(changes)
        row = self._conn.execute(
            "UPDATE jobs SET fields = json_patch(fields, ?), updated_at = ? "
            "WHERE id = ? AND account = ? AND status = 'DRAFT' "
            # JSON functions fail on text that is not JSON: CASE checks first.
            "AND CASE WHEN json_valid(fields) AND json_valid(extra) THEN"
            "  json_type(fields) = 'object' AND json_type(extra) = 'object' AND NOT EXISTS ("
            "    SELECT 1 FROM json_each(extra, '$.lowConfidence') AS guess"
            "    WHERE guess.value IN (SELECT key FROM json_each(?))"
            f"  ) END RETURNING {_COLUMNS}",
            (patch, now, job_id, account, patch),
        ).fetchone()
        return None if row is None else _job_from_row(row)

    def find_by_idempotency_key(self, account: str, key: str) -> Job | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM jobs WHERE account = ? AND idempotency_key = ?",
            (account, key),
        ).fetchone()
        return None if row is None else _job_from_row(row)

    def insert(self, job: Job) -> None:
        cursor = self._conn.execute(
            "INSERT INTO jobs (id, account, status, fields, extra, external_id, "
            "idempotency_key, created_at, updated_at, published_at, publish_attempt_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.id,
                job.account,
                job.status,
                _dump(job.fields),
                _dump(self._extra(job)),
                job.external_id,
                job.idempotency_key,
                job.created_at,
                job.updated_at,
                job.published_at,
                job.publish_attempt_id,
            ),
        )
        job.seq = cursor.lastrowid or 0

    def save(self, job: Job, *, extra: bool = True) -> None:
        """Write ``job`` back; ``extra=False`` when only fields and state
        changed (a PATCH that confirmed no guess), to skip one encoding."""
        values = [job.status, _dump(job.fields), job.updated_at, job.published_at]
        sql = "UPDATE jobs SET status = ?, fields = ?, updated_at = ?, published_at = ?, "
        if extra:
            sql += "extra = ?, "
            values.append(_dump(self._extra(job)))
        sql += "publish_attempt_id = ? WHERE id = ? AND account = ?"
        self._conn.execute(sql, (*values, job.publish_attempt_id, job.id, job.account))

    @staticmethod
    def _extra(job: Job) -> dict[str, JSON]:
        return {
            "lowConfidence": job.low_confidence,
            "warnings": job.warnings,
            "unmapped": job.unmapped,
        }

    def list_jobs(
        self, account: str, *, status: str | None, limit: int, before_seq: int | None
    ) -> list[Job]:
        sql = f"SELECT {_COLUMNS} FROM jobs WHERE account = ?"
        args: list[JSON] = [account]
        if status is not None:
            sql += " AND status = ?"
            args.append(status)
        if before_seq is not None:
            sql += " AND seq < ?"
            args.append(before_seq)
        sql += " ORDER BY seq DESC LIMIT ?"
        args.append(limit)
        return [_job_from_row(row) for row in self._conn.execute(sql, args)]

    def publishes_since(self, account: str, since: float) -> list[float]:
        rows = self._conn.execute(
            "SELECT at FROM publishes WHERE account = ? AND at > ? ORDER BY at",
            (account, since),
        )
        return [row[0] for row in rows]

    def record_publish(self, account: str, at: float) -> None:
        self._conn.execute("INSERT INTO publishes (account, at) VALUES (?, ?)", (account, at))


def _connect(target: str) -> sqlite3.Connection:
    # check_same_thread=False only so that close() may run from any thread;
    # each connection is still used by one thread at a time.
    conn = sqlite3.connect(
        target, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as error:
        conn.close()
        kind = DamagedStore if _is_damage(error) else StoreError
        raise kind(f"{target}: not a usable SQLite database ({error})") from error
    return conn


def _close_all(conns: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns:
            conn.close()
        conns.clear()


class Store:
    """Jobs of every account, in one SQLite file or in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._memory_lock = threading.Lock()
        # Writers of this process queue here, on a lock that wakes the next
        # one at once, rather than in SQLite's busy handler, which sleeps in
        # milliseconds between retries.  Other processes still meet the
        # SQLite lock and its busy timeout.
        self._write_lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        if path is None:
            self._memory = _connect(":memory:")
            self._conns.append(self._memory)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            _check_ownership(path)
        # Connections are closed when the store goes away, whichever thread
        # opened them, so no test or server leaks file handles.
        self._finalizer = weakref.finalize(self, _close_all, self._conns, self._conns_lock)
        try:
            with self.write() as tx:
                tx.create_schema()
        except StoreError:
            self.close()
            raise
        except sqlite3.DatabaseError as error:
            self.close()
            kind = DamagedStore if _is_damage(error) else StoreError
            raise kind(f"{path}: not a usable sandbox database ({error})") from error
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._finalizer()

    def _thread_conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            assert self.path is not None
            conn = _connect(str(self.path))
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._memory is not None:
            with self._memory_lock:
                yield self._memory
        else:
            yield self._thread_conn()

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction: the write lock is held from the first read."""
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(conn)
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def write_statement(self) -> Iterator[Tx]:
        """For one writing statement, atomic on its own (no BEGIN/COMMIT)."""
        with self._write_lock, self._connection() as conn:
            yield Tx(conn)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read transaction: one consistent snapshot, no write lock."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield Tx(conn)
            finally:
                conn.execute("COMMIT")


def reset(db_path: Path, *, ours_by_place: bool = False, count_only: bool = False) -> Path | None:
    """Empty the store at ``db_path`` (safe while a server uses it), or with
    ``count_only`` clear only the publish count (the daily limit).

    A damaged store cannot be emptied in place: it is moved aside, with its
    ``-wal`` and ``-shm`` companions, to ``<name>.corrupt`` (or
    ``<name>.corrupt.2``...) and an empty store takes its place.  Damaged
    means ours (our mark in its header, or ``ours_by_place``: the default
    store's path, which nothing else uses) but unusable: corrupt, or from a
    newer schema.  A file that may be someone else's (not SQLite at a path
    the user named, an SQLite database without our mark) raises
    NotSandboxStore and is left exactly as it was.  Returns where a damaged
    store went, or None.  Other problems (a file that cannot be read, a
    folder) raise StoreError and move nothing.
    """
    if not db_path.exists():
        return None
    try:
        store = Store(db_path)
    except DamagedStore as error:
        return _replace_if_ours(db_path, ours_by_place, error)
    try:
        with store.write() as tx:
            if count_only:
                tx.clear_publishes()
            else:
                tx.clear()
    except sqlite3.DatabaseError as error:
        store.close()
        if not _is_damage(error):
            raise StoreError(f"{db_path}: cannot empty the store ({error})") from error
        return _replace_if_ours(db_path, ours_by_place, error)
    finally:
        store.close()
    return None


def _replace_if_ours(db_path: Path, ours_by_place: bool, error: Exception) -> Path:
    if not (ours_by_place or is_marked(db_path)):
        reason = str(error).removeprefix(f"{db_path}: ")
        raise NotSandboxStore(
            f"{db_path} is not a jobdraft sandbox store ({reason}); it was left as it is"
        )
    return _replace_damaged(db_path)


_COMPANIONS = ("", "-wal", "-shm")


def _replace_damaged(db_path: Path) -> Path:
    """Move ``db_path`` and its companions aside; start an empty store there."""
    aside = db_path.with_name(db_path.name + ".corrupt")
    number = 1
    while any(Path(f"{aside}{suffix}").exists() for suffix in _COMPANIONS):
        number += 1
        aside = db_path.with_name(f"{db_path.name}.corrupt.{number}")
    for suffix in _COMPANIONS:
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            # Same folder, same names: SQLite would read the pair together again.
            source.replace(Path(f"{aside}{suffix}"))
    Store(db_path).close()
    return aside
