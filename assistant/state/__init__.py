"""State stores: conversations, turns, feedback, the unanswered-questions report and session labels, in
SQLite (the default, ``<data_dir>/state.sqlite3``) or PostgreSQL (``ASSISTANT_STATE__DATABASE_URL``).

``engines`` holds the two database adapters (the only modules naming sqlite3 or psycopg), ``migrations``
the versioned schema, ``sql`` the one store both engines share, and ``guard`` what keeps answers coming
when the database fails."""
