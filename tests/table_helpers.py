"""What the tables' tests share: one SELECT over a table, in a database opened and closed for it."""

from __future__ import annotations

from recursor.table_sql import Query, Table, TableDb


def run_select(table: Table, sql: str, seconds: float = 3.0) -> Query:
    db = TableDb.open(table)
    assert db is not None
    try:
        return db.select(sql, seconds=seconds)
    finally:
        db.close()
