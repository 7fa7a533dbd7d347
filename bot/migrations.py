"""The database schema: migrations applied in order, the file's `user_version` counting them.

A migration is never changed once released; a change of schema is a new one at the end.
"""

from __future__ import annotations

import aiosqlite

MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT,
        first_name TEXT,
        language_code TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT,
        everyone_may_press INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id),
        chat_id INTEGER NOT NULL REFERENCES chats(id),
        request_message_id INTEGER,
        status_message_id INTEGER,
        result_message_id INTEGER,
        provider TEXT NOT NULL,
        task_id TEXT,
        parent_id INTEGER REFERENCES jobs(id),
        button_index INTEGER,
        action TEXT NOT NULL,
        idx INTEGER NOT NULL DEFAULT 0,
        prompt TEXT NOT NULL,
        status TEXT NOT NULL,
        progress INTEGER NOT NULL DEFAULT 0,
        image_url TEXT,
        image_urls TEXT,
        buttons TEXT,
        file_id TEXT,
        error_kind TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        locale TEXT NOT NULL DEFAULT 'en',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX jobs_open ON jobs(status) WHERE status NOT IN ('delivered', 'failed');
    CREATE INDEX jobs_children ON jobs(parent_id, button_index);
    """,
    """
    ALTER TABLE jobs ADD COLUMN misses INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN sender_chat_id INTEGER;
    CREATE TABLE flows (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX flows_message ON flows(chat_id, message_id);
    """,
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE seen_updates (update_id INTEGER PRIMARY KEY, seen_at REAL NOT NULL);
    CREATE INDEX seen_updates_age ON seen_updates(seen_at);
    """,
    """
    ALTER TABLE jobs ADD COLUMN hook_token TEXT;
    CREATE UNIQUE INDEX jobs_hook ON jobs(hook_token) WHERE hook_token IS NOT NULL;
    """,
    """
    ALTER TABLE jobs ADD COLUMN document_file_id TEXT;
    ALTER TABLE jobs ADD COLUMN speed TEXT;
    ALTER TABLE jobs ADD COLUMN image_prompts TEXT;
    ALTER TABLE users ADD COLUMN settings TEXT;
    CREATE TABLE album_parts (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        media_group_id TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        file_id TEXT NOT NULL,
        private INTEGER NOT NULL,
        locale TEXT NOT NULL,
        caption TEXT,
        prompt TEXT,
        sender_chat_id INTEGER,
        received_at REAL NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX album_parts_group ON album_parts(chat_id, media_group_id);
    CREATE INDEX jobs_request ON jobs(chat_id, request_message_id);
    """,
    """
    ALTER TABLE jobs ADD COLUMN prompts TEXT;
    ALTER TABLE jobs ADD COLUMN region TEXT;
    ALTER TABLE jobs ADD COLUMN remix INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN video_urls TEXT;
    ALTER TABLE flows ADD COLUMN data TEXT;
    CREATE INDEX flows_person ON flows(chat_id, user_id);
    ALTER TABLE album_parts ADD COLUMN command TEXT;
    """,
    """
    ALTER TABLE jobs ADD COLUMN cost_free INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN cost_paid INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN copy_of INTEGER REFERENCES jobs(id);
    CREATE INDEX jobs_user ON jobs(user_id, created_at);
    CREATE INDEX jobs_user_open ON jobs(user_id) WHERE status NOT IN ('delivered', 'failed');
    ALTER TABLE users ADD COLUMN locale TEXT;
    ALTER TABLE users ADD COLUMN banned INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX users_username ON users(username COLLATE NOCASE);
    CREATE TABLE ledger (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL,
        credits INTEGER NOT NULL,
        stars INTEGER NOT NULL DEFAULT 0,
        charge_id TEXT,
        admin_id INTEGER,
        created_at REAL NOT NULL
    );
    CREATE INDEX ledger_user ON ledger(user_id, created_at);
    CREATE UNIQUE INDEX ledger_charge ON ledger(kind, charge_id) WHERE charge_id IS NOT NULL;
    """,
]


async def migrate(connection: aiosqlite.Connection) -> None:
    """Apply the migrations the file has not seen yet, each in one transaction."""
    (version,) = await (await connection.execute("PRAGMA user_version")).fetchone()  # type: ignore[misc]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await connection.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
