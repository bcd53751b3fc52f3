import GRDB

/// Versioned migrations. Audit tables are append-only, enforced by SQLite
/// itself: an UPDATE or DELETE on them aborts, whoever tries it.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE intent (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        created_at TEXT NOT NULL,
                        os_user TEXT NOT NULL,
                        server TEXT NOT NULL,
                        campaign_id TEXT,
                        api TEXT NOT NULL,
                        method TEXT NOT NULL,
                        url TEXT NOT NULL,
                        body TEXT NOT NULL,
                        item_count INTEGER NOT NULL,
                        job_id TEXT,
                        chunk_index INTEGER,
                        chunk_count INTEGER
                    );
                    CREATE INDEX intent_job ON intent(job_id, chunk_index);
                    CREATE TABLE outcome (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        intent_id INTEGER NOT NULL UNIQUE REFERENCES intent(id),
                        recorded_at TEXT NOT NULL,
                        state TEXT NOT NULL,
                        status INTEGER,
                        code INTEGER,
                        message TEXT NOT NULL,
                        totals TEXT NOT NULL
                    );
                    CREATE TABLE resolution (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        intent_id INTEGER NOT NULL UNIQUE REFERENCES intent(id),
                        resolved_at TEXT NOT NULL,
                        os_user TEXT NOT NULL,
                        note TEXT NOT NULL
                    );
                    CREATE TABLE search_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        campaign_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        text TEXT NOT NULL,
                        searched_at TEXT NOT NULL
                    );
                    CREATE INDEX search_recent ON search_history(campaign_id, id);
                    CREATE TABLE call_counter (
                        server TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        day TEXT NOT NULL,
                        calls INTEGER NOT NULL,
                        PRIMARY KEY (server, fingerprint, day)
                    );
                    """)
            for table in ["intent", "outcome", "resolution"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                        """)
            }
        }
        // The operation's own figure (token_info), shared by every process on
        // the machine: when it was last asked (the vendor allows one ask per
        // 5 minutes), what it said, and the local count at that moment, so
        // "calls since" is the local count minus that.
        m.registerMigration("v2-token-info") { db in
            try db.execute(
                sql: """
                    CREATE TABLE token_figure (
                        server TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        asked_at REAL NOT NULL,
                        read_at REAL,
                        day TEXT,
                        all_token_today INTEGER,
                        token_limit INTEGER,
                        token_use_today INTEGER,
                        local_at_read INTEGER,
                        PRIMARY KEY (server, fingerprint)
                    );
                    """)
        }
        // Team mode names the operator on every action (config `operator`,
        // default os-user@hostname); rows from before carry only os_user.
        // ALTER TABLE ADD COLUMN is not an UPDATE: the append-only triggers stand.
        m.registerMigration("v3-operator") { db in
            try db.execute(
                sql: """
                    ALTER TABLE intent ADD COLUMN operator TEXT;
                    ALTER TABLE resolution ADD COLUMN operator TEXT;
                    ALTER TABLE search_history ADD COLUMN operator TEXT NOT NULL DEFAULT '';
                    """)
        }
        return m
    }
}
