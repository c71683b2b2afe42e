"""Many rows into one table with one executemany, without SQLAlchemy's work per row.

A Core `insert(table)` with a list of parameter dicts builds and type-processes every row in
Python (the timestamps formatted, the JSON columns dumped, each dict turned into the driver's
parameters): about as long as SQLite takes to store the rows. On SQLite `insert_rows` formats
each distinct value once (an import gives most rows the same timestamps and empty attributes)
and hands plain tuples to the driver's executemany; on PostgreSQL it is the Core insert.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

Process = Callable[[Any], Any]


def _memo(process: Process) -> Process:
    """`process` computed once per distinct value (by type and value: True is not 1)."""
    seen: dict[tuple[type, Any], Any] = {}

    def run(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is dict or type(value) is list:
            if value:
                return process(value)  # not hashable: a non-empty one each time
            key: tuple[type, Any] = (type(value), None)
        else:
            key = (type(value), value)
        found = seen.get(key, seen)
        if found is seen:
            found = seen[key] = process(value)
        return found

    return run


def _processor(type_: TypeEngine[Any], dialect: Dialect) -> Process | None:
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return None if process is None else _memo(process)


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT the rows (tuples of values in the order of `columns`, as the columns' types take
    them: datetimes, dicts for JSON) in the session's transaction. Errors are SQLAlchemy's
    (IntegrityError for a broken constraint), as from `session.execute(insert(table), ...)`."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    # Column by column: the driver takes tuples, and a column's values map through one
    # (memoised) processor faster than each row is rebuilt value by value.
    columns_of: list[Sequence[Any]] = list(zip(*rows, strict=True))
    places: list[str] = []  # per column, its parameter or its one value
    sent: list[Sequence[Any]] = []  # the columns that go as parameters
    for name, values in zip(columns, columns_of, strict=True):
        first = values[0]
        if first is None and values.count(None) == len(values):
            # A column that is NULL in every row is written NULL: the driver binds each
            # parameter of each row (a tenth of a bulk insert of spans went on their NULLs).
            places.append("NULL")
            continue
        process = _processor(table.c[name].type, dialect)
        if process is not None:
            if all(map(operator.is_, values, itertools.repeat(first))):
                values = [process(first)] * len(values)  # one value for all (a timestamp)
            else:
                values = list(map(process, values))
        places.append("?")
        sent.append(values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(places)})"
    )
    connection.exec_driver_sql(sql, list(zip(*sent, strict=True)) if sent else [()] * len(rows))
