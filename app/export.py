"""CSV as a spreadsheet opens it: text cells that a spreadsheet would run as formulas are made
inert, every field is quoted, and the file starts with a UTF-8 byte-order mark.

Document text is hostile input. A headline ``=HYPERLINK("http://x","click")`` or a source
``=cmd|' /C calc'!A0`` would run in Excel, LibreOffice or Google Sheets (CSV injection, see
OWASP's "CSV Injection" page). Following OWASP, a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (or their full-width forms, which some spreadsheets
read the same way, and after leading spaces, line feeds or apostrophes) gets one leading
apostrophe, which every spreadsheet shows as text. Fields are all quoted, so a ``;`` or ``,``
inside a cell never starts a new cell, whichever separator the spreadsheet's locale expects.

The guard is reversible: ``restore`` takes exactly one apostrophe off a guarded cell, so the
CSV reads back to the text as written (``store.read_events`` does so). JSON and Parquet keep
the text unchanged. The byte-order mark makes Excel on Windows read the file as UTF-8 rather
than in the machine's ANSI code page (German and French letters otherwise come out garbled).
"""

from __future__ import annotations

import csv
import re

import pandas as pd

from app.schema import LIST_COLUMNS

BOM = "\ufeff"
FORMULA_CHARS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
# the cells that need a guard: optional apostrophes, spaces or line feeds, then a formula char;
# the apostrophes are part of the pattern so that guarding stays one-to-one (see restore)
_NEEDS_GUARD = re.compile(r"'*[ \n]*[" + re.escape(FORMULA_CHARS) + "]")
_GUARDED = re.compile(r"'(?='*[ \n]*[" + re.escape(FORMULA_CHARS) + "])")


def inert(cell: str) -> str:
    """``cell`` as a spreadsheet will show it and never evaluate it."""
    return "'" + cell if _NEEDS_GUARD.match(cell) else cell


def restore(cell: str) -> str:
    """The text ``inert`` was given: one guarding apostrophe taken off, nothing else."""
    return cell[1:] if _GUARDED.match(cell) else cell


def spreadsheet_frame(df: pd.DataFrame, list_sep: str) -> pd.DataFrame:
    """A copy of ``df`` with list cells joined by ``list_sep`` and every text cell inert."""
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if col in LIST_COLUMNS:
            out[col] = [inert(list_sep.join(v)) for v in values]
        elif _is_text(values):
            out[col] = [inert(v) if isinstance(v, str) else v for v in values]
    return out


def to_spreadsheet_csv(df: pd.DataFrame, list_sep: str, date_format: str,
                       bom: bool = True) -> str:
    """``df`` as CSV text for a spreadsheet (see the module's docstring)."""
    text = spreadsheet_frame(df, list_sep).to_csv(
        index=False, date_format=date_format, quoting=csv.QUOTE_ALL)
    return (BOM + text) if bom else text


def _is_text(values: pd.Series) -> bool:
    return (pd.api.types.is_string_dtype(values) or values.dtype == object
            or isinstance(values.dtype, pd.CategoricalDtype))
