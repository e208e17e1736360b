"""A scenario as tables: a folder of CSV files, or an Excel workbook.

Definition
----------
A scenario's tables are one table per collection, named after it
(``systems.csv``, or a sheet ``systems``), with a header row of the
collection's keys (``id``, ``name``, ``department`` ...) and a row for each
element. A cell holds:

a text, a number, ``true`` or ``false``, a date ``YYYY-MM-DD``
    for a field of that type; an empty cell is a field left out, and a
    cell holding just ``'`` an empty text;
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

Every problem is located in its table: ``systems.csv:ROW:COLUMN`` (the
line and column of the cell's row and field, 1-based) for CSV,
``book.xlsx:Sheet!C12`` for a workbook. The loader's own problems (an
unknown department, a duplicate id) are located at the cell they are
about, and so are those of the rows that name a row left out (a system of
a department left out). A row with a cell that cannot be read is left out;
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

import csv
import functools
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._optional import require
from ..config import Lenient, unstructure
from ..config._plan import FieldPlan, TypeSpec, plan_of
from ..config._read import decode
from ..config._structure import nearest
from ..exceptions import Problem, Severity
from ..model import COLLECTIONS, FORMAT_VERSION, Scenario
from ._result import Imported, loader_problems

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
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
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
    if hasattr(cell, "isoformat"):
        day = cell.date() if hasattr(cell, "date") else cell
        return day.isoformat()
    if plan is None or plan.spec.kind in ("str", "enum"):
        return cell_text(cell, None) if not isinstance(cell, str) else cell
    if plan.spec.kind == "int" and isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


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

    def cell(self, row: int, column: int) -> _Cell:
        return _Cell(self.file, row, column, self.sheet)


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
    data, cells = _data_of(tables, problems, name or where.stem)
    built = _loader_problems(data, cells, problems)
    counts = {
        table.file if table.sheet is None else table.sheet: len(table.rows) for table in tables
    }
    return Imported(data=data, problems=problems, counts=counts, built=built)


def _csv_tables(folder: Path, problems: list[Problem]) -> Iterator[_Table]:
    """The CSV tables of ``folder``, in the order of their names."""
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() != ".csv":
            continue
        shown = file.name
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
            yield _Table(file.stem, shown, header, tuple(rows[1:]))


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
    try:
        import openpyxl
    except ImportError:
        problems.append(
            Problem(
                message="reading .xlsx needs openpyxl",
                code="io",
                file=book.name,
                hint="pip install 'cio_framework[xlsx]'",
            )
        )
        return
    refused = _refusal(book)
    if refused is None and _unpacked_size(book) > MAX_TABLE_BYTES:
        refused = f"it unpacks to more than {MAX_TABLE_BYTES:,} bytes"
    if refused is not None:
        problems.append(Problem(message=f"not read: {refused}", code="io", file=book.name))
        return
    try:
        workbook = openpyxl.load_workbook(book, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(
            Problem(message=f"not a readable workbook: {exc}", code="io", file=book.name)
        )
        return
    try:
        for sheet_name in sorted(workbook.sheetnames):
            sheet = workbook[sheet_name]
            rows = []
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values = tuple(
                    _sheet_value(cell, book.name, sheet_name, problems) for cell in cells
                )
                if any(str(v).strip() for v in values):
                    rows.append((number, values))
            if rows:
                header = tuple(str(cell).strip() for cell in rows[0][1])
                yield _Table(sheet_name, book.name, header, tuple(rows[1:]), sheet=sheet_name)
    finally:
        workbook.close()


def _sheet_value(cell: Any, book: str, sheet: str, problems: list[Problem]) -> Any:
    """A workbook cell's value; a formula is not evaluated but reported
    (its cell reads as empty, and its row is left out by the loader's rules)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        where = _Cell(book, cell.row, cell.column, sheet)
        problems.append(
            where.problem(
                "a formula is not read: formulas are never evaluated",
                "bad-value",
                hint="replace the formula by its value (paste values only)",
            )
        )
        return ""
    return xlsx_unescape(value) if isinstance(value, str) else value


def _data_of(
    tables: list[_Table], problems: list[Problem], default_name: str
) -> tuple[dict[str, Any], dict[tuple[str, int], tuple[_Table, int]]]:
    """The scenario's data from its tables, and where each element came from:
    (collection, index) to its table and row."""
    data: dict[str, Any] = {"cio_framework": FORMAT_VERSION}
    cells: dict[tuple[str, int], tuple[_Table, int]] = {}
    by_name = {table.name.lower(): table for table in tables}
    scenario_table = by_name.get(SCENARIO_TABLE)
    if scenario_table is not None:
        data.update(_scenario_fields(scenario_table, problems))
    data.setdefault("name", default_name)
    for table in tables:
        key = table.name.lower()
        if key == SCENARIO_TABLE:
            continue
        if key not in COLLECTIONS:
            problems.append(
                table.cell(1, 1).problem(
                    f"the table {table.name!r} is no collection; it is not read",
                    "unknown-key",
                    hint="name tables after collections: " + ", ".join(COLLECTIONS),
                    severity=Severity.WARNING,
                )
            )
            continue
        problems.extend(_unknown_columns(table, COLLECTIONS[key]))
        columns = _read_columns(table, COLLECTIONS[key])
        records: list[dict[str, Any]] = []
        for row_number, row in table.rows:
            record = _record(table, row_number, row, columns, problems)
            if record is not None:
                cells[key, len(records)] = (table, row_number)
                records.append(record)
        data[key] = records
    return data, cells


def _scenario_fields(table: _Table, problems: list[Problem]) -> dict[str, Any]:
    """The scenario's own fields from the two-column table ``scenario``."""
    plans = {plan.key: plan for plan in plan_of(Scenario)}
    fields: dict[str, Any] = {}
    for row_number, row in table.rows:
        key = str(row[0]).strip() if row else ""
        cell = row[1] if len(row) > 1 else ""
        if cell == "":
            continue  # left out
        plan = plans.get(key)
        if plan is None and not key.startswith("x-"):
            problems.append(
                table.cell(row_number, 1).problem(f"unknown key {key!r}", "unknown-key")
            )
            continue
        try:
            fields[key] = cell_value(cell, plan)
        except ValueError as exc:
            problems.append(table.cell(row_number, 2).problem(str(exc), "bad-value"))
    return fields


#: A column read into elements: its number (from 1), key, and how its cells
#: are read (:func:`cell_reader`).
_Column = tuple[int, str, Callable[[Any], Any]]


def _read_columns(table: _Table, cls: type) -> list[_Column]:
    """The columns of ``table`` that are read: its keys of ``cls`` and its
    ``x-`` columns (the others are reported once, by :func:`_unknown_columns`)."""
    plans = {plan.key: plan for plan in plan_of(cls) if plan.name != "extensions"}
    return [
        (column, key, cell_reader(plans.get(key)))
        for column, key in enumerate(table.header, start=1)
        if key in plans or key.startswith("x-")
    ]


def _record(
    table: _Table,
    row_number: int,
    row: tuple[Any, ...],
    columns: list[_Column],
    problems: list[Problem],
) -> dict[str, Any] | None:
    """One row as an element's data; ``None`` (and a problem for each bad
    cell) when a cell cannot be read."""
    record: dict[str, Any] = {}
    failed = False
    width = len(row)
    for column, key, read in columns:
        cell = row[column - 1] if column <= width else ""
        if cell == "":
            continue
        try:
            record[key] = read(cell)
        except ValueError as exc:
            problems.append(table.cell(row_number, column).problem(f"{key}: {exc}", "bad-value"))
            failed = True
    return None if failed else record


def _unknown_columns(table: _Table, cls: type) -> Iterator[Problem]:
    """A problem for each column that is no key of ``cls`` (its cells are not read)."""
    keys = [plan.key for plan in plan_of(cls) if plan.name != "extensions"]
    for column, key in enumerate(table.header, start=1):
        if key not in keys and not key.startswith("x-"):
            guess = nearest(key, keys)
            yield table.cell(1, column).problem(
                f"unknown column {key!r}; its cells are not read",
                "unknown-key",
                hint=f"did you mean {guess!r}?" if guess else "extension columns start with 'x-'",
            )


def _loader_problems(
    data: dict[str, Any],
    cells: dict[tuple[str, int], tuple[_Table, int]],
    problems: list[Problem],
) -> Lenient | None:
    """Add the loader's problems with the data to ``problems``, each located
    at its cell (:func:`~cio_framework.interop._result.loader_problems`);
    return what it built, or ``None`` when a problem is about no element."""
    found, built = loader_problems(data, lambda problem: _placed(problem, cells))
    problems.extend(found)
    return built


_PATH = re.compile(r"^\$\.(\w+)\[(\d+)\](?:\.([^.\[]+)|\[['\"](.+?)['\"]\])?")


def _placed(problem: Problem, cells: dict[tuple[str, int], tuple[_Table, int]]) -> Problem:
    """``problem``, found at a path in the data, located at its table cell."""
    match = _PATH.match(problem.path)
    if match is None:
        return problem
    found = cells.get((match.group(1), int(match.group(2))))
    if found is None:
        return problem
    table, row = found
    key = match.group(3) or match.group(4)
    column = table.header.index(key) + 1 if key in table.header else 1
    cell = table.cell(row, column)
    placed = cell.problem(problem.message, problem.code, problem.hint)
    return attrs.evolve(placed, path=problem.path, expected=problem.expected, got=problem.got)


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
