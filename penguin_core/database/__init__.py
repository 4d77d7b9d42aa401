"""The lab's one store: an SQLAlchemy engine over a SQLite file by default, PostgreSQL when a URL is set.

    from penguin_core.database import Database
    db = Database.open()                    # PENGUIN_DATABASE_URL, else .penguin_lab/penguin_lab.sqlite3
    db = Database.open("postgresql+psycopg://lab@localhost/lab")

The schema is created, or migrated to the newest version, when a database is
opened. The learners' labs (``penguin_core.lab``) and, later, a class's
shared data live side by side in it; pages never see SQL.
"""

from penguin_core.database.engine import DEFAULT_URL, UNAVAILABLE, Database, database_url, unavailable

__all__ = ["DEFAULT_URL", "UNAVAILABLE", "Database", "database_url", "unavailable"]
