"""The sandbox's SQLite store: one file, WAL so readers never block."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# Bumped when a table changes; an older sandbox database is then wiped and reseeded.
SCHEMA_VERSION = "3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- SSO
CREATE TABLE IF NOT EXISTS auth_codes (
    code TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, scope TEXT NOT NULL,
    subject TEXT NOT NULL, nonce TEXT, code_challenge TEXT, code_challenge_method TEXT,
    auth_time INTEGER NOT NULL, sid TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, subject TEXT NOT NULL,
    scope TEXT NOT NULL, access_token TEXT NOT NULL, jti TEXT NOT NULL, refresh_token TEXT UNIQUE,
    issued_at INTEGER NOT NULL, expires_in INTEGER NOT NULL,
    access_revoked INTEGER NOT NULL DEFAULT 0, refresh_revoked INTEGER NOT NULL DEFAULT 0,
    sid TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS tokens_sid ON tokens(sid);
CREATE INDEX IF NOT EXISTS tokens_jti ON tokens(jti);
CREATE INDEX IF NOT EXISTS tokens_access ON tokens(access_token);

-- Files of both systems; the blob lives on disk under blobs/<id>.
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, system TEXT NOT NULL, filename TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, mime_type TEXT NOT NULL, created_at TEXT NOT NULL, owner TEXT
);

-- iGate
CREATE TABLE IF NOT EXISTS dossiers (
    id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,
    procedure_id TEXT NOT NULL, procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL,
    applicant_name TEXT NOT NULL, applicant_phone TEXT NOT NULL, applicant_address TEXT NOT NULL,
    appointment_date TEXT, accepted_date TEXT NOT NULL, status INTEGER NOT NULL,
    task_name TEXT NOT NULL, assignee_id TEXT, search_text TEXT NOT NULL,
    applicant_fold TEXT NOT NULL, procedure_fold TEXT NOT NULL,
    nation_code TEXT NOT NULL DEFAULT '', updated_date TEXT, completed_date TEXT
);
CREATE INDEX IF NOT EXISTS dossiers_status ON dossiers(status);
CREATE INDEX IF NOT EXISTS dossiers_assignee ON dossiers(assignee_id);
-- The list's orders (igate.SORTABLE, then code): a page deep in the list is read off the index
-- instead of sorting the whole table for it.
CREATE INDEX IF NOT EXISTS dossiers_updated ON dossiers(updated_date, code);
CREATE INDEX IF NOT EXISTS dossiers_appointment ON dossiers(appointment_date, code);
CREATE INDEX IF NOT EXISTS dossiers_accepted_code ON dossiers(accepted_date, code);
CREATE TABLE IF NOT EXISTS components (
    id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, name TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS components_dossier ON components(dossier_id);
CREATE TABLE IF NOT EXISTS component_files (
    component_id TEXT NOT NULL, file_id TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS component_files_component ON component_files(component_id);
CREATE TABLE IF NOT EXISTS step_files (
    dossier_id TEXT NOT NULL, step TEXT NOT NULL, file_id TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS step_files_dossier ON step_files(dossier_id);
CREATE TABLE IF NOT EXISTS result_files (
    dossier_id TEXT NOT NULL, file_id TEXT NOT NULL, source_ref TEXT, ord INTEGER NOT NULL,
    created_at TEXT NOT NULL, UNIQUE (dossier_id, file_id)
);
-- lo/history: written by the server itself as dossiers change.
CREATE TABLE IF NOT EXISTS igate_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, dossier_id TEXT NOT NULL, time TEXT NOT NULL,
    user_id TEXT NOT NULL, user_name TEXT NOT NULL, field TEXT NOT NULL, original TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS igate_history_dossier ON igate_history(dossier_id);
-- me/comment: comments on an item of a group (1 = dossiers).
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY, group_id INTEGER NOT NULL, item_id TEXT NOT NULL, user_id TEXT NOT NULL,
    user_name TEXT NOT NULL, content TEXT NOT NULL, created_date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_item ON comments(group_id, item_id);

-- iDesk
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, summary TEXT NOT NULL, form TEXT NOT NULL, urgency TEXT NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, folder TEXT NOT NULL,
    drafting_unit TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '', number_year INTEGER, release_date TEXT,
    search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_code ON documents(dossier_code);
CREATE TABLE IF NOT EXISTS attachments (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, filename TEXT NOT NULL, kind TEXT NOT NULL,
    ord INTEGER NOT NULL, role TEXT NOT NULL DEFAULT 'reference'
);
CREATE INDEX IF NOT EXISTS attachments_document ON attachments(document_id);
CREATE TABLE IF NOT EXISTS versions (
    attachment_id TEXT NOT NULL, version INTEGER NOT NULL, file_id TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (attachment_id, version)
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT NOT NULL, time TEXT NOT NULL,
    actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS history_document ON history(document_id);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, idem_key TEXT NOT NULL, result_id TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE TABLE IF NOT EXISTS numbers (
    symbol TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (symbol, year)
);
-- Numbers given back by a correction before release: the only numbers behind the counter the register gives.
CREATE TABLE IF NOT EXISTS freed_numbers (
    symbol TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (symbol, year, seq)
);
CREATE TABLE IF NOT EXISTS igate_transfers (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, dossier_code TEXT NOT NULL,
    attachment_ids TEXT NOT NULL, igate_file_ids TEXT NOT NULL, time TEXT NOT NULL, actor TEXT NOT NULL
);
"""


class Database:
    """Connections to one SQLite file, each used by one thread at a time.

    With `keep`, the connections a request is done with are kept (up to that many) for the next
    ones: opening one per request cost more than most of the sandbox's requests, and closing the
    last one also checkpoints and deletes the WAL. The servers' database keeps some; the seeding
    and the command line open and close their own."""

    def __init__(self, path: Path, keep: int = 0) -> None:
        self.path = Path(path)
        self._keep = keep
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._generation = 0
        self._born: dict[int, int] = {}  # id of a connection handed out -> the generation it is of

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        return conn

    def acquire(self) -> sqlite3.Connection:
        """A connection for this thread until `release`: a kept one, else a new one."""
        with self._lock:
            if self._idle:
                conn = self._idle.pop()
                self._born[id(conn)] = self._generation
                return conn
            generation = self._generation
        conn = self.connect()
        with self._lock:
            self._born[id(conn)] = generation
        return conn

    def release(self, conn: sqlite3.Connection) -> None:
        """Done with a connection from `acquire`: kept for the next request, or closed."""
        if conn.in_transaction:  # left open by a failure: nothing half-done goes to the next user
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        with self._lock:
            generation = self._born.pop(id(conn), None)
            keep = generation == self._generation and not conn.in_transaction and len(self._idle) < self._keep
            if keep:
                self._idle.append(conn)
        if not keep:
            conn.close()

    def close(self) -> None:
        """Close the kept connections; those in use close when released. Usable again after."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def create_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as conn:
            conn.executescript(SCHEMA)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE: take the write lock up front so check-then-insert is atomic."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
