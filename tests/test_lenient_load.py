"""Lenient loading of files and folders: what is left out, where it is, and why."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError
from cio_framework.cli import main
from cio_framework.config import _load
from cio_framework.testing import landscapes, scenarios

# -- exact cases -----------------------------------------------------------------

DEPARTMENTS = """\
cio_framework: 2
name: City
departments:
  - {id: epb, name: EPB}
  - {id: bad}
platforms:
  - {id: hub, name: Hub}
"""

SYSTEMS = """\
cio_framework: 2
systems:
  - {id: reg, name: Registry, department: epb}
  - {id: mon, name: Monitoring, department: bad}
  - {id: ok, name: Kept, department: epb}
"""

EXCHANGES = """\
cio_framework: 2
exchanges:
  - {from: reg, to: hub}
  - {id: mon-hub, from: mon, to: hub}
"""


def _folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "city"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _where(gone):
    return (Path(gone.file).name, gone.line, gone.column, gone.collection, gone.id, gone.path)


def test_a_bad_system_in_a_second_file_is_located_in_that_file(tmp_path):
    """A system with a bad value in b.yaml of a folder: its problem and its
    entry are at b.yaml's line and column and at its position in b.yaml,
    not at its place in the merged list."""
    bad = "cio_framework: 2\nsystems:\n  - {id: reg, name: Registry, department: epb}\n"
    bad += "  - {id: odd, name: 5, department: epb}\n"
    first = "systems:\n  - {id: first, name: First, department: epb}\n"
    folder = _folder(
        tmp_path, {"a.yaml": DEPARTMENTS.replace("  - {id: bad}\n", "") + first, "b.yaml": bad}
    )
    found = cio_framework.load_lenient(folder)
    (problem,) = found.problems
    assert (Path(problem.file).name, problem.line, problem.column, problem.path) == (
        "b.yaml",
        4,
        21,
        "$.systems[1].name",
    )
    assert problem.code == "wrong-type"
    assert [_where(gone) for gone in found.dropped] == [
        ("b.yaml", 4, 5, "systems", "odd", "$.systems[1]")
    ]
    assert found.dropped[0].problems == (problem,)
    assert found.dropped[0].depends_on == ()
    assert [s.id for s in found.scenario.systems] == ["first", "reg"]


def test_a_department_left_out_takes_its_systems_and_their_exchanges(tmp_path):
    """A department without a name in a.yaml: it, its system in b.yaml and
    that system's exchange in c.yaml are left out, each located in its own
    file and each saying what it depends on; the rest is kept."""
    folder = _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": SYSTEMS, "c.yaml": EXCHANGES})
    found = cio_framework.load_lenient(folder)
    assert [(*_where(gone), gone.depends_on) for gone in found.dropped] == [
        ("a.yaml", 5, 5, "departments", "bad", "$.departments[1]", ()),
        ("b.yaml", 4, 5, "systems", "mon", "$.systems[1]", (("departments", "bad"),)),
        ("c.yaml", 4, 5, "exchanges", "mon-hub", "$.exchanges[1]", (("systems", "mon"),)),
    ]
    assert [(Path(p.file).name, p.line, p.column, p.path, p.code) for p in found.problems] == [
        ("a.yaml", 5, 5, "$.departments[1]", "missing-field"),
        ("b.yaml", 4, 45, "$.systems[1].department", "dangling-reference"),
        ("c.yaml", 4, 25, "$.exchanges[1].from", "dangling-reference"),
    ]
    assert [d.id for d in found.scenario.departments] == ["epb"]
    assert [s.id for s in found.scenario.systems] == ["reg", "ok"]
    assert [e.from_ for e in found.scenario.exchanges] == ["reg"]


def test_one_file_gives_the_same_chain_with_its_lines(tmp_path):
    """The same chain in one file: every element at its own line of it."""
    text = DEPARTMENTS + SYSTEMS.split("\n", 1)[1] + EXCHANGES.split("\n", 1)[1]
    found = cio_framework.loads_lenient(text, name="city.yaml")
    assert [str(gone) for gone in found.dropped] == [
        "city.yaml:5:5: left out: department 'bad': department is missing the required key "
        "'name' [missing-field]",
        "city.yaml:10:5: left out: system 'mon': depends on department 'bad'",
        "city.yaml:14:5: left out: exchange 'mon-hub': depends on system 'mon'",
    ]


def test_an_element_kept_after_one_left_out_is_located_at_its_own_line(tmp_path):
    """The document locates the elements kept in the files, past those left out."""
    folder = _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": SYSTEMS})
    found = cio_framework.load_lenient(folder)
    assert found.document is not None
    file, line, column, path = found.document.locate("systems", 1)  # 'ok', after 'mon'
    assert (Path(file).name, line, column, path) == ("b.yaml", 5, 5, "$.systems[2]")


def test_a_raci_key_naming_a_role_left_out_is_a_dependence():
    """A responsibility whose RACI map names a role left out depends on that
    role, which depends on its department."""
    found = cio_framework.loads_lenient(
        "cio_framework: 2\nname: X\ndepartments:\n  - {id: bad}\n"
        "roles:\n  - {id: r, title: T, level: support, department: bad}\n"
        "responsibilities:\n  - {id: cat, name: Catalogue, raci: {r: A}}\n",
        name="x.yaml",
    )
    assert [(g.line, g.id, g.depends_on) for g in found.dropped] == [
        (4, "bad", ()),
        (6, "r", (("departments", "bad"),)),
        (8, "cat", (("roles", "r"),)),
    ]


def test_a_field_name_is_no_dependence():
    """A matter whose approver is left out depends on that department only,
    not on an element left out earlier whose id is the field's name
    (``approved_by``), nor on one whose id is a RACI letter."""
    found = cio_framework.loads_lenient(
        "cio_framework: 2\nname: X\ndepartments:\n  - {id: d7, name: D7, pilot: maybe}\n"
        "  - {id: d8, name: D8}\nsystems:\n  - {name: S4, department: d8}\n"
        "  - {id: s5, name: S5, department: d8}\n"
        "exchanges:\n  - {id: approved_by, from: s4, to: s5}\n  - {id: A, from: s4, to: s5}\n"
        "matters:\n  - {id: m0, name: M0, approved_by: d7, supervised_by: d8}\n"
        "roles:\n  - {id: r, title: T, level: support, department: d7}\n"
        "responsibilities:\n  - {id: cat, name: Catalogue, raci: {r: A}}\n",
        name="x.yaml",
    )
    depends = {g.id: g.depends_on for g in found.dropped}
    assert depends["approved_by"] == ()  # its source has no id: it dangles from the start
    assert depends["m0"] == (("departments", "d7"),)
    assert depends["cat"] == (("roles", "r"),)


def test_an_element_without_an_id_is_named_by_its_path():
    """A demand has no id: it is shown by its collection and path."""
    found = cio_framework.loads_lenient(
        "cio_framework: 2\nname: X\ndepartments:\n  - {id: d, name: D}\n"
        "demands:\n  - {by: d, resource: nothing}\n",
        name="x.yaml",
    )
    (gone,) = found.dropped
    assert (gone.collection, gone.id, gone.element) == ("demands", None, "demand $.demands[0]")


def test_a_duplicate_id_leaves_out_the_second_element():
    """Of two elements with one id, the second is left out, its problem
    pointing at the first."""
    found = cio_framework.loads_lenient(
        "cio_framework: 2\nname: X\ndepartments:\n  - {id: d, name: D}\n  - {id: d, name: E}\n",
        name="x.yaml",
    )
    (gone,) = found.dropped
    assert (gone.line, gone.path, gone.problems[0].code) == (5, "$.departments[1]", "duplicate-id")
    assert "x.yaml:4:" in gone.problems[0].message
    assert [d.name for d in found.scenario.departments] == ["D"]


def test_an_element_with_a_duplicate_key_is_left_out():
    """A problem parsing finds in an element (a key written twice) leaves it out."""
    found = cio_framework.loads_lenient(
        "cio_framework: 2\nname: X\ndepartments:\n  - {id: d, name: D}\n"
        "  - {id: e, name: E, name: F}\n",
        name="x.yaml",
    )
    (gone,) = found.dropped
    assert (gone.id, gone.line, gone.problems[0].code) == ("e", 5, "duplicate-key")
    assert [d.id for d in found.scenario.departments] == ["d"]


def test_a_problem_about_no_element_is_raised_with_every_problem(tmp_path):
    """An unknown top-level key cannot be resolved by leaving elements out:
    the error lists it and the element's problem, each located."""
    folder = _folder(tmp_path, {"a.yaml": DEPARTMENTS + "colour: red\n", "b.yaml": SYSTEMS})
    with pytest.raises(ConfigError) as caught:
        cio_framework.load_lenient(folder)
    assert {(Path(p.file).name, p.line, p.path) for p in caught.value.problems} == {
        ("a.yaml", 5, "$.departments[1]"),
        ("a.yaml", 8, "$.colour"),
    }


def test_a_syntax_error_in_one_file_is_raised(tmp_path):
    """A file that is not YAML is about no element: raised, with the others' problems."""
    folder = _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": "cio_framework: 2\nsystems: [\n"})
    with pytest.raises(ConfigError) as caught:
        cio_framework.load_lenient(folder)
    assert {p.code for p in caught.value.problems} == {"syntax", "missing-field"}


def test_bytes_are_read_and_named():
    """loads_lenient reads bytes as UTF-8 and reports under the name given."""
    found = cio_framework.loads_lenient(DEPARTMENTS.encode(), name="d.yaml")
    assert [(g.file, g.line) for g in found.dropped] == [("d.yaml", 5)]


def test_a_base_file_is_located_past_what_extends_removes(tmp_path):
    """In a base, an element after one the extending file removes is located
    at its own line, by the strict loader and the lenient one alike."""
    (tmp_path / "base.yaml").write_text(
        "cio_framework: 2\nname: Base\ndepartments:\n"
        "  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: c, name: 5}\n"
    )
    (tmp_path / "top.yaml").write_text(
        "cio_framework: 2\nextends: base.yaml\nname: Top\nremove: [a]\n"
    )
    with pytest.raises(ConfigError) as caught:
        cio_framework.load(tmp_path / "top.yaml")
    assert [(p.line, p.path) for p in caught.value.problems] == [(6, "$.departments[2].name")]
    found = cio_framework.load_lenient(tmp_path / "top.yaml")
    assert [(Path(g.file).name, g.line, g.path) for g in found.dropped] == [
        ("base.yaml", 6, "$.departments[2]")
    ]
    assert [d.id for d in found.scenario.departments] == ["b"]


def test_data_is_left_out_by_path_without_lines():
    """structure_lenient locates by path in the data: no line, no column."""
    data = yaml.safe_load(DEPARTMENTS)
    found = cio_framework.structure_lenient(data, name="inventory")
    (gone,) = found.dropped
    assert (gone.file, gone.line, gone.column, gone.path) == (
        "inventory",
        None,
        None,
        "$.departments[1]",
    )
    assert gone.problems[0].line is None
    assert found.document is None


def test_the_files_are_parsed_once_whatever_the_rounds(tmp_path, monkeypatch):
    """A chain three long takes three rounds, yet each file is parsed once."""
    parsed = []
    real = _load.parse_text

    def counting(text, limits):
        parsed.append(text)
        return real(text, limits)

    monkeypatch.setattr(_load, "parse_text", counting)
    folder = _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": SYSTEMS, "c.yaml": EXCHANGES})
    found = cio_framework.load_lenient(folder)
    assert len(found.dropped) == 3
    assert len(parsed) == 3


# -- the command line --------------------------------------------------------------


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_lenient_shows_what_would_be_left_out(tmp_path, capsys, monkeypatch):
    """validate --lenient: the problems, each element left out with its place
    and why, a summary on stderr, and exit code 1."""
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": SYSTEMS, "c.yaml": EXCHANGES})
    code, out, err = _run(["validate", "--lenient", "city"], capsys)
    assert code == 1
    assert out.splitlines()[3:] == [
        "city/a.yaml:5:5: left out: department 'bad': department is missing the required key "
        "'name' [missing-field]",
        "city/b.yaml:4:5: left out: system 'mon': depends on department 'bad'",
        "city/c.yaml:4:5: left out: exchange 'mon-hub': depends on system 'mon'",
    ]
    assert out.splitlines()[0].startswith("city/a.yaml:5:5: error: ")
    assert err == "city: 3 elements would be left out (3 problems)\n"


def test_validate_lenient_json_marks_what_is_left_out(tmp_path, capsys, monkeypatch):
    """--format json: problem records say dropped false, element records true."""
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, {"a.yaml": DEPARTMENTS, "b.yaml": SYSTEMS})
    code, out, err = _run(["validate", "--lenient", "--format", "json", "city"], capsys)
    document = json.loads(out)
    assert (document["kind"], document["version"]) == ("validation", 1)
    records = document["problems"]
    assert code == 1
    assert err == ""
    assert [(r["dropped"], r["code"], r["file"], r["line"], r["column"]) for r in records] == [
        (False, "missing-field", "city/a.yaml", 5, 5),
        (False, "dangling-reference", "city/b.yaml", 4, 45),
        (True, "left-out", "city/a.yaml", 5, 5),
        (True, "left-out", "city/b.yaml", 4, 5),
    ]
    assert records[3]["depends_on"] == [{"collection": "departments", "id": "bad"}]
    assert (records[3]["collection"], records[3]["id"]) == ("systems", "mon")


def test_validate_lenient_of_a_valid_scenario_validates_it(capsys):
    """Nothing to leave out: --lenient validates as without it."""
    plain = _run(["validate", "pudong-2016"], capsys)
    lenient = _run(["validate", "--lenient", "pudong-2016"], capsys)
    assert lenient == plain
    assert plain[0] == 0


# -- properties -------------------------------------------------------------------

#: The landscape collections, in the order the files list them.
LANDSCAPE = (
    "departments",
    "platforms",
    "systems",
    "resources",
    "exchanges",
    "demands",
    "matters",
    "scenarios",
)


#: The characters a YAML double-quoted scalar may hold as they are (printable,
#: no line break); any other is written as an escape.
_AS_IS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif _AS_IS.fullmatch(ch):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def _flow(value) -> str:
    """A value as YAML on one line (flow style, strings double-quoted)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quoted(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, float):  # YAML 1.1 floats have a point: 5e-324 is 5.0e-324
        text = repr(value)
        return text if "." in text else text.replace("e", ".0e")
    return json.dumps(value)  # integers, true, false, null


def _write(folder: Path, data: dict, owners: dict) -> dict:
    """Write ``data`` as files part0.yaml ..., element ``(collection, i)`` in
    file ``owners[(collection, i)]``, one element a line; return each
    element's (file, line, position in its file)."""
    lines: dict[int, list[str]] = {}
    places = {}
    for key in LANDSCAPE:
        for i, item in enumerate(data.get(key, [])):
            n = owners[(key, i)]
            text = lines.setdefault(n, ["cio_framework: 2"] + (["name: City"] if n == 0 else []))
            if f"{key}:" not in text:
                text.append(f"{key}:")
            position = sum(1 for (k, j), m in places.items() if k == key and m[0] == n)
            text.append(f"  - {_flow(item)}")
            places[(key, i)] = (n, len(text), position)
    lines.setdefault(0, ["cio_framework: 2", "name: City"])
    for n, text in lines.items():
        (folder / f"part{n}.yaml").write_text("\n".join(text) + "\n", encoding="utf-8")
    return {
        element: (str(folder / f"part{n}.yaml"), line, position)
        for element, (n, line, position) in places.items()
    }


@st.composite
def _spread(draw, files=3):
    """A landscape as data, without its priority settings (a hub is no
    element), and the file each element goes to."""
    data = cio_framework.unstructure(draw(landscapes(max_systems=5)))
    data.pop("priorities", None)
    owners = {
        (key, i): draw(st.integers(0, files - 1))
        for key in LANDSCAPE
        for i in range(len(data.get(key, [])))
    }
    return data, owners


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_a_valid_scenario_loads_leniently_as_strictly(scenario):
    """Lenient loading of a valid scenario is strict loading, with no problems."""
    text = cio_framework.dumps(scenario)
    found = cio_framework.loads_lenient(text, name="s.yaml")
    assert found.scenario == cio_framework.loads(text, name="s.yaml")
    assert found.problems == ()
    assert found.dropped == ()


@settings(max_examples=30, deadline=None)
@given(_spread())
def test_a_valid_folder_loads_leniently_as_strictly(spread):
    """A valid landscape spread over files: lenient loading is strict
    loading, and locates each element where it was written."""
    data, owners = spread
    with tempfile.TemporaryDirectory() as root:
        places = _write(Path(root), data, owners)
        found = cio_framework.load_lenient(root)
        assert found.scenario == cio_framework.load(root)
        assert found.problems == ()
        assert found.dropped == ()
        assert found.document is not None
        for key in LANDSCAPE:  # merged: the files in order, each file's items in order
            written = sorted(place[:2] for (k, _), place in places.items() if k == key)
            located = [found.document.locate(key, j)[:2] for j in range(len(written))]
            assert located == written


#: How an element is broken: a field of the wrong type, an unknown key, no id,
#: a reference to nothing. Each is a problem of the element's own.
BREAKS = ("wrong-type", "unknown-key", "no-id", "dangling")
#: Collections whose elements must have an id.
WITH_ID = ("departments", "platforms", "systems", "resources", "matters", "scenarios")
#: A single reference field of each collection that has one.
ONE_REFERENCE = {
    "platforms": "operator",
    "systems": "department",
    "resources": "owner",
    "exchanges": "from",
    "demands": "by",
    "matters": "approved_by",
}
NOWHERE = "no-such-element-anywhere"


def _break(item: dict, key: str, how: str) -> dict:
    if how == "no-id" and key in WITH_ID:
        return {k: v for k, v in item.items() if k != "id"}
    if how == "dangling" and key in ONE_REFERENCE:
        return {**item, ONE_REFERENCE[key]: NOWHERE}
    if how == "unknown-key":
        return {**item, "colour": "red"}
    return {**item, "note": ["not", "a", "text"]}


def _names(key: str, item: dict) -> set[str]:
    """The ids an element names, from the format's definition of each
    collection's references (docs/configuration.rst)."""
    fields = {
        "departments": ["parent"],
        "platforms": ["operator"],
        "systems": ["department", "hosted_on"],
        "resources": ["owner", "held_in"],
        "exchanges": ["from", "to", "via", "resources"],
        "demands": ["by", "resource"],
        "matters": ["approved_by", "supervised_by", "registered_by", "supervision_data", "needs"],
    }
    if key == "scenarios":
        return set().union(*(_change_names(change) for change in item.get("changes", [])))
    found = set()
    for field in fields[key]:
        value = item.get(field)
        found |= set(value) if isinstance(value, list) else {value} if value else set()
    return found


def _change_names(change: dict) -> set[str]:
    ((kind, value),) = change.items()
    if kind in ("retire_system", "remove_exchange"):
        return {value}
    if kind == "move_system":
        return {value["system"], value["to"]}
    if kind == "set_share":
        return {value["resource"]}
    if kind == "add_exchange":
        return _names("exchanges", value)
    if kind == "merge_departments":
        return {value["into"], *value["departments"]}
    raise AssertionError(f"a change this reference does not know: {kind}")


def _reference(data: dict, broken: set, unread: set) -> dict:
    """Each element left out, by the definition, with its round: the broken
    ones, and those that name one whose id cannot be read (``unread``: their
    references dangle from the start), in round 1; then, round after round,
    those that name an element left out in the round before."""
    elements = [(key, i) for key in LANDSCAPE for i in range(len(data.get(key, [])))]
    item = {(key, i): data[key][i] for key, i in elements}
    ids = {e: item[e].get("id") for e in elements}
    lost = {ids[e] for e in unread}
    gone = dict.fromkeys(broken, 1)
    gone.update((e, 1) for e in elements if e not in gone and _names(e[0], item[e]) & lost)
    round = 1
    while True:
        named = {ids[e] for e, r in gone.items() if r == round and e not in unread and ids[e]}
        more = [e for e in elements if e not in gone and _names(e[0], item[e]) & named]
        if not more:
            return gone
        round += 1
        gone.update(dict.fromkeys(more, round))


@settings(max_examples=60, deadline=None)
@given(_spread(), st.data())
def test_what_is_left_out_is_what_the_definition_leaves_out(spread, draw):
    """Break some elements of a landscape spread over files: the elements
    left out are those the definition gives, each located at the line it was
    written on in its own file, named by its id, depending on the elements
    left out in rounds before its own; and nothing is lost: per collection,
    what is kept and what is left out make up what the files hold."""
    original, owners = spread
    elements = [(key, i) for key in LANDSCAPE for i in range(len(original.get(key, [])))]
    broken = set(draw.draw(st.lists(st.sampled_from(elements), max_size=3))) if elements else set()
    hows = {e: draw.draw(st.sampled_from(BREAKS)) for e in sorted(broken)}
    data = {
        key: list(value) if isinstance(value, list) else value for key, value in original.items()
    }
    for key, i in broken:
        data[key][i] = _break(data[key][i], key, hows[(key, i)])
    unread = {e for e in broken if "id" in original[e[0]][e[1]] and "id" not in data[e[0]][e[1]]}
    expected = _reference(original, broken, unread)
    with tempfile.TemporaryDirectory() as root:
        places = _write(Path(root), data, owners)
        found = cio_framework.load_lenient(root)
    at = {(file, element[0], position): element for element, (file, _, position) in places.items()}
    got = {}
    for gone in found.dropped:
        element = at[(gone.file, gone.collection, int(gone.path.split("[")[1].rstrip("]")))]
        got[element] = gone
        item = original[element[0]][element[1]]
        assert (gone.file, gone.line, gone.column) == (*places[element][:2], 5)
        assert gone.id == (None if element in unread else item.get("id"))
        assert gone.problems
        assert all(p.file == gone.file for p in gone.problems)
        earlier = {
            (e[0], original[e[0]][e[1]]["id"])
            for e, r in expected.items()
            if r < expected.get(element, 0)
            and e not in unread
            and original[e[0]][e[1]].get("id") in _names(element[0], item)
        }
        assert set(gone.depends_on) == earlier
    assert set(got) == set(expected)
    for key in LANDSCAPE:
        held = len(original.get(key, []))
        kept = len(getattr(found.scenario, key))
        assert kept + sum(1 for gone in found.dropped if gone.collection == key) == held
