"""The sandbox database: the servers keep their connections; a reset empties the file they hold."""

from __future__ import annotations

import sqlite3

import pytest
import requests

from app.sandbox import seed
from app.sandbox.db import Database
from tests.fixtures.sandbox import sandbox_tokens


def test_the_servers_answer_on_connections_they_keep(make_sandbox, monkeypatch):
    # A connection per request cost more than most requests: closing the last one also
    # checkpoints and deletes the WAL.
    box = make_sandbox()
    headers = {"Authorization": f"Bearer {sandbox_tokens(box, 'hoant').access}"}
    assert requests.get(box.idesk_url + "documents", headers=headers, timeout=10).status_code == 200
    opened: list[int] = []
    connect = box.db.connect
    monkeypatch.setattr(box.db, "connect", lambda: opened.append(1) or connect())
    for _ in range(5):
        assert requests.get(box.idesk_url + "documents", headers=headers, timeout=10).status_code == 200
        assert requests.get(box.igate_url + "pa/dossier/search", headers=headers, timeout=10).status_code == 200
    sandbox_tokens(box, "tuanlv")
    assert opened == []


def test_a_kept_connection_comes_back_without_its_transaction_and_none_outlives_close(tmp_path):
    db = Database(tmp_path / "sandbox.db", keep=2)
    db.create_schema()
    conn = db.acquire()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES ('half', 'done')")
    db.release(conn)  # as after a request that failed inside its transaction
    with db.connection() as again:
        assert again is conn and not again.in_transaction
        assert again.execute("SELECT 1 FROM meta WHERE key = 'half'").fetchone() is None
        db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")  # in use when the database closed: closed once given back


def test_a_reset_empties_the_file_a_running_server_holds(tmp_path):
    # A server of another process keeps its connection across the reset: it must read the new
    # data, not go on reading a deleted file (and Windows would refuse to delete it).
    data_dir = tmp_path / "box"
    seed.ensure_seeded(data_dir)
    held = Database(data_dir / seed.DB_NAME).connect()
    try:
        held.execute("INSERT INTO meta (key, value) VALUES ('marker', 'before the reset')")
        seed.reset(data_dir)
        assert held.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() is None
        count = held.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
        assert count == seed.describe(data_dir)["dossiers"] >= 40
    finally:
        held.close()


def test_a_database_sqlite_cannot_read_is_replaced_by_a_reset(tmp_path):
    data_dir = tmp_path / "box"
    data_dir.mkdir()
    (data_dir / seed.DB_NAME).write_bytes(b"not a database" * 100)
    seed.reset(data_dir)
    assert seed.describe(data_dir)["dossiers"] >= 40
