"""import and export of other formats on the command line."""

from __future__ import annotations

import json

import pytest

import cio_framework
from cio_framework.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("export", "kind", "out"),
    [
        ("csv", "tables", "tables"),
        ("xlsx", "tables", "book.xlsx"),
        ("backstage", "backstage", "catalog"),
        ("archimate", "archimate", "model.xml"),
    ],
)
def test_export_then_import_gives_the_landscape_back(tmp_path, capsys, export, kind, out):
    """Each format written by export is read back by import: systems, platforms
    and exchanges of the built-in Pudong scenario survive (tables: everything)."""
    if export == "xlsx":
        pytest.importorskip("openpyxl")
    target = tmp_path / out
    code, _, err = run(capsys, "export", "pudong-2016", "--format", export, "-o", str(target))
    assert code == 0, err
    back = tmp_path / "back.json"
    code, _, err = run(capsys, "import", kind, str(target), "-o", str(back))
    assert code == 0, err
    assert "imported (" in err
    text = back.read_text(encoding="utf-8")
    assert text.startswith("{")  # -o *.json writes JSON
    original = cio_framework.builtin("pudong-2016")
    found = cio_framework.loads(text)
    if kind == "tables":
        assert found == original
    assert {s.id for s in found.systems} == {s.id for s in original.systems}
    assert {(e.from_, e.to) for e in found.exchanges} == {
        (e.from_, e.to) for e in original.exchanges
    }


def test_an_import_with_an_error_writes_nothing_and_locates_it(tmp_path, capsys):
    """A bad cell: exit 1, the cell on standard error, no output file."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\nepb,Environment\n", encoding="utf-8")
    (folder / "systems.csv").write_text(
        "id,name,department,users\nmon,Monitoring,epb,lots\n", encoding="utf-8"
    )
    target = tmp_path / "out.yaml"
    code, out, err = run(capsys, "import", "tables", str(folder), "-o", str(target))
    assert code == 1
    assert out == ""
    assert "systems.csv:2:4: error: users:" in err
    assert "not imported (1 error" in err
    assert not target.exists()


def test_import_writes_yaml_to_standard_output_and_takes_a_name(tmp_path, capsys):
    """Without -o the scenario is YAML on standard output, named by --name."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\nepb,Environment\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", "tables", str(folder), "--name", "Mine")
    assert code == 0
    assert out.startswith("cio_framework: 2\nname: Mine\n")
    code, out, _ = run(capsys, "import", "tables", str(folder), "--format", "json")
    assert json.loads(out)["name"] == "t"


@pytest.mark.parametrize("format", ["csv", "xlsx", "backstage"])
def test_folder_and_workbook_exports_need_o(capsys, format):
    """csv, xlsx and backstage without -o are usage errors (exit code 2)."""
    code, out, err = run(capsys, "export", "pudong-2016", "--format", format)
    assert code == 2
    assert out == ""
    assert "give -o" in err


def test_a_folder_export_never_replaces_anything(tmp_path, capsys):
    """An existing -o folder is refused, and left as it was."""
    existing = tmp_path / "there"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "export", "pudong-2016", "--format", "csv", "-o", str(existing))
    assert code == 2
    assert "exists" in err
    assert [p.name for p in existing.iterdir()] == ["keep.txt"]


def test_import_refuses_to_write_into_its_input(tmp_path, capsys):
    """-o inside the folder being read is refused: an input is never written."""
    code, _, _ = run(capsys, "export", "pudong-2016", "--format", "csv", "-o", str(tmp_path / "t"))
    assert code == 0
    before = sorted(p.name for p in (tmp_path / "t").iterdir())
    code, _, err = run(
        capsys, "import", "tables", str(tmp_path / "t"), "-o", str(tmp_path / "t" / "x.yaml")
    )
    assert code == 2
    assert "will not write" in err
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == before


def test_only_backstage_reads_several_paths(tmp_path, capsys):
    """import tables A B is a usage error."""
    code, _, err = run(capsys, "import", "tables", str(tmp_path), str(tmp_path))
    assert code == 2
    assert "reads one PATH" in err


def test_lenient_import_writes_what_is_valid(tmp_path, capsys):
    """--lenient: the bad row and the rows naming it are left out, each
    located; the rest is written and the exit code is 0."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\nepb,Environment\nmsb,\n", encoding="utf-8")
    (folder / "systems.csv").write_text(
        "id,name,department\nmon,Monitoring,epb\nreg,Registry,msb\n", encoding="utf-8"
    )
    target = tmp_path / "out.yaml"
    code, _, err = run(capsys, "import", "tables", str(folder), "--lenient", "-o", str(target))
    assert code == 0, err
    assert "departments.csv:3:1: error:" in err  # msb has no name
    assert "systems.csv:3:3: error: unknown department 'msb'" in err
    assert "2 errors: what each is about is left out" in err
    scenario = cio_framework.load(target)
    assert [d.id for d in scenario.departments] == ["epb"]
    assert [s.id for s in scenario.systems] == ["mon"]


def test_a_backstage_import_never_writes_into_the_catalogue_folder(tmp_path, capsys):
    """Locations may read any file beside the one given: -o there is refused."""
    code, _, _ = run(
        capsys, "export", "pudong-2016", "--format", "backstage", "-o", str(tmp_path / "c")
    )
    assert code == 0
    org = tmp_path / "c" / "org.yaml"
    before = org.read_bytes()
    code, _, err = run(
        capsys, "import", "backstage", str(tmp_path / "c" / "catalog-info.yaml"), "-o", str(org)
    )
    assert code == 2
    assert "will not write" in err
    assert org.read_bytes() == before


BACKSTAGE_UNKNOWN_KEY = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: epb, title: EPB}
spec: {type: department, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: mon
  title: Monitoring
  annotations:
    cio-framework.io/fields: '{hostd_on: a}'
spec: {type: service, lifecycle: production, owner: group:default/epb}
"""


def test_an_element_the_loader_refuses_stops_a_backstage_import(tmp_path, capsys):
    """A component whose fields annotation has an unknown key: a located error
    with a did-you-mean hint, exit 1, nothing written (it was left out
    silently, with exit 0)."""
    source = tmp_path / "bs.yaml"
    source.write_text(BACKSTAGE_UNKNOWN_KEY, encoding="utf-8")
    target = tmp_path / "out.yaml"
    code, out, err = run(capsys, "import", "backstage", str(source), "-o", str(target))
    assert code == 1
    assert out == ""
    assert (
        f"{source}:12:32: error: unknown key 'hostd_on' in system; system 'mon' is left out "
        "[unknown-key] (did you mean 'hosted_on'?)"
    ) in err
    assert "not imported (1 error; read 1 Component, 1 Group)" in err
    assert not target.exists()


def test_lenient_backstage_import_says_what_it_left_out(tmp_path, capsys):
    """--lenient: the component is left out, a located error says so, and the
    summary counts what was imported, not what was read."""
    source = tmp_path / "bs.yaml"
    source.write_text(BACKSTAGE_UNKNOWN_KEY, encoding="utf-8")
    code, out, err = run(capsys, "import", "backstage", str(source), "--lenient")
    assert code == 0, err
    assert f"{source}:12:32: error: unknown key 'hostd_on'" in err
    assert "system 'mon' is left out" in err
    assert err.endswith(
        f"{source}: imported 1 department, 0 systems (read 1 Component, 1 Group; "
        "0 warnings; 1 error: what each is about is left out)\n"
    )
    scenario = cio_framework.loads(out)
    assert [d.id for d in scenario.departments] == ["epb"]
    assert scenario.systems == ()


def test_lenient_tables_import_counts_what_it_imported(tmp_path, capsys):
    """--lenient on tables: the error at the cell says what is left out, and
    the summary counts the elements written, not the rows read."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\nepb,Environment\n", encoding="utf-8")
    (folder / "systems.csv").write_text(
        "id,name,department\nmon,Monitoring,nowhere\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "import", "tables", str(folder), "--lenient")
    assert code == 0, err
    assert "systems.csv:2:3: error: unknown department 'nowhere'; system 'mon' is left out" in err
    assert err.endswith(
        f"{folder}: imported 1 department, 0 systems (read 1 departments.csv, 1 systems.csv; "
        "0 warnings; 1 error: what each is about is left out)\n"
    )
    assert cio_framework.loads(out).systems == ()


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_import_archimate_too_deep_is_invalid_input(tmp_path, capsys, depth):
    """A file nested too deep is a located limit error and the invalid-input exit
    code, not an internal error."""
    path = tmp_path / "deep.xml"
    path.write_text(
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m">'
        + "<a>" * depth
        + "</a>" * depth
        + "</model>",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", "archimate", str(path))
    assert code == 1, err
    assert out == ""
    assert f"{path}:1:" in err
    assert "[limit]" in err
    assert "internal error" not in err


def test_an_import_names_tables_in_the_folder_as_given(tmp_path, capsys, monkeypatch):
    """import tables td: a duplicate id reads td/departments.csv:3:1 and
    names its first use as td/departments.csv:2:1, never <string>."""
    folder = tmp_path / "td"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\na,A\na,B\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "import", "tables", "td")
    assert code == 1
    assert out == ""
    assert "td/departments.csv:3:1: error: duplicate id 'a'" in err
    assert "already used by the department at td/departments.csv:2:1" in err
    assert "<string>" not in err


@pytest.mark.parametrize("name", cio_framework.BUILTIN_SCENARIOS)
@pytest.mark.parametrize("format", ["archimate", "backstage"])
def test_an_export_names_what_a_read_back_lacks(tmp_path, capsys, name, format):
    """The export's note names each collection the scenario read back from it
    lacks, with its count; every other collection reads back whole, and the
    read-back has no error (no reference to what was not written)."""
    from cio_framework.model import COLLECTIONS, DEFAULT_LEVELS

    out = tmp_path / ("out.xml" if format == "archimate" else "out")
    code, _, exported = run(capsys, "export", name, "--format", format, "-o", str(out))
    assert code == 0, exported
    source = out if format == "archimate" else out / "catalog-info.yaml"
    code, text, err = run(capsys, "import", format, str(source))
    assert code == 0, err
    before, after = cio_framework.builtin(name), cio_framework.loads(text)
    lacking = {}
    for collection in COLLECTIONS:
        had, has = getattr(before, collection), getattr(after, collection)
        if collection == "levels":  # every scenario has levels: the default ones at least
            if had != has and tuple(had) != tuple(DEFAULT_LEVELS):
                assert has == tuple(DEFAULT_LEVELS)
                lacking[collection] = len(had)
            continue
        if len(has) != len(had):
            assert has == (), collection  # a collection comes back whole, or not at all
            lacking[collection] = len(had)
    note = [line for line in exported.splitlines() if line.startswith("not written")]
    if not lacking:
        assert note == []
    else:
        from cio_framework.config._structure import SINGULAR

        shown = ", ".join(
            f"{count} {SINGULAR[c] if count == 1 else c}" for c, count in lacking.items()
        )
        assert note == [
            f"not written (the {format} format has no place for them): {shown}; "
            "a scenario read back from it lacks them"
        ]


@pytest.mark.parametrize("lenient", [(), ("--lenient",)])
def test_a_bad_scenario_field_is_located_at_its_cell_and_told_once(tmp_path, capsys, lenient):
    """A scenario field's bad value (a problem about no element) is an
    error at its value cell in ``scenario.csv``, printed once, with or
    without --lenient, and nothing is imported."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "departments.csv").write_text("id,name\nepb,Environment\n")
    (folder / "scenario.csv").write_text("key,value\nname,X\nas_of,someday\n")
    code, out, err = run(capsys, "import", "tables", str(folder), *lenient)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert [line for line in lines if "as_of" in line] == [
        f"{folder / 'scenario.csv'}:3:2: error: 'as_of' must be a date YYYY-MM-DD, "
        "not a string ('someday') [bad-value]"
    ]
    assert lines[-1].startswith(f"{folder}: not imported (1 error;")
