import Logging
import PostgresNIO

/// The team store's versioned schema. Migrations run in one transaction
/// under a transaction-level advisory lock, so consoles starting together on
/// a new database do not race; a database whose schema is newer than this
/// binary knows is refused, never written to.
///
/// The audit tables (`intent`, `outcome`, `resolution`) are append-only in
/// PostgreSQL itself: triggers refuse UPDATE, DELETE and TRUNCATE, whoever
/// tries (owners and superusers included, short of disabling the triggers).
///
/// Privileges for operators (a role that can add to the record and read it,
/// and never change it), after the owner ran the first migration:
///
///     CREATE ROLE wvconsole_operator LOGIN PASSWORD '…';
///     GRANT SELECT, INSERT ON intent, outcome, resolution TO wvconsole_operator;
///     GRANT SELECT, INSERT, DELETE ON search_history TO wvconsole_operator;
///     GRANT SELECT, INSERT, UPDATE ON call_counter, token_figure TO wvconsole_operator;
///     GRANT SELECT ON schema_version TO wvconsole_operator;
///     GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO wvconsole_operator;
enum PostgresSchema {
    /// The newest schema this binary reads and writes.
    static let version = 1

    /// Arbitrary constant: the advisory lock that serialises migrations.
    static let migrationLock: Int64 = 0x7776_636F_6E73_6F6C

    static let migrations: [Int: [String]] = [
        1: [
            """
            CREATE TABLE intent (
                id BIGSERIAL PRIMARY KEY,
                created_at TEXT NOT NULL,
                db_time TIMESTAMPTZ NOT NULL DEFAULT now(),
                operator TEXT NOT NULL,
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
            )
            """,
            "CREATE INDEX intent_job ON intent (job_id, chunk_index)",
            "CREATE INDEX intent_content ON intent (api, campaign_id, md5(body))",
            "CREATE INDEX intent_operator ON intent (operator, id)",
            """
            CREATE TABLE outcome (
                id BIGSERIAL PRIMARY KEY,
                intent_id BIGINT NOT NULL UNIQUE REFERENCES intent (id),
                recorded_at TEXT NOT NULL,
                db_time TIMESTAMPTZ NOT NULL DEFAULT now(),
                state TEXT NOT NULL,
                status INTEGER,
                code INTEGER,
                message TEXT NOT NULL,
                totals TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE resolution (
                id BIGSERIAL PRIMARY KEY,
                intent_id BIGINT NOT NULL UNIQUE REFERENCES intent (id),
                resolved_at TEXT NOT NULL,
                db_time TIMESTAMPTZ NOT NULL DEFAULT now(),
                operator TEXT NOT NULL,
                os_user TEXT NOT NULL,
                note TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE search_history (
                id BIGSERIAL PRIMARY KEY,
                operator TEXT NOT NULL,
                campaign_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                searched_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX search_recent ON search_history (operator, campaign_id, id)",
            """
            CREATE TABLE call_counter (
                server TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                day TEXT NOT NULL,
                calls BIGINT NOT NULL,
                PRIMARY KEY (server, fingerprint, day)
            )
            """,
            """
            CREATE TABLE token_figure (
                server TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                asked_at DOUBLE PRECISION NOT NULL,
                read_at DOUBLE PRECISION,
                day TEXT,
                all_token_today BIGINT,
                token_limit BIGINT,
                token_use_today BIGINT,
                local_at_read BIGINT,
                PRIMARY KEY (server, fingerprint)
            )
            """,
            """
            CREATE FUNCTION wvconsole_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
            END $$
            """,
        ]
            + ["intent", "outcome", "resolution"].flatMap { table in
                [
                    "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION wvconsole_append_only()",
                    "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION wvconsole_append_only()",
                ]
            }
    ]

    /// The schema version the database is at (0 for an empty one).
    static func current(_ client: PostgresClient) async throws -> Int {
        let rows = try await client.query("SELECT to_regclass('schema_version') IS NOT NULL")
        var exists = false
        for try await (e) in rows.decode(Bool.self) { exists = e }
        guard exists else { return 0 }
        var version = 0
        for try await (v) in try await client.query("SELECT coalesce(max(version), 0) FROM schema_version").decode(Int.self) { version = v }
        return version
    }

    /// Brings the database to `version`; refuses one that is newer. Returns the version found before.
    @discardableResult
    static func migrate(_ client: PostgresClient, operatorName: String, logger: Logger) async throws -> Int {
        let before = try await current(client)
        if before > version { throw PostgresStore.Failure.newerSchema(found: before, known: version) }
        if before == version { return before }
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await conn.query(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_by TEXT NOT NULL)",
                logger: logger)
            var at = 0
            for try await (v) in try await conn.query("SELECT coalesce(max(version), 0) FROM schema_version", logger: logger).decode(Int.self) { at = v }
            if at > version { throw PostgresStore.Failure.newerSchema(found: at, known: version) }
            for step in (at + 1)..<(version + 1) {
                for sql in migrations[step] ?? [] { try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
                try await conn.query("INSERT INTO schema_version (version, applied_by) VALUES (\(step), \(operatorName))", logger: logger)
            }
        }
        logger.info("team store schema migrated", metadata: ["from": "\(before)", "to": "\(version)"])
        return before
    }
}
