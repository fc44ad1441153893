"""The key id of a sealed value ("<key id>:<ciphertext>") in SQL, on either database.

One expression compiled per dialect, so services never ask which database they run on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class key_id_of(GenericFunction[str]):  # noqa: N801 - a SQL function, named as one
    """``key_id_of(column)``: the part of the value before the first ":"."""

    type = String()
    inherit_cache = True


@compiles(key_id_of, "postgresql")
def _postgresql(element: key_id_of, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    # Literals, not parameters: the same text in SELECT and GROUP BY, so PostgreSQL sees one expression.
    return str(compiler.process(func.split_part(column, literal_column("':'"), literal_column("1")), **kw))


@compiles(key_id_of)
def _sqlite(element: key_id_of, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    colon = literal_column("':'")
    return str(compiler.process(func.substr(column, literal_column("1"), func.instr(column, colon) - literal_column("1")),
                                **kw))
