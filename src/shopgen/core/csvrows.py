"""CSV input with line numbers: a row the ``csv`` module cannot read becomes InvalidInput naming
its line, never a bare ``csv.Error`` (a 500 over HTTP, a traceback on the command line).

The commonest case in real files is a field over ``csv.field_size_limit()`` (131,072 characters:
a pasted HTML description, a runaway quote that swallows the rest of the file); the limit is
kept, since it is what bounds the memory one field can take.

>>> import csv, io
>>> reader = csv.reader(io.StringIO('a,b\\n1,"' + "x" * 200_000 + '"\\n'))
>>> list(rows(reader, "f.csv"))
Traceback (most recent call last):
...
shopgen.core.errors.InvalidInput: f.csv line 2: a field is longer than 131072 characters
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from shopgen.core.errors import InvalidInput


def _error(reader, exc: csv.Error, name: str) -> InvalidInput:
    line = getattr(reader, "reader", reader).line_num  # a DictReader's own count lags a row
    what = str(exc)
    if what.startswith("field larger than field limit"):
        what = f"a field is longer than {csv.field_size_limit()} characters"
    else:
        what = f"malformed CSV ({what})"
    return InvalidInput(f"{name + ' ' if name else ''}line {line}: {what}", {"line": line})


def fieldnames(reader: csv.DictReader, name: str = "") -> list[str]:
    """A DictReader's header (read on first access), with the errors of :func:`rows`."""
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise _error(reader, exc, name) from None


def rows(reader: Iterable, name: str = "") -> Iterator:
    """The rows of ``reader`` (``csv.reader`` or ``csv.DictReader``); InvalidInput with
    ``detail={"line": n}`` for the first row it cannot read. ``name`` starts the message."""
    it = iter(reader)
    while True:
        try:
            row = next(it)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _error(reader, exc, name) from None
        yield row
