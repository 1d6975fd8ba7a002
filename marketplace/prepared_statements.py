"""Prepared statements for the few queries every page asks, so PostgreSQL plans each once per
connection instead of on every request.

A listing's page spends about as long having its query planned (a join of four tables and two
subqueries: 0.35 ms) as running it. `execute` sends `PREPARE name AS …; EXECUTE name(…)` the first
time a connection meets `name`, in one round trip (and one query, as the query-count tests see it),
then `EXECUTE name(…)` alone. Other databases run the SQL as it is.

Only queries whose best plan does not depend on their parameters belong here: after five runs
PostgreSQL may keep one generic plan for every parameter (`plan_cache_mode`). A lookup by primary
key qualifies; a search or a filtered page does not.

Prepared statements live as long as the database session: behind a pooler in transaction mode
(PgBouncer before 1.21 or with `max_prepared_statements = 0`), sessions are shared and this must be
switched off with `DB_PREPARED_STATEMENTS=false` (docs/scaling.md).
"""

import re
import weakref
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field
from django.db.models.expressions import Col

# Per driver connection: the names already prepared on it. A new connection (Django reconnects
# after CONN_MAX_AGE or an error) starts with none; a closed one drops out.
_prepared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"%(s|%)")


def _numbered(sql: str) -> str:
    """`sql` with its `%s` placeholders numbered `$1`, `$2`… for PREPARE; `%%` stays as it is, for the
    driver's own pass over the whole statement."""
    numbers = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda match: f"${next(numbers)}" if match.group(1) == "s" else "%%", sql)


def execute(cursor: CursorWrapper, name: str, sql: str, params: Sequence[Any]) -> None:
    """Runs `sql` (with `%s` placeholders, `%%` for a percent sign) on `cursor` as the prepared
    statement `name`, preparing it first on a connection that has not seen it. The caller keeps one
    `sql` per `name`."""
    database = cursor.db
    if database.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    database.ensure_connection()
    known = _prepared.setdefault(database.connection, set())
    call = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
    if name in known:
        cursor.execute(call, params)
        return
    cursor.execute(f"PREPARE {name} AS {_numbered(sql)}; {call}", params)
    known.add(name)


def fetch(
    *, using: str, sql: str, params: Sequence[Any], fields: Sequence[Field | None], name: str = ""
) -> list[list[Any]]:
    """The rows of `sql` (run as the prepared statement `name` when one is given), each value made
    what the ORM would make it: `fields[i]` is the model field column i reads, whose converters and
    the database's are applied (SQLite's driver leaves decimals as floats and moments as text); None
    leaves a column as the driver gives it."""
    database = connections[using]
    converters = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        column = Col(field.model._meta.db_table, field)
        functions = [*database.ops.get_db_converters(column), *field.get_db_converters(database)]
        if functions:
            converters.append((index, functions, column))
    with database.cursor() as cursor:
        if name:
            execute(cursor, name, sql, params)
        else:
            cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for values in rows:
        for index, functions, column in converters:
            for function in functions:
                values[index] = function(values[index], column, database)
    return rows
