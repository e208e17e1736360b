"""A scenario as tables: a folder of CSV files, or an Excel workbook.

Definition
----------
A scenario's tables are one table per collection, named after it
(``systems.csv``, or a sheet ``systems``), with a header row of the
collection's keys (``id``, ``name``, ``department`` ...) and a row for each
element. A cell holds:

a text, a number, ``true`` or ``false``, a date ``YYYY-MM-DD``
    for a field of that type (a number as JSON writes one: ``2``,
    ``-0.5``, ``1e3``, in ASCII digits, ``number``); an empty cell is
    a field left out, and a cell holding just ``'`` an empty text;
a list separated by ``;``
    for a list of ids or texts (``epb; msb``); an item that holds ``;`` or
    ``"``, or starts or ends with a space, is quoted with ``"`` and its
    ``"`` doubled, as CSV quotes (``"a;b"; c``);
JSON text
    for any other field (a mapping such as a responsibility's ``raci``, a
    list of records such as a role's ``tenures``);
text, kept as it is
    in an ``x-`` column: extension data.

The optional table ``scenario`` has the columns ``key`` and ``value`` for
the scenario's own fields (``name``, ``description``, ``as_of`` ...);
without a name, the scenario is named after the folder or workbook.

Writing neutralises formulas: a text cell that a spreadsheet would read as
a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a ``'`` before it, as is a text starting with
``'`` followed by one of those or by another ``'``; reading removes that one
``'``. So a scenario written and read back is equal to what it was,
except that extension data that is not a text comes back as its JSON text
(``12`` as ``"12"``). Files are written as RFC 4180 CSV in UTF-8.

Every problem is located in its table: ``FOLDER/systems.csv:ROW:COLUMN``
(the folder as given; the line and column of the cell's row and field,
1-based) for CSV, ``book.xlsx:Sheet!C12`` for a workbook. The loader's own
problems (an unknown department, a duplicate id and its first use) are
located at the cell they are about (a scenario field's, at its value in
the table ``scenario``), and so are those of the rows that name a row
left out (a system of a department left out). A column given twice is an
error at its header cell (its cells are not read). A row with a cell that
cannot be read, or with a cell outside the header's columns, is left out;
a workbook's formula, spreadsheet error (``#DIV/0!``) or number cell
without a number is one that cannot be read; its number, boolean or date
cell where text is expected is read as its text with a warning (an error
when the workbook lost the number's digits), and so is a date-and-time
cell where a date is expected (read as its date);
every other row is read, and :meth:`Imported.salvage
<cio_framework.interop.Imported.salvage>` gives the scenario without the
rows that have problems.

Complexity
----------
Linear in the size of the tables, reading and writing.

Examples
--------
>>> import tempfile, pathlib
>>> from cio_framework.interop.tables import read_tables
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "departments.csv").write_text("id,name\\nepb,Environment\\n")
>>> _ = (folder / "systems.csv").write_text(
...     "id,name,department,x-owner\\nmon,Monitoring,epb,Li\\n")
>>> found = read_tables(folder)
>>> found.ok, found.counts["systems.csv"]
(True, 1)
>>> scenario = found.scenario()
>>> scenario.systems[0].department, dict(scenario.systems[0].extensions)
('epb', {'x-owner': 'Li'})
"""

from __future__ import annotations

import ast
import csv
import datetime
import functools
import io
import json
import json.scanner
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._optional import require
from ..config import Lenient, unstructure
from ..config._fast import EXACT_INTEGERS
from ..config._plan import FieldPlan, TypeSpec, plan_of
from ..config._read import decode
from ..config._structure import nearest
from ..exceptions import Problem, Severity
from ..model import ADDED_BY_CHANGE, COLLECTIONS, FORMAT_VERSION, Scenario
from ..model._base import canonical_id
from ._result import DATA_PATH, Imported, loader_problems

__all__ = ["TABLE_FORMATS", "read_tables", "records", "to_dataframe", "write_tables"]

#: The formats :func:`write_tables` writes.
TABLE_FORMATS = ("csv", "xlsx")
#: The table of the scenario's own fields.
SCENARIO_TABLE = "scenario"
#: What starts a formula in a spreadsheet.
_FORMULA = frozenset("=+-@\t\r")
#: Items of a list cell that must be quoted.
_NEEDS_QUOTES = re.compile(r'[;"]|^\s|\s$|^$')
#: The largest table file read, in bytes.
MAX_TABLE_BYTES = 256 * 1024 * 1024


# -- cells ----------------------------------------------------------------------


def _would_unguard(rest: str) -> bool:
    """Whether :func:`unguard` removes a ``'`` followed by ``rest``."""
    return rest == "" or rest[0] in _FORMULA or rest[0] == "'"


def guard(text: str) -> str:
    """``text`` as a spreadsheet cannot take it for a formula, and as an
    empty cell (a field left out) cannot be mistaken for it.

    Examples
    --------
    >>> guard("=1+1"), guard("'=x"), guard("Li"), guard("'t Hooft"), guard("")
    ("'=1+1", "''=x", 'Li', "'t Hooft", "'")
    """
    if text == "" or text[0] in _FORMULA or (text[0] == "'" and _would_unguard(text[1:])):
        return "'" + text
    return text


def unguard(text: str) -> str:
    """``text`` without the ``'`` that :func:`guard` put before it."""
    if text[:1] == "'" and _would_unguard(text[1:]):
        return text[1:]
    return text


def join_list(items: Iterable[str]) -> str:
    '''Items of a list as one cell: ``a; b``, quoted where needed.

    Examples
    --------
    >>> join_list(["epb", "a;b", 'say "hi"'])
    'epb; "a;b"; "say ""hi"""'
    '''
    return "; ".join(
        '"' + item.replace('"', '""') + '"' if _NEEDS_QUOTES.search(item) else item
        for item in items
    )


def split_list(cell: str) -> list[str]:
    '''The items of a list cell (the inverse of :func:`join_list`).

    Raises
    ------
    ValueError
        When a quoted item is not closed.

    Examples
    --------
    >>> split_list('epb; "a;b"; "say ""hi"""')
    ['epb', 'a;b', 'say "hi"']
    >>> split_list("")
    []
    '''
    items: list[str] = []
    at, size = 0, len(cell)
    while at < size:
        while at < size and cell[at] == " ":
            at += 1
        if at < size and cell[at] == '"':
            item, at = _quoted(cell, at + 1)
            while at < size and cell[at] == " ":
                at += 1
            if at < size and cell[at] != ";":
                raise ValueError(f"text after a quoted item at character {at + 1}")
        else:
            end = cell.find(";", at)
            end = size if end < 0 else end
            item, at = cell[at:end].strip(), end
        items.append(item)
        at += 1  # past the ';'
    return items


def _quoted(cell: str, at: int) -> tuple[str, int]:
    """A quoted item from just after its opening quote: its text, and where it ends."""
    parts = []
    while True:
        end = cell.find('"', at)
        if end < 0:
            raise ValueError("a quoted item is not closed")
        parts.append(cell[at:end])
        if cell[end + 1 : end + 2] == '"':
            parts.append('"')
            at = end + 2
            continue
        return "".join(parts), end + 1


def _is_list_of_scalars(spec: TypeSpec) -> bool:
    item = spec.item
    return spec.kind == "tuple" and item is not None and item.kind in ("str", "enum")


def cell_text(value: Any, plan: FieldPlan | None) -> str:
    """A field's written value as the text of its cell (``plan`` ``None``:
    an ``x-`` column, whose value is written as JSON text unless it is a
    text)."""
    if plan is None:
        return guard(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return guard(value)
    if plan is not None and _is_list_of_scalars(plan.spec):
        return guard(join_list(str(item) for item in value))
    return guard(json.dumps(value, ensure_ascii=False))


def cell_value(cell: Any, plan: FieldPlan | None) -> Any:
    """The value of a cell for ``plan``'s field (``plan`` ``None``: an ``x-``
    column, kept as text); numbers and dates from a workbook come typed.

    Raises
    ------
    ValueError
        When the cell cannot be read as the field's type.
    """
    if not isinstance(cell, str):
        return _typed_cell(cell, plan)
    text = unguard(cell)
    if plan is None:
        return text
    spec = plan.spec
    kind = spec.kind
    if kind == "bool":
        return _boolean(text)
    if kind in ("int", "float"):
        return number(text)
    if kind in _TEXT_KINDS:
        return text
    if _is_list_of_scalars(spec):
        return split_list(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected JSON text ({spec.describe()}): {exc.msg}") from None


def cell_reader(plan: FieldPlan | None) -> Callable[[Any], Any]:
    """:func:`cell_value` for the cells of one column, decided once for the
    column: a text column's cells are read without asking each what its
    field is.

    Examples
    --------
    >>> cell_reader(None)("'=1+1")
    '=1+1'
    """
    if plan is not None and plan.spec.kind not in _TEXT_KINDS:
        return functools.partial(cell_value, plan=plan)

    def text(cell: Any) -> Any:
        return unguard(cell) if isinstance(cell, str) else _typed_cell(cell, plan)

    return text


#: The kinds of field whose cell is its text, as it stands.
_TEXT_KINDS = ("str", "enum", "date")


def _typed_cell(cell: Any, plan: FieldPlan | None) -> Any:
    """A cell a workbook gave typed: a number, a boolean, a date."""
    if isinstance(cell, (datetime.date, datetime.time)):
        return _date_cell(cell, plan)
    if plan is None or plan.spec.kind in ("str", "enum"):
        return _as_text(cell, plan)
    if plan.spec.kind == "int" and isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _date_cell(cell: datetime.date | datetime.time, plan: FieldPlan | None) -> Any:
    """A workbook's date, date-and-time or time cell, as its ISO text.

    A workbook stores a date as a date at midnight. In a date field the
    date is read (with a note when the cell also holds a time of day,
    which is left out); where text is expected, the cell is read as its
    text with a note saying so (none in an ``x-`` column, which keeps the
    whole text); elsewhere the loader explains what it expected.

    Examples
    --------
    >>> import datetime
    >>> _date_cell(datetime.datetime(2016, 5, 16), None)
    '2016-05-16'
    >>> _date_cell(datetime.datetime(2016, 5, 16, 9, 30), None)
    '2016-05-16T09:30:00'
    """
    timed = isinstance(cell, datetime.datetime) and cell.time() != datetime.time()
    day = cell.date() if isinstance(cell, datetime.datetime) else cell
    text = cell.isoformat() if timed else day.isoformat()
    kind = None if plan is None else plan.spec.kind
    if kind == "date":
        if not timed:
            return text
        return Noted(
            day.isoformat(),
            f"a date-and-time cell where a date is expected: {text!r} is read as "
            f"{day.isoformat()!r}, without its time of day",
            hint="format the cell as a date without a time",
        )
    if kind in ("str", "enum"):
        return Noted(
            text,
            f"a date cell where text is expected: read as the text {text!r}",
            hint="format the column as text, or start the cell with ', to keep it as typed",
        )
    return text  # an x- column keeps it whole; another field's loader explains


def _as_text(cell: Any, plan: FieldPlan | None) -> Any:
    """A workbook's number or boolean cell where a text is expected (an id,
    a name; ``plan`` ``None``: an ``x-`` column, kept as its JSON text).

    A number whose digits a float cannot hold (beyond 2**53, or not finite)
    is refused: its text would be digits nobody typed. Otherwise the cell
    is read as its text, with a note saying so (none in an ``x-`` column,
    whose documented reading this is).

    Raises
    ------
    ValueError
        For a number that is not the number typed.

    Examples
    --------
    >>> _as_text(12, None), _as_text(True, None)
    ('12', 'true')
    >>> _as_text(1.2345678901234567e19, None)
    Traceback (most recent call last):
    ...
    cio_framework.interop.tables.CellError: a number cell where text is expected: ...
    """
    if isinstance(cell, float) and not (math.isfinite(cell) and abs(cell) < EXACT_INTEGERS):
        raise CellError(
            f"a number cell where text is expected: {cell!r} is not the text typed "
            "(a workbook keeps only 15 to 17 digits of a number)",
            hint="format the column as text, or start the cell with ', and type it again",
        )
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    elif isinstance(cell, (bool, int, float)):
        text = json.dumps(cell)
    else:
        return cell
    if plan is None:
        return text
    what = "TRUE/FALSE" if isinstance(cell, bool) else "number"
    return Noted(
        text,
        f"a {what} cell where text is expected: read as the text {text!r}",
        hint="format the column as text, or start the cell with ', to keep it as typed",
    )


class CellError(ValueError):
    """A cell that cannot be read, and what to do about it."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@attrs.frozen
class Noted:
    """A cell's value, read in a way worth a warning (``message``, ``hint``)."""

    value: Any
    message: str
    hint: str | None = None


#: A number as the scenario's JSON files write one: the standard library's
#: own JSON number grammar, which :func:`json.loads` (the JSON reader)
#: holds to, in ASCII digits (the pattern's ``\d`` takes any digit).
_JSON_NUMBER = json.scanner.NUMBER_RE
#: How text spells a number that is not finite, lower-cased, without a sign.
_NOT_FINITE = {"nan": math.nan, ".nan": math.nan, "inf": math.inf, ".inf": math.inf}
_NOT_FINITE["infinity"] = math.inf


def number(text: str) -> int | float:
    """The number a text cell holds, written as JSON writes numbers (the
    scenario file's own rule): ASCII digits, an optional ``-``, fraction
    and exponent (``2``, ``-0.5``, ``1e3``).

    A text naming a number that is not finite (``NaN``, ``inf``,
    ``-Infinity``, ``.inf``) is read as that number, which the loader then
    refuses as a scenario file's ``.nan`` is refused: with its cell's place.

    Raises
    ------
    ValueError
        For any other text (``1_0``, ``١٢``, ``1,5``, ``0x1F``), with a hint.

    Examples
    --------
    >>> number("12"), number(" -0.5 "), number("1e3")
    (12, -0.5, 1000.0)
    >>> number("NaN")
    nan
    >>> number("1_0")
    Traceback (most recent call last):
    ...
    cio_framework.interop.tables.CellError: expected a number, not '1_0'
    """
    stripped = text.strip()
    if stripped.isascii() and _JSON_NUMBER.fullmatch(stripped):
        try:
            value: int | float = json.loads(stripped)
        except ValueError:  # Python's limit for an integer's decimal digits
            raise CellError(
                "the integer has too many digits", hint="write it with an exponent (1e5000)"
            ) from None
        return value
    bare = stripped.lower().lstrip("+-")
    if bare in _NOT_FINITE and stripped.count("-") + stripped.count("+") <= 1:
        return -_NOT_FINITE[bare] if stripped.startswith("-") else _NOT_FINITE[bare]
    raise CellError(f"expected a number, not {text!r}", hint=_number_hint(stripped))


def _number_hint(text: str) -> str:
    """What to write instead of ``text``, which is no number."""
    if any(c.isdigit() and not c.isascii() for c in text):
        return "write the number in the digits 0 to 9"
    if "_" in text:
        return "write the number without '_' (10, not 1_0)"
    if "," in text:
        return "write a '.' before the decimals, and no thousands separators"
    if text[:1] == "+" or text[:2].lower() in ("0x", "0o", "0b") or text[:1] == ".":
        return "write the number as JSON does: 2, -0.5, 0.5, 1e3"
    return "write a number as JSON does: 2, -0.5, 1e3"


_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


# -- reading --------------------------------------------------------------------


@attrs.frozen
class _Cell:
    """Where a cell is: the file, and its row and column (both 1-based),
    or its sheet reference for a workbook."""

    file: str
    row: int
    column: int
    sheet: str | None = None

    def where(self) -> str:
        """The cell's place as messages show it: ``file:row:column`` or
        ``book.xlsx:Sheet!C12``."""
        if self.sheet is None:
            return f"{self.file}:{self.row}:{self.column}"
        return f"{self.file}:{self.sheet}!{_column_letters(self.column)}{self.row}"

    def problem(self, message: str, code: str, hint: str | None = None, **more: Any) -> Problem:
        if self.sheet is None:
            return Problem(
                message=message,
                code=code,
                file=self.file,
                line=self.row,
                column=self.column,
                hint=hint,
                **more,
            )
        where = f"{self.file}:{self.sheet}!{_column_letters(self.column)}{self.row}"
        return Problem(message=message, code=code, file=where, hint=hint, **more)


def _column_letters(column: int) -> str:
    """``1`` to ``A``, ``27`` to ``AA``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@attrs.frozen
class _Table:
    """One table read: its name, header, rows (with their row numbers)."""

    name: str
    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    sheet: str | None = None
    #: The table's name in :attr:`Imported.counts`: its file's name, or its sheet.
    counted: str = ""

    def cell(self, row: int, column: int) -> _Cell:
        return _Cell(self.file, row, column, self.sheet)


#: Where each element came from: (collection, index) to its table and row.
_Cells = dict[tuple[str, int], tuple[_Table, int]]


def read_tables(path: str | os.PathLike[str], *, name: str | None = None) -> Imported:
    """Read a folder of CSV files, or an Excel workbook, as a scenario.

    Parameters
    ----------
    path
        A folder holding ``COLLECTION.csv`` files, or an ``.xlsx`` workbook
        with a sheet for each collection (the ``xlsx`` extra).
    name
        The scenario's name when the tables do not give one; the folder's
        or workbook's name by default.

    Returns
    -------
    Imported
        The data of every row that could be read, every problem located
        at its cell (the loader's own problems included), and the number
        of rows read from each table.
    """
    where = Path(path)
    problems: list[Problem] = []
    if where.is_dir():
        tables = list(_csv_tables(where, problems))
    elif where.suffix.lower() == ".xlsx":
        tables = list(_xlsx_tables(where, problems))
    else:
        problem = Problem(
            message="not a folder of CSV files or an .xlsx workbook",
            code="io",
            file=str(path),
            hint="give the folder that holds systems.csv and the other tables",
        )
        return Imported(data={}, problems=[problem])
    data, cells, fields = _data_of(tables, problems, name or where.stem)
    built = _loader_problems(data, cells, fields, problems)
    counts = {table.counted: len(table.rows) for table in tables}
    return Imported(data=data, problems=problems, counts=counts, built=built)


def _csv_tables(folder: Path, problems: list[Problem]) -> Iterator[_Table]:
    """The CSV tables of ``folder``, in the order of their names."""
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() != ".csv":
            continue
        shown = str(file)  # the folder as given (as the loader shows a folder's files)
        refused = _refusal(file)
        if refused is not None:
            problems.append(Problem(message=f"not read: {refused}", code="io", file=shown))
            continue
        text, problem = decode(file.read_bytes(), shown)
        if problem is not None:
            problems.append(problem)
            continue
        rows = _csv_rows(text, shown, problems)
        if rows is not None and rows:
            header = tuple(str(cell).strip() for cell in rows[0][1])
            yield _Table(file.stem, shown, header, tuple(rows[1:]), counted=file.name)


def _refusal(file: Path) -> str | None:
    """Why a table file is not read, if it is not: a link, not a regular
    file (a FIFO, a device, a folder), or too large."""
    if file.is_symlink():
        return "it is a link"
    if not file.is_file():
        return "it is not a regular file"
    if file.stat().st_size > MAX_TABLE_BYTES:
        return f"it is larger than {MAX_TABLE_BYTES:,} bytes"
    return None


def _unpacked_size(book: Path) -> int:
    """How large a workbook's parts are once unpacked (a workbook is a zip)."""
    import zipfile

    try:
        with zipfile.ZipFile(book) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # openpyxl reports what is wrong with it


def _csv_rows(
    text: str, shown: str, problems: list[Problem]
) -> list[tuple[int, tuple[str, ...]]] | None:
    """The rows of a CSV text with the line each starts on; ``None`` on a
    syntax error (a located problem)."""
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="")
    reader = csv.reader(lines, strict=True)
    rows = []
    line = 1
    try:
        for row in reader:
            if "".join(row).strip():  # a row of blank cells is no row
                rows.append((line, tuple(row)))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(
            Problem(
                message=f"CSV syntax error: {exc}", code="syntax", file=shown, line=reader.line_num
            )
        )
        return None
    return rows


def _xlsx_tables(book: Path, problems: list[Problem]) -> Iterator[_Table]:
    """The sheets of a workbook, in the order of their names."""
    shown = str(book)  # as given, as the loader shows a file
    try:
        import openpyxl
    except ImportError:
        problems.append(
            Problem(
                message="reading .xlsx needs openpyxl",
                code="io",
                file=shown,
                hint="pip install 'cio_framework[xlsx]'",
            )
        )
        return
    refused = _refusal(book)
    if refused is None and _unpacked_size(book) > MAX_TABLE_BYTES:
        refused = f"it unpacks to more than {MAX_TABLE_BYTES:,} bytes"
    if refused is not None:
        problems.append(Problem(message=f"not read: {refused}", code="io", file=shown))
        return
    try:
        workbook = openpyxl.load_workbook(book, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem(message=f"not a readable workbook: {exc}", code="io", file=shown))
        return
    try:
        for sheet_name in sorted(workbook.sheetnames):
            rows = []
            try:
                for number, cells in _sheet_rows(workbook, workbook[sheet_name]):
                    values = tuple(
                        _sheet_value(cell, shown, sheet_name, problems) for cell in cells
                    )
                    if any(str(v).strip() for v in values):
                        rows.append((number, values))
            except Exception as exc:  # a damaged sheet: openpyxl raises many kinds
                problems.append(
                    Problem(
                        message=f"the sheet {sheet_name!r} cannot be read: {exc}",
                        code="io",
                        file=f"{shown}:{sheet_name}",
                    )
                )
                continue
            if rows:
                header = tuple(str(cell).strip() for cell in rows[0][1])
                yield _Table(
                    sheet_name,
                    shown,
                    header,
                    tuple(rows[1:]),
                    sheet=sheet_name,
                    counted=sheet_name,
                )
    finally:
        workbook.close()


#: A workbook cell as :func:`_sheet_rows` gives it: its row, column,
#: value and type (openpyxl's: ``n``, ``s``, ``b``, ``d``, ``e``, ``f``;
#: and :data:`_NO_NUMBER`, :data:`_ODD_NUMBER`).
_SheetCell = Mapping[str, Any]
#: A number cell whose value element is empty: what openpyxl writes for a
#: NaN or an infinity.
_NO_NUMBER = "no-number"
#: A number cell whose value is text openpyxl cannot read (``NaN``, ``INF``).
_ODD_NUMBER = "odd-number"


def _sheet_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[_SheetCell | None]]]:
    """The rows of a read-only sheet, each with its row number and its
    cells by column (``None`` where the sheet has none).

    openpyxl's own cells cannot tell a number cell whose value is empty
    (what openpyxl writes for a NaN or an infinity) from an empty cell, and
    it raises for a number cell holding ``NaN``; its sheet parser, one cell
    at a time, can. That parser is not public: an openpyxl without it (a
    version after 3.1 that moved it) is read through its public cells
    (:func:`_public_rows`), which tell all else apart the same way.
    """
    try:
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

        source = sheet._get_source
        options = {
            "data_only": workbook.data_only,
            "epoch": workbook.epoch,
            "date_formats": workbook._date_formats,
            "timedelta_formats": workbook._timedelta_formats,
        }
        shared_strings = sheet._shared_strings
    except (ImportError, AttributeError):
        yield from _public_rows(sheet)
        return

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            try:
                cell: dict[str, Any] = super().parse_cell(element)
            except (ValueError, TypeError, IndexError, KeyError):
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                else:  # the parser counted this cell before it failed
                    row, column = self.row_counter, self.col_counter
                text = element.findtext(VALUE_TAG) or ""
                return {"row": row, "column": column, "value": text, "data_type": _ODD_NUMBER}
            if (
                cell["value"] is None
                and cell["data_type"] == "n"
                and element.find(VALUE_TAG) is not None
            ):
                cell["data_type"] = _NO_NUMBER
            return cell

    with source() as stream:
        parser = Parser(stream, shared_strings, **options)
        for number, found in parser.parse():
            if found:
                yield number, _by_column(found)


def _public_rows(sheet: Any) -> Iterator[tuple[int, list[_SheetCell | None]]]:
    """:func:`_sheet_rows` through openpyxl's public cells (a read-only
    sheet's empty cells have no row)."""
    for cells in sheet.iter_rows():
        found = [
            {"row": c.row, "column": c.column, "value": c.value, "data_type": c.data_type}
            for c in cells
            if getattr(c, "row", None) is not None and c.value is not None
        ]
        if found:
            yield found[0]["row"], _by_column(found)


def _by_column(found: Sequence[_SheetCell]) -> list[_SheetCell | None]:
    """The cells of a row at their columns (from 1), ``None`` where there is none."""
    cells: list[_SheetCell | None] = [None] * max(cell["column"] for cell in found)
    for cell in found:
        cells[cell["column"] - 1] = cell
    return cells


@attrs.frozen
class _Unread:
    """A workbook cell that is not read (a formula, a spreadsheet error, a
    number cell with no number): its problem is reported, and its row is
    left out."""

    def __str__(self) -> str:
        return ""


_UNREAD = _Unread()


def _sheet_value(cell: _SheetCell | None, book: str, sheet: str, problems: list[Problem]) -> Any:
    """A workbook cell's value. A formula is not evaluated, a spreadsheet
    error (``#DIV/0!``) or a number cell without a number is not read: each
    is reported, and reads as :data:`_UNREAD` (its row is left out)."""
    if cell is None:
        return ""
    value, kind = cell["value"], cell["data_type"]
    if kind in ("f", "e", _NO_NUMBER, _ODD_NUMBER):
        where = _Cell(book, cell["row"], cell["column"], sheet)
        if kind == _ODD_NUMBER:
            try:
                return number(value)  # NaN, INF: the loader says they are not finite
            except ValueError:
                pass
        message, hint = _not_read(kind, value)
        problems.append(where.problem(message, "bad-value", hint=hint))
        return _UNREAD
    if value is None:
        return ""
    return xlsx_unescape(value) if isinstance(value, str) else value


def _not_read(kind: str, value: Any) -> tuple[str, str]:
    """Why a workbook cell of type ``kind`` is not read, and what to do."""
    if kind == "f":
        return (
            "a formula is not read: formulas are never evaluated",
            "replace the formula by its value (paste values only)",
        )
    if kind == "e":
        return (
            f"the cell holds the spreadsheet error {value}, not a value",
            "make its formula work, then replace the formula by its value (paste values only)",
        )
    if kind == _NO_NUMBER:
        return (
            "the number cell holds no number (openpyxl writes a NaN or an infinity so): "
            "a number must be finite",
            "write a finite number; NaN and infinities are not amounts",
        )
    return (
        f"the number cell holds {value!r}, which is no number",
        "write a number, or format the cell as text",
    )


def _data_of(
    tables: list[_Table], problems: list[Problem], default_name: str
) -> tuple[dict[str, Any], _Cells, dict[str, tuple[_Table, int]]]:
    """The scenario's data from its tables, where each element came from
    ((collection, index) to its table and row), and the table and row
    that gave each of the scenario's own fields (by key)."""
    data: dict[str, Any] = {"cio_framework": FORMAT_VERSION}
    cells: _Cells = {}
    fields: dict[str, tuple[_Table, int]] = {}
    by_name = {table.name.lower(): table for table in tables}
    scenario_table = by_name.get(SCENARIO_TABLE)
    if scenario_table is not None:
        rows: dict[str, int] = {}
        data.update(_scenario_fields(scenario_table, problems, rows))
        fields = {key: (scenario_table, row) for key, row in rows.items()}
    data.setdefault("name", default_name)
    for table in tables:
        key = table.name.lower()
        if key == SCENARIO_TABLE:
            continue
        if key not in COLLECTIONS:
            guess = nearest(key, list(COLLECTIONS))
            problems.append(
                table.cell(1, 1).problem(
                    f"the table {table.name!r} is no collection; it is not read",
                    "unknown-key",
                    hint=f"did you mean {guess!r}?"
                    if guess
                    else "name tables after collections: " + ", ".join(COLLECTIONS),
                    severity=Severity.WARNING,
                )
            )
            continue
        repeated = _repeated_columns(table)
        problems.extend(repeated.values())
        problems.extend(_unknown_columns(table, COLLECTIONS[key]))
        columns = [c for c in _read_columns(table, COLLECTIONS[key]) if c[0] not in repeated]
        blank = [i for i, name in enumerate(table.header, start=1) if name == ""]
        records: list[dict[str, Any]] = []
        for row_number, row in table.rows:
            record = _record(table, row_number, row, columns, problems, blank)
            if record is not None:
                cells[key, len(records)] = (table, row_number)
                records.append(record)
        data[key] = records
    return data, cells, fields


def _repeated_columns(table: _Table) -> dict[int, Problem]:
    """The columns whose header repeats an earlier column's (whose cells
    are not read), each with its problem at its header cell."""
    first: dict[str, int] = {}
    repeated = {}
    for column, key in enumerate(table.header, start=1):
        if key == "":
            continue  # no column: its cells are reported by _record
        if key not in first:
            first[key] = column
            continue
        earlier = table.cell(1, first[key]).where()
        repeated[column] = table.cell(1, column).problem(
            f"the column {key!r} is given twice (first at {earlier}); "
            "the cells of this one are not read",
            "duplicate-key",
            hint=f"keep one column {key!r}: merge the two, or rename this one",
        )
    return repeated


def _scenario_fields(
    table: _Table, problems: list[Problem], given: dict[str, int]
) -> dict[str, Any]:
    """The scenario's own fields from the two-column table ``scenario``;
    ``given`` gets the row each was read from."""
    plans = {plan.key: plan for plan in plan_of(Scenario)}
    fields: dict[str, Any] = {}
    for row_number, row in table.rows:
        key = str(row[0]).strip() if row else ""
        cell = row[1] if len(row) > 1 else ""
        extra = _extra_cell(row, 2)
        if extra:
            problems.append(_outside(table, row_number, extra, "key and value"))
            continue
        if isinstance(cell, _Unread):
            continue  # reported
        if cell == "":
            continue  # left out
        plan = plans.get(key)
        if plan is None and not key.startswith("x-"):
            guess = nearest(key, list(plans))
            problems.append(
                table.cell(row_number, 1).problem(
                    f"unknown key {key!r}",
                    "unknown-key",
                    hint=f"did you mean {guess!r}?" if guess else None,
                )
            )
            continue
        if key in given:
            problems.append(
                table.cell(row_number, 1).problem(
                    f"the key {key!r} is given twice (first at "
                    f"{table.cell(given[key], 1).where()}); this row is not read",
                    "duplicate-key",
                    hint="keep one row for each key",
                )
            )
            continue
        try:
            value = cell_value(cell, plan)
        except ValueError as exc:
            problems.append(
                table.cell(row_number, 2).problem(str(exc), "bad-value", hint=_hint_of(exc))
            )
            continue
        given[key] = row_number
        fields[key] = _noted(value, table.cell(row_number, 2), problems)
    return fields


def _hint_of(exc: ValueError) -> str | None:
    return exc.hint if isinstance(exc, CellError) else None


def _noted(value: Any, cell: _Cell, problems: list[Problem], key: str = "") -> Any:
    """``value``, and its warning if it is :class:`Noted` (its message
    after ``key``, the column's name)."""
    if isinstance(value, Noted):
        message = f"{key}: {value.message}" if key else value.message
        problems.append(cell.problem(message, "wrong-type", value.hint, severity=Severity.WARNING))
        return value.value
    return value


def _extra_cell(row: tuple[Any, ...], width: int, blank: Sequence[int] = ()) -> int:
    """The first column (from 1) of ``row`` beyond the table's ``width``
    columns or under an empty header (``blank``, in order) that holds
    something; ``0`` when there is none."""
    size = len(row)
    if size <= width and not blank:
        return 0
    columns: list[int] = [c for c in blank if c <= size]
    columns.extend(range(width + 1, size + 1))
    for column in columns:
        if str(row[column - 1]).strip():
            return column
    return 0


def _outside(table: _Table, row_number: int, column: int, columns: str) -> Problem:
    """The problem of a row with a cell outside the table's ``columns``."""
    return table.cell(row_number, column).problem(
        f"a cell outside the table's columns ({columns}): the row is not read",
        "unknown-key",
        hint="give the column a header, or remove the cell: a separator too many?",
    )


#: A column read into elements: its number (from 1), key, how its cells
#: are read (:func:`cell_reader`), and whether a text cell is read as its
#: text (:func:`unguard`), as in a column of ids or names.
_Column = tuple[int, str, Callable[[Any], Any], bool]


def _read_columns(table: _Table, cls: type) -> list[_Column]:
    """The columns of ``table`` that are read: its keys of ``cls`` and its
    ``x-`` columns (the others are reported once, by :func:`_unknown_columns`)."""
    plans = {plan.key: plan for plan in plan_of(cls) if plan.name != "extensions"}
    return [
        (column, key, cell_reader(plan), plan is None or plan.spec.kind in _TEXT_KINDS)
        for column, key in enumerate(table.header, start=1)
        if key in plans or key.startswith("x-")
        for plan in (plans.get(key),)
    ]


def _record(
    table: _Table,
    row_number: int,
    row: tuple[Any, ...],
    columns: list[_Column],
    problems: list[Problem],
    blank: Sequence[int] = (),
) -> dict[str, Any] | None:
    """One row as an element's data; ``None`` (and a problem for each bad
    cell) when a cell cannot be read, or lies outside the table's columns."""
    record: dict[str, Any] = {}
    failed = False
    width = len(row)
    for column, key, read, text in columns:
        cell = row[column - 1] if column <= width else ""
        if cell == "":
            continue
        if text and type(cell) is str:  # what cell_reader's reader does, in line
            record[key] = unguard(cell) if cell[0] == "'" else cell
            continue
        if isinstance(cell, _Unread):
            failed = True  # reported
            continue
        try:
            value = read(cell)
        except ValueError as exc:
            problems.append(
                table.cell(row_number, column).problem(
                    f"{key}: {exc}", "bad-value", hint=_hint_of(exc)
                )
            )
            failed = True
            continue
        if type(value) is Noted:  # the cell is made only for its warning
            value = _noted(value, table.cell(row_number, column), problems, key)
        record[key] = value
    extra = _extra_cell(row, len(table.header), blank)
    if extra:
        where = f"{len(table.header)} in its header"
        problems.append(
            _outside(
                table,
                row_number,
                extra,
                where if extra > len(table.header) else "this one has no header",
            )
        )
        failed = True
    return None if failed else record


def _unknown_columns(table: _Table, cls: type) -> Iterator[Problem]:
    """A problem for each column that is no key of ``cls`` (its cells are not
    read); a column without a header is none (its cells are each a problem)."""
    keys = [plan.key for plan in plan_of(cls) if plan.name != "extensions"]
    for column, key in enumerate(table.header, start=1):
        if key and key not in keys and not key.startswith("x-"):
            guess = nearest(key, keys)
            yield table.cell(1, column).problem(
                f"unknown column {key!r}; its cells are not read",
                "unknown-key",
                hint=f"did you mean {guess!r}?" if guess else "extension columns start with 'x-'",
            )


def _loader_problems(
    data: dict[str, Any],
    cells: _Cells,
    fields: dict[str, tuple[_Table, int]],
    problems: list[Problem],
) -> Lenient | None:
    """Add the loader's problems with the data to ``problems``, each located
    at its cell (:func:`~cio_framework.interop._result.loader_problems`);
    return what it built, or ``None`` when a problem is about no element."""
    found, built = loader_problems(data, lambda problem: _placed(problem, cells, fields, data))
    problems.extend(found)
    return built


#: A problem's path at one of the scenario's own fields (``$.as_of``, ``$.owner.name``).
_FIELD_PATH = re.compile(r"^\$\.(\w+)(?![\w\[])")


def _placed(
    problem: Problem,
    cells: _Cells,
    fields: dict[str, tuple[_Table, int]],
    data: Mapping[str, Any],
) -> Problem:
    """``problem``, found at a path in the data, located at its table cell
    (an element's cell, or the value cell of a scenario field's row), and
    so is the first use of a duplicate id that its message names."""
    match = DATA_PATH.match(problem.path)
    field = _FIELD_PATH.match(problem.path)
    if match is not None:
        found = cells.get((match.group(1), int(match.group(2))))
        key = match.group(3) or match.group(4)
    elif field is not None:
        found, key = fields.get(field.group(1)), "value"
    else:
        return problem
    if found is None:
        return problem
    table, row = found
    column = table.header.index(key) + 1 if key in table.header else 1
    cell = table.cell(row, column)
    message = problem.message
    if problem.code == "duplicate-id":
        message = _first_use_placed(message, cells, data)
    placed = cell.problem(message, problem.code, problem.hint)
    return attrs.evolve(placed, path=problem.path, expected=problem.expected, got=problem.got)


#: The loader's duplicate id message: the id, and the place of its first
#: use in the loader's own text of the data (which means nothing to a reader).
_DUPLICATE = re.compile(
    r"^duplicate id ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\").* at (\S+:\d+:\d+)$"
)


def _first_use_placed(
    message: str,
    cells: _Cells,
    data: Mapping[str, Any],
) -> str:
    """A duplicate id's ``message`` with the place of the id's first use
    as the table cell that holds it (``departments.csv:2:1``)."""
    match = _DUPLICATE.match(message)
    if match is None:
        return message
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):  # pragma: no cover - the loader writes a repr
        return message
    where = _first_use(value, cells, data)
    if where is None:
        return message
    return message[: match.start(2)] + where


def _first_use(
    value: str,
    cells: _Cells,
    data: Mapping[str, Any],
) -> str | None:
    """The cell of the first element with the id ``value``, in the order
    the loader reads them (the collections, then what-if variants' added
    elements): its place, or ``None``."""
    id_keys = _id_keys()
    for collection, items in data.items():
        id_key = id_keys.get(collection)
        if id_key is None or not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            found = item.get(id_key) if isinstance(item, dict) else None
            if isinstance(found, str) and canonical_id(found) == value:
                return _where(cells, collection, index, id_key)
    variants = data.get("scenarios")
    for index, variant in enumerate(variants if isinstance(variants, list) else ()):
        changes = variant.get("changes") if isinstance(variant, dict) else None
        for change in changes if isinstance(changes, list) else ():
            for key in ADDED_BY_CHANGE if isinstance(change, dict) else ():
                added = change.get(key)
                found = added.get("id") if isinstance(added, dict) else None
                if isinstance(found, str) and canonical_id(found) == value:
                    return _where(cells, "scenarios", index, "changes")
    return None


def _where(cells: _Cells, collection: str, index: int, key: str) -> str | None:
    """The place of the cell of ``key`` of a collection's element."""
    found = cells.get((collection, index))
    if found is None:
        return None
    table, row = found
    column = table.header.index(key) + 1 if key in table.header else 1
    return table.cell(row, column).where()


@functools.cache
def _id_keys() -> dict[str, str]:
    """Collection name to the key of its id, for collections with ids."""
    return {
        name: plan.key for name, cls in COLLECTIONS.items() for plan in plan_of(cls) if plan.is_id
    }


# -- writing --------------------------------------------------------------------


def table_rows(scenario: Scenario) -> dict[str, list[list[str]]]:
    """The scenario's tables: name to rows of cell texts, the header first.

    Only collections that hold elements get a table; the ``scenario`` table
    holds the scenario's own fields.

    Examples
    --------
    >>> import cio_framework
    >>> tables = table_rows(cio_framework.builtin("pudong-2016"))
    >>> tables["systems"][0][:3]
    ['id', 'name', 'department']
    """
    data = unstructure(scenario)
    plans = {plan.key: plan for plan in plan_of(Scenario)}
    tables: dict[str, list[list[str]]] = {
        SCENARIO_TABLE: [["key", "value"]]
        + [
            [key, cell_text(value, plans.get(key))]
            for key, value in data.items()
            if key not in COLLECTIONS
        ]
    }
    for collection, cls in COLLECTIONS.items():
        records = data.get(collection)
        if records:
            tables[collection] = _rows(records, cls)
    return tables


def _rows(records: Sequence[Mapping[str, Any]], cls: type) -> list[list[str]]:
    """A collection's records as a header and rows: the model's keys in
    its order, then the ``x-`` keys in sorted order."""
    plans = [plan for plan in plan_of(cls) if plan.name != "extensions"]
    used = set().union(*(record.keys() for record in records))
    header = [plan.key for plan in plans if plan.key in used]
    header += sorted(key for key in used if key.startswith("x-"))
    by_key = {plan.key: plan for plan in plans}
    rows = [header]
    for record in records:
        rows.append(
            [cell_text(record.get(key), by_key.get(key)) if key in record else "" for key in header]
        )
    return rows


def records(scenario: Scenario, collection: str) -> list[dict[str, Any]]:
    """One record per element of a collection, for a notebook or a dataframe.

    Every record has the same keys, the collection's keys in the model's
    order, then the ``x-`` keys any element uses (sorted); a field left at
    its default has its default value, an ``x-`` key an element lacks is
    ``None``. Values are plain data as :func:`~cio_framework.unstructure`
    gives them: lists stay lists (ids may hold ``", "``), dates are ISO
    strings.

    Raises
    ------
    KeyError
        When ``collection`` is not one of the scenario's collections.

    Examples
    --------
    >>> import cio_framework
    >>> rows = records(cio_framework.builtin("pudong-2016"), "exchanges")
    >>> list(rows[0])[:5]
    ['id', 'from', 'to', 'resources', 'via']
    >>> [row["resources"] for row in rows if row["resources"]][0]
    ['enterprise-registry']
    """
    cls = COLLECTIONS[collection]
    elements = [unstructure(element) for element in getattr(scenario, collection)]
    plans = [plan for plan in plan_of(cls) if plan.name != "extensions"]
    defaults = {plan.key: None if plan.required else _plain_default(plan) for plan in plans}
    extra = sorted({key for element in elements for key in element if key not in defaults})
    return [{**defaults, **dict.fromkeys(extra), **element} for element in elements]


def _plain_default(plan: FieldPlan) -> Any:
    """A field's default as plain data (an empty list, not an empty tuple)."""
    default = plan.default_value()
    if isinstance(default, tuple):
        return list(default)
    if isinstance(default, Mapping):
        return dict(default)
    return getattr(default, "value", default)  # an enum's value


def to_dataframe(scenario: Scenario, collection: str) -> Any:
    """:func:`records` as a :class:`pandas.DataFrame` (the ``pandas`` extra),
    one row per element, the columns in the order of the records' keys.

    Raises
    ------
    MissingDependencyError
        When pandas is not installed.
    """
    pandas = require("pandas", "pandas")
    rows = records(scenario, collection)
    columns = list(rows[0]) if rows else [p.key for p in plan_of(COLLECTIONS[collection])]
    return pandas.DataFrame.from_records(rows, columns=columns)


def write_tables(scenario: Scenario, format: str = "csv") -> dict[str, bytes]:
    """The scenario as tables: file name to contents.

    Parameters
    ----------
    scenario
        The scenario to write.
    format
        ``"csv"``: one UTF-8 CSV file for each table (``systems.csv`` ...);
        ``"xlsx"``: one workbook ``scenario.xlsx`` with a sheet for each
        table (the ``xlsx`` extra).

    Examples
    --------
    >>> import cio_framework
    >>> files = write_tables(cio_framework.builtin("pudong-2016"))
    >>> sorted(files)[:3]
    ['appraisals.csv', 'bodies.csv', 'criteria.csv']
    """
    tables = table_rows(scenario)
    if format == "csv":
        return {f"{name}.csv": _csv_bytes(rows) for name, rows in tables.items()}
    if format == "xlsx":
        return {"scenario.xlsx": _xlsx_bytes(tables)}
    raise ValueError(f"unknown table format {format!r}; use one of {', '.join(TABLE_FORMATS)}")


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # RFC 4180
    # a lone surrogate (only a JSON escape makes one) is written as the text
    # \\ud800, as the YAML writer writes it: no UTF-8 file holds it
    return out.getvalue().encode("utf-8", "backslashreplace")


def _xlsx_bytes(tables: dict[str, list[list[str]]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(title=name[:31])
        for row in rows:
            sheet.append([_text_cell(sheet, text) for text in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet: Any, text: str) -> Any:
    """A cell that holds ``text`` as text, never as a formula or a number."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=None)
    cell.value = xlsx_escape(text)
    cell.data_type = "s"
    return cell


#: Characters no workbook (XML) holds, a carriage return (which XML reads
#: as a line feed), and the escapes that stand for one.
_NOT_IN_XML = re.compile(
    "[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
_XML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def xlsx_escape(text: str) -> str:
    r"""``text`` with what a workbook cannot hold written as OOXML does,
    ``_xHHHH_`` (an ``_`` that would start such an escape as ``_x005F_``).

    Examples
    --------
    >>> xlsx_escape("a\x05b_x0041_")
    'a_x0005_b_x005F_x0041_'
    >>> xlsx_unescape(xlsx_escape("a\x05b_x0041_"))
    'a\x05b_x0041_'
    """
    return _NOT_IN_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def xlsx_unescape(text: str) -> str:
    """The text an OOXML cell's escapes stand for (the inverse of :func:`xlsx_escape`)."""
    if "_x" not in text:
        return text
    return _XML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
