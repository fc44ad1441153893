"""How a name is cut into search keys, and how a typed query uses them.

Chinese names are two to four characters, and people look them up by one or two: the
surname (王), the given name (志强), a fragment of a company name (科技). A trigram index
(SQLite FTS5 ``trigram``, PostgreSQL ``pg_trgm``) cannot answer a query under three
characters, so we index every 1- and 2-character piece of the name — the CJK bigram scheme
that Lucene's CJK analyzer uses — plus the first one and two characters marked ``^`` for
prefix search. A longer query is answered by intersecting its bigrams, then checked against
the name itself. That is PostgreSQL's gram table; SQLite stores each name's characters in an
FTS5 table and answers with phrase queries. See app/db/customer_sql.py for the databases' side.
"""

from __future__ import annotations

import unicodedata

PREFIX_MARK = "^"


def normalise_name(name: str) -> str:
    """The stored form of a name: NFKC (full-width Latin and digits to half-width), trimmed,
    runs of white space collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def search_form(text: str) -> str:
    """What grams are cut from: the stored form, case-folded, without spaces."""
    return normalise_name(text).casefold().replace(" ", "")


def name_grams(name: str) -> set[str]:
    return form_grams(search_form(name))


def form_grams(form: str) -> set[str]:
    """The grams of a name already in its search form (see :func:`search_form`)."""
    grams = set(form)
    grams.update(form[i:i + 2] for i in range(len(form) - 1))
    if form:
        grams.add(PREFIX_MARK + form[:1])
        grams.add(PREFIX_MARK + form[:2])
    return grams


def prefix_gram(query: str) -> str:
    """The gram that every name starting with ``query`` carries."""
    return PREFIX_MARK + search_form(query)[:2]


def substring_grams(query: str) -> list[str]:
    """The grams every name containing ``query`` carries (all must match)."""
    form = search_form(query)
    if len(form) <= 2:
        return [form] if form else []
    return sorted({form[i:i + 2] for i in range(len(form) - 1)})


def needs_check(query: str) -> bool:
    """Longer than the grams: candidates must still be checked against the name."""
    return len(search_form(query)) > 2
