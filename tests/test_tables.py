"""Scenarios as tables: CSV folders and Excel workbooks, in and out."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.data import BUILTIN_SCENARIOS
from cio_framework.exceptions import Severity
from cio_framework.interop.tables import (
    guard,
    join_list,
    read_tables,
    split_list,
    unguard,
    write_tables,
)
from cio_framework.testing import landscapes, scenarios


def write_folder(folder, files):
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def tables_round_trip(scenario, tmp_path, format="csv"):
    files = write_tables(scenario, format)
    if format == "csv":
        return read_tables(write_folder(tmp_path / "out", files))
    ((name, content),) = files.items()
    path = tmp_path / name
    path.write_bytes(content)
    return read_tables(path)


def strings_only(scenario):
    """The scenario with every extension value a string (tables keep x- cells as text)."""
    data = cio_framework.unstructure(scenario)

    def textual(record):
        return {
            k: (
                json.dumps(v, ensure_ascii=False)
                if k.startswith("x-") and not isinstance(v, str)
                else v
            )
            for k, v in record.items()
        }

    for key, value in list(data.items()):
        if isinstance(value, list) and value and isinstance(value[0], dict):
            data[key] = [textual(r) if isinstance(r, dict) else r for r in value]
    return cio_framework.structure(textual(data))


# -- cells ----------------------------------------------------------------------


@given(st.lists(st.text(st.characters(exclude_categories=["Cs"]), max_size=8), max_size=5))
def test_list_cells_round_trip(items):
    """split_list(join_list(items)) == items, whatever the items hold."""
    assert split_list(join_list(items)) == items


@given(st.text(max_size=12))
def test_guard_is_undone_by_unguard(text):
    """unguard(guard(t)) == t, and a guarded text never starts a formula."""
    assert unguard(guard(text)) == text
    assert guard(text)[:1] not in set("=+-@\t\r")


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "'=1"]
)
def test_formulas_are_neutralised_in_csv(text, tmp_path):
    """A name that a spreadsheet would read as a formula is written with a ' before it, and read back as it was."""
    scenario = cio_framework.testing.make_scenario(description=text)
    files = write_tables(scenario)
    rows = list(csv.reader(io.StringIO(files["scenario.csv"].decode())))
    (cell,) = [value for key, value in rows if key == "description"]
    assert cell == "'" + text
    assert read_tables(write_folder(tmp_path / "t", files)).scenario().description == text


# -- round trips ----------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtins_round_trip_through_csv(name, tmp_path):
    """Every built-in scenario written as CSV tables reads back equal."""
    scenario = cio_framework.builtin(name)
    found = tables_round_trip(scenario, tmp_path)
    assert found.problems == ()
    assert found.scenario() == strings_only(scenario)


@settings(max_examples=40, deadline=None)
@given(scenarios(max_elements=3))
def test_generated_scenarios_round_trip_through_csv(tmp_path_factory, scenario):
    """Any scenario's tables read back equal (x- data as its text)."""
    found = tables_round_trip(scenario, tmp_path_factory.mktemp("csv"))
    assert [p for p in found.problems if p.severity is Severity.ERROR] == []
    assert found.scenario() == strings_only(scenario)


@settings(max_examples=15, deadline=None)
@given(landscapes(max_systems=6))
def test_landscapes_round_trip_through_xlsx(tmp_path_factory, scenario):
    """A workbook reads back equal to the scenario it was written from."""
    pytest.importorskip("openpyxl")
    found = tables_round_trip(scenario, tmp_path_factory.mktemp("xlsx"), "xlsx")
    assert [p for p in found.problems if p.severity is Severity.ERROR] == []
    assert found.scenario() == strings_only(scenario)


# -- problems, located -------------------------------------------------------------


def test_problems_are_located_at_their_cells_and_good_rows_are_kept(tmp_path):
    """A bad number, an unknown department and an unknown column are each
    reported at file:row:column; the other rows are read."""
    folder = write_folder(
        tmp_path / "city",
        {
            "departments.csv": b"id,name\nepb,Environment\nmsb,Market\n",
            "systems.csv": (
                b"id,name,department,users,colour\n"
                b"mon,Monitoring,epb,12,red\n"
                b"bad,Bad count,epb,many,\n"
                b"lost,Lost,nowhere,3,\n"
            ),
        },
    )
    found = read_tables(folder)
    located = {(p.file, p.line, p.column, p.code) for p in found.problems}
    systems = str(folder / "systems.csv")
    assert (systems, 1, 5, "unknown-key") in located
    assert (systems, 3, 4, "bad-value") in located
    assert (systems, 4, 3, "dangling-reference") in located
    assert [s["id"] for s in found.data["systems"]] == ["mon", "lost"]
    assert found.counts["systems.csv"] == 3
    assert not found.ok
    assert found.data["name"] == "city"


def test_a_multi_line_cell_keeps_the_row_numbers_right(tmp_path):
    """A quoted cell over two lines: the next row's problem is on its own line."""
    folder = write_folder(
        tmp_path / "t",
        {
            "departments.csv": b'id,name\nepb,"Environment\nand Ecology"\nmsb,\n',
        },
    )
    (problem,) = [p for p in read_tables(folder).problems if p.code == "missing-field"]
    assert (problem.file, problem.line) == (str(folder / "departments.csv"), 4)


def test_a_csv_syntax_error_is_located(tmp_path):
    """An unclosed quote is a located syntax problem, never a traceback."""
    folder = write_folder(tmp_path / "t", {"departments.csv": b'id,name\nepb,"Environment\n'})
    (problem,) = read_tables(folder).problems
    assert problem.code == "syntax"
    assert problem.file == str(folder / "departments.csv")


def test_a_table_that_is_no_collection_is_a_warning(tmp_path):
    """systemz.csv is not read, and the warning names the collections."""
    folder = write_folder(tmp_path / "t", {"systemz.csv": b"id,name\na,A\n"})
    (problem,) = read_tables(folder).problems
    assert problem.severity is Severity.WARNING
    assert "systems" in problem.hint


def test_not_utf8_is_located(tmp_path):
    """A CSV saved in another encoding is an encoding problem at its place."""
    folder = write_folder(
        tmp_path / "t", {"departments.csv": "id,name\nepb,Bureau\xe9\n".encode("latin-1")}
    )
    (problem,) = read_tables(folder).problems
    assert problem.code == "encoding"
    assert problem.file == str(folder / "departments.csv")
    assert problem.line == 2


def test_xlsx_problems_name_the_sheet_and_cell(tmp_path):
    """A workbook's problem reads book.xlsx:Sheet!C3; a formula is reported, never evaluated."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "systems"
    sheet.append(["id", "name", "department"])
    sheet.append(["mon", "Monitoring", "epb"])
    sheet.append(["x", "=1+1", "epb"])
    departments = book.create_sheet("departments")
    departments.append(["id", "name"])
    departments.append(["msb", "Market"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    found = read_tables(path)
    files = {(p.file, p.code) for p in found.problems}
    assert (f"{path}:systems!C2", "dangling-reference") in files
    assert (f"{path}:systems!B3", "bad-value") in files
    assert found.counts["systems"] == 2


def test_a_path_that_is_neither_is_a_problem(tmp_path):
    """A file that is not .xlsx is refused with a hint."""
    path = tmp_path / "a.txt"
    path.write_text("x")
    (problem,) = read_tables(path).problems
    assert problem.code == "io"
    assert "systems.csv" in problem.hint


@given(st.text(max_size=12))
def test_workbook_escapes_are_undone(text):
    """xlsx_unescape(xlsx_escape(t)) == t, and the escaped text holds nothing XML refuses."""
    from cio_framework.interop.tables import xlsx_escape, xlsx_unescape

    escaped = xlsx_escape(text)
    assert xlsx_unescape(escaped) == text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in escaped)  # \r reads as \n
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in escaped)


# -- records and dataframes ----------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(scenarios(max_elements=3))
def test_records_are_the_elements_with_every_key(scenario):
    """records(): one per element, the same keys for all, and loadable: the
    scenario's data with a collection replaced by its records (an x- key an
    element lacks left out) loads back to the same data."""
    from cio_framework.interop.tables import records

    for collection in ("departments", "systems", "exchanges", "roles", "responsibilities"):
        rows = records(scenario, collection)
        elements = getattr(scenario, collection)
        assert len(rows) == len(elements)
        assert len({tuple(row) for row in rows}) <= 1
        data = cio_framework.unstructure(scenario)
        data[collection] = [
            {
                k: v
                for k, v in row.items()
                if not (k.startswith("x-") and k not in element.extensions)
            }
            for row, element in zip(rows, elements, strict=True)
        ]
        # compared as data: extension dates are strings in the data (JSON's words)
        back = cio_framework.structure(data)
        assert cio_framework.unstructure(back) == cio_framework.unstructure(scenario)


def test_a_dataframe_has_a_row_per_element():
    """to_dataframe(): the records as a pandas frame, columns in their order."""
    pytest.importorskip("pandas")
    from cio_framework.interop.tables import records, to_dataframe

    scenario = cio_framework.builtin("pudong-2016")
    frame = to_dataframe(scenario, "systems")
    assert list(frame.columns) == list(records(scenario, "systems")[0])
    assert list(frame["id"]) == [s.id for s in scenario.systems]


def test_links_fifos_and_oversized_tables_are_refused_not_skipped(tmp_path, monkeypatch):
    """A link, a FIFO or a too-large file named like a table is reported, never read nor skipped silently."""
    import os

    from cio_framework.interop import tables

    folder = write_folder(tmp_path / "t", {"departments.csv": b"id,name\nepb,EPB\n"})
    (folder / "systems.csv").symlink_to(folder / "departments.csv")
    os.mkfifo(folder / "exchanges.csv")
    (folder / "platforms.csv").write_bytes(b"id,name\n" + b"p,P\n" * 100)
    monkeypatch.setattr(tables, "MAX_TABLE_BYTES", 200)
    found = read_tables(folder)
    refused = {p.file.removeprefix(f"{folder}/"): p.message for p in found.problems}
    assert refused["systems.csv"] == "not read: it is a link"
    assert refused["exchanges.csv"] == "not read: it is not a regular file"
    assert refused["platforms.csv"].startswith("not read: it is larger than")
    assert [d["id"] for d in found.data["departments"]] == ["epb"]


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    """A workbook is a zip: what it unpacks to counts against the limit."""
    pytest.importorskip("openpyxl")
    from cio_framework.interop import tables

    path = tmp_path / "book.xlsx"
    path.write_bytes(write_tables(cio_framework.builtin("pudong-2016"), "xlsx")["scenario.xlsx"])
    monkeypatch.setattr(tables, "MAX_TABLE_BYTES", path.stat().st_size + 1)
    (problem,) = read_tables(path).problems
    assert problem.message.startswith("not read: it unpacks to more than")


def _plans():
    from cio_framework.config._plan import plan_of
    from cio_framework.model import COLLECTIONS

    found = {None}
    for cls in COLLECTIONS.values():
        found.update(plan for plan in plan_of(cls) if plan.name != "extensions")
    return sorted(found, key=lambda plan: "" if plan is None else repr(plan))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_plans()),
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["'", "'=1", "''", "true", "3", "2.5", "[1]", '"a;b"; c', "x;y"]),
        st.integers(-5, 5),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.dates(),
    ),
)
def test_the_column_reader_reads_each_cell_as_cell_value_does(plan, cell):
    """The reader decided once per column is cell_value, cell by cell: the
    same value, or the same refusal."""
    from cio_framework.interop.tables import cell_reader, cell_value

    def outcome(read):
        try:
            return ("value", read(cell))
        except ValueError as exc:
            return ("refused", str(exc))

    assert outcome(cell_reader(plan)) == outcome(lambda c: cell_value(c, plan))


def test_the_scenario_of_tables_that_break_a_rule_is_refused_not_salvaged(tmp_path):
    """Imported.scenario() is the strict build: a system of an unknown
    department makes it raise, though the import already built the
    salvaged scenario (which salvage() gives, without that system)."""
    files = {
        "departments.csv": b"id,name\nepb,EPB\n",
        "systems.csv": b"id,name,department\nmon,Monitoring,epb\nreg,Registry,nowhere\n",
    }
    found = read_tables(write_folder(tmp_path / "t", files))
    with pytest.raises(cio_framework.ConfigError):
        found.scenario()
    salvaged = found.salvage()
    assert [s.id for s in salvaged.scenario.systems] == ["mon"]
    assert [d.path for d in salvaged.dropped] == ["$.systems[1]"]


def test_the_scenario_of_clean_tables_is_the_strict_build(tmp_path):
    scenario = cio_framework.builtin("pudong-2016")
    found = tables_round_trip(scenario, tmp_path)
    assert found.scenario() == cio_framework.structure(found.data) == scenario


# -- what tables must never lose silently ------------------------------------------

SCENARIO_CSV = b"key,value\ncio_framework,2\nname,T\n"


def errors_of(found):
    return [p for p in found.problems if p.severity is Severity.ERROR]


def test_a_repeated_column_is_an_error_at_its_header_cell(tmp_path):
    """id,name,name: an error at the second name's header cell, naming the
    column; the first column's cells are read."""
    folder = write_folder(
        tmp_path / "t", {"scenario.csv": SCENARIO_CSV, "departments.csv": b"id,name,name\na,A,B\n"}
    )
    found = read_tables(folder)
    (problem,) = found.problems
    assert (problem.file, problem.line, problem.column) == (str(folder / "departments.csv"), 1, 3)
    assert "'name'" in problem.message
    assert problem.severity is Severity.ERROR
    assert problem.hint
    assert found.data["departments"] == [{"id": "a", "name": "A"}]


def test_a_repeated_column_in_a_workbook_is_located_at_its_header_cell(tmp_path):
    """A sheet with id,name,name: an error at book.xlsx:departments!C1."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "departments"
    book.active.append(["id", "name", "name"])
    book.active.append(["a", "A", "B"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    (problem,) = read_tables(path).problems
    assert problem.file == f"{path}:departments!C1"
    assert "'name'" in problem.message
    assert problem.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("table", "column"),
    [
        (b"id,name\na,A,EXTRA\nb,B\n", 3),
        (b"id,name\na,A,,EXTRA\nb,B\n", 4),
        (b"id,name,\na,A,EXTRA\nb,B,\n", 3),  # a column without a header
    ],
)
def test_a_cell_outside_the_header_is_an_error_and_its_row_is_left_out(tmp_path, table, column):
    """A row with more cells than the header: an error at its first extra
    cell that holds something; that row is left out, the others are read."""
    folder = write_folder(tmp_path / "t", {"scenario.csv": SCENARIO_CSV, "departments.csv": table})
    found = read_tables(folder)
    (problem,) = found.problems
    assert (problem.file, problem.line, problem.column) == (
        str(folder / "departments.csv"),
        2,
        column,
    )
    assert problem.severity is Severity.ERROR
    assert problem.hint
    assert found.data["departments"] == [{"id": "b", "name": "B"}]


def test_empty_cells_beyond_the_header_are_no_problem(tmp_path):
    """A trailing separator holds nothing: nothing is lost, nothing reported."""
    folder = write_folder(tmp_path / "t", {"departments.csv": b"id,name\na,A,\nb,B, ,\n"})
    found = read_tables(folder)
    assert found.problems == ()
    assert [d["id"] for d in found.data["departments"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("1_0", "'_'"),
        ("\u0661\u0662", "0 to 9"),
        ('"1,5"', "'.'"),  # quoted: one cell
        ("0x1F", "JSON"),
        ("+5", "JSON"),
        ("ten", "JSON"),
    ],
)
def test_a_number_is_read_only_as_json_writes_numbers(tmp_path, cell, hint):
    """A weight of 1_0, Arabic-Indic digits, 1,5 or 0x1F is a located error
    with a hint, never a number Python's float() would make of it."""
    folder = write_folder(
        tmp_path / "t", {"criteria.csv": f"id,name,weight\nw,W,{cell}\nv,V,2\n".encode()}
    )
    found = read_tables(folder)
    (problem,) = found.problems
    assert (problem.line, problem.column, problem.code) == (2, 3, "bad-value")
    assert hint in problem.hint
    assert found.data["criteria"] == [{"id": "v", "name": "V", "weight": 2}]


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-Infinity", ".inf", "1e999"])
def test_a_number_that_is_not_finite_is_the_loaders_error(tmp_path, cell):
    """NaN and infinities in a number cell are refused as in a scenario file:
    'must be a finite number', at the cell, with a hint."""
    folder = write_folder(
        tmp_path / "t", {"criteria.csv": f"id,name,weight\nw,W,{cell}\n".encode()}
    )
    (problem,) = read_tables(folder).problems
    assert (problem.line, problem.column) == (2, 3)
    assert "must be a finite number" in problem.message
    assert problem.hint


@pytest.mark.parametrize(("cell", "value"), [("2", 2), (" 2.5 ", 2.5), ("1e1", 10.0), ("-0", 0)])
def test_json_numbers_are_read(tmp_path, cell, value):
    """What a JSON scenario file takes as a number, a cell takes too."""
    folder = write_folder(
        tmp_path / "t", {"criteria.csv": f"id,name,weight\nw,W,{cell}\n".encode()}
    )
    found = read_tables(folder)
    assert found.problems == ()
    assert found.scenario().criteria[0].weight == value


def _book_with_weights(tmp_path, weights):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "criteria"
    sheet.append(["id", "name", "weight"])
    for number, weight in enumerate(weights, start=1):
        sheet.append([f"w{number}", f"W{number}", weight])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def _rewrite_sheet(path, old, new):
    """The workbook with ``old`` replaced by ``new`` in its sheets' XML (a
    cell as another writer than openpyxl writes it)."""
    import zipfile

    changed = path.with_name("changed.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
    return changed


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), float("-inf")])
def test_a_nan_or_infinite_number_cell_in_a_workbook_is_an_error(tmp_path, weight):
    """openpyxl writes a NaN or an infinity as a number cell with an empty
    value: an error at that cell, never the default weight."""
    path = _book_with_weights(tmp_path, [weight, 2])
    found = read_tables(path)
    (problem,) = found.problems
    assert problem.file == f"{path}:criteria!C2"
    assert "finite" in problem.message
    assert problem.severity is Severity.ERROR
    assert [c["id"] for c in found.data["criteria"]] == ["w2"]


@pytest.mark.parametrize("written", ["NaN", "INF", "1E+999"])
def test_a_workbook_number_cell_holding_nan_or_inf_is_the_csv_error(tmp_path, written):
    """A number cell holding NaN or INF (as other writers write them) gives
    the error the same text gives in a CSV file, at its cell; never a traceback."""
    path = _book_with_weights(tmp_path, [7, 2])
    path = _rewrite_sheet(
        path, '<c r="C2" t="n"><v>7</v></c>', f'<c r="C2" t="n"><v>{written}</v></c>'
    )
    (problem,) = read_tables(path).problems
    assert problem.file == f"{path}:criteria!C2"
    assert "must be a finite number" in problem.message
    assert problem.hint


def test_a_spreadsheet_error_cell_is_named_and_its_row_left_out(tmp_path):
    """A #DIV/0! cell: an error naming the spreadsheet error, at its cell."""
    path = _book_with_weights(tmp_path, ["#DIV/0!", 2])
    found = read_tables(path)
    (problem,) = found.problems
    assert problem.file == f"{path}:criteria!C2"
    assert "#DIV/0!" in problem.message
    assert "spreadsheet error" in problem.message
    assert "float" not in problem.message
    assert [c["id"] for c in found.data["criteria"]] == ["w2"]


def test_a_formula_cell_leaves_its_row_out(tmp_path):
    """A formula is not evaluated: its row is left out, not read without the cell."""
    path = _book_with_weights(tmp_path, ["=1+1", 2])
    found = read_tables(path)
    (problem,) = found.problems
    assert problem.file == f"{path}:criteria!C2"
    assert [c["id"] for c in found.data["criteria"]] == ["w2"]


def test_numbers_and_booleans_where_text_is_expected_are_never_silently_text(tmp_path):
    """A TRUE or 1 id is read as 'true' or '1' with a warning at its cell
    saying so; a number whose digits the workbook lost is an error."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "departments"
    sheet.append(["id", "name"])
    sheet.append([True, "A"])
    sheet.append([1, "B"])
    sheet.append(["c", 12345678901234567890.0])
    path = tmp_path / "book.xlsx"
    book.save(path)
    found = read_tables(path)
    by_cell = {p.file: p for p in found.problems}
    assert set(by_cell) == {f"{path}:departments!{c}" for c in ("A2", "A3", "B4")}
    assert by_cell[f"{path}:departments!A2"].severity is Severity.WARNING
    assert "'true'" in by_cell[f"{path}:departments!A2"].message
    assert "'1'" in by_cell[f"{path}:departments!A3"].message
    assert by_cell[f"{path}:departments!B4"].severity is Severity.ERROR
    assert found.data["departments"] == [{"id": "true", "name": "A"}, {"id": "1", "name": "B"}]


def test_a_duplicate_id_names_the_cell_of_its_first_use(tmp_path):
    """The first use of a duplicate id is its table cell, in the path form
    of the problem's own place, never the loader's <string> text."""
    folder = write_folder(
        tmp_path / "td", {"scenario.csv": SCENARIO_CSV, "departments.csv": b"id,name\na,A\na,B\n"}
    )
    (problem,) = read_tables(folder).problems
    shown = str(folder / "departments.csv")
    assert (problem.file, problem.line, problem.column) == (shown, 3, 1)
    assert f"already used by the department at {shown}:2:1;" in problem.message


def test_a_duplicate_id_across_sheets_names_its_first_cell(tmp_path):
    """A workbook's duplicate id names the sheet and cell of its first use."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "departments"
    book.active.append(["name", "id"])
    book.active.append(["A", "x"])
    platforms = book.create_sheet("platforms")
    platforms.append(["id", "name"])
    platforms.append(["x", "P"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    (problem,) = read_tables(path).problems
    assert problem.file == f"{path}:platforms!A2"
    assert f"at {path}:departments!B2;" in problem.message


@pytest.mark.parametrize("given", ["td", "td/", "./td"])
def test_problems_name_the_folder_as_given(tmp_path, monkeypatch, given):
    """A problem's file is the table's path in the folder given (td/departments.csv),
    as the loader shows the files of a folder."""
    write_folder(tmp_path / "td", {"departments.csv": b"id,name\na,\n"})
    monkeypatch.chdir(tmp_path)
    (problem,) = read_tables(given).problems
    assert problem.file == "td/departments.csv"


def test_a_table_named_close_to_a_collection_gets_a_did_you_mean(tmp_path):
    """departmnets.csv is not read, and the warning asks: did you mean 'departments'?"""
    folder = write_folder(tmp_path / "t", {"departmnets.csv": b"id,name\na,A\n"})
    (problem,) = read_tables(folder).problems
    assert problem.hint == "did you mean 'departments'?"


def test_the_scenario_table_loses_no_row_silently(tmp_path):
    """A key given twice, and a row with a third cell, are located errors."""
    folder = write_folder(
        tmp_path / "t",
        {"scenario.csv": b"key,value\nname,T\nname,U\ndescription,D,more\n"},
    )
    found = read_tables(folder)
    located = {(p.line, p.column) for p in errors_of(found)}
    assert located == {(3, 1), (4, 3)}
    assert found.data["name"] == "T"
    assert "description" not in found.data


@settings(max_examples=15, deadline=None)
@given(scenarios(max_elements=3))
def test_the_two_workbook_readers_agree(tmp_path_factory, scenario):
    """openpyxl's sheet parser (what reading uses) and its public cells (what
    reading falls back to without it) give the same cells of a workbook
    written from any scenario."""
    openpyxl = pytest.importorskip("openpyxl")
    from cio_framework.interop.tables import _public_rows, _sheet_rows, _sheet_value

    def read(rows, name):
        """Each row's number and the values read from its cells, trailing blanks cut."""
        found = []
        for number, cells in rows:
            values = [_sheet_value(cell, "book.xlsx", name, []) for cell in cells]
            while values and values[-1] == "":
                values.pop()
            if values:
                found.append((number, values))
        return found

    book = tmp_path_factory.mktemp("agree") / "book.xlsx"
    book.write_bytes(write_tables(scenario, "xlsx")["scenario.xlsx"])
    workbook = openpyxl.load_workbook(book, read_only=True)
    try:
        for name in workbook.sheetnames:
            careful = read(_sheet_rows(workbook, workbook[name]), name)
            assert careful, name
            assert read(_public_rows(workbook[name]), name) == careful, name
    finally:
        workbook.close()


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_a_workbook_reads_the_same_without_openpyxls_sheet_parser(tmp_path, monkeypatch, name):
    """The sheet parser is private to openpyxl: without it (a later openpyxl),
    reading falls back to the public cells and reads the same scenario."""
    pytest.importorskip("openpyxl")
    import openpyxl.worksheet._reader as reader

    scenario = cio_framework.builtin(name)
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    expected = tables_round_trip(scenario, tmp_path / "with", "xlsx")
    monkeypatch.delattr(reader, "WorkSheetParser")
    found = tables_round_trip(scenario, tmp_path / "without", "xlsx")
    assert found.problems == expected.problems
    assert found.scenario() == expected.scenario() == strings_only(scenario)


def test_date_cells_are_never_silently_text_or_cut(tmp_path):
    """A workbook's date cell where text is expected is read as its ISO text
    with a warning at the cell; a date-and-time cell in a date field is read
    as its date with a warning that its time is left out; a date at
    midnight in a date field, and any date in an ``x-`` column, as they are."""
    import datetime

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "departments"
    sheet.append(["id", "name", "x-founded"])
    sheet.append(["a", datetime.datetime(2016, 5, 16), datetime.datetime(2016, 5, 16, 9, 30)])
    sources = book.create_sheet("sources")
    sources.append(["id", "title", "date"])
    sources.append(["s1", "Article", datetime.datetime(2016, 8, 24)])
    sources.append(["s2", "Speech", datetime.datetime(2016, 8, 24, 14, 5)])
    path = tmp_path / "book.xlsx"
    book.save(path)
    found = read_tables(path)
    by_cell = {p.file: p for p in found.problems}
    assert set(by_cell) == {f"{path}:departments!B2", f"{path}:sources!C3"}
    assert all(p.severity is Severity.WARNING for p in found.problems)
    assert "read as the text '2016-05-16'" in by_cell[f"{path}:departments!B2"].message
    assert "'2016-08-24T14:05:00'" in by_cell[f"{path}:sources!C3"].message
    assert "without its time of day" in by_cell[f"{path}:sources!C3"].message
    assert found.data["departments"] == [
        {"id": "a", "name": "2016-05-16", "x-founded": "2016-05-16T09:30:00"}
    ]
    assert [s["date"] for s in found.data["sources"]] == ["2016-08-24", "2016-08-24"]
