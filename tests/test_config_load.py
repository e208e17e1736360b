"""Loading scenarios: every kind of problem is reported, located, at once."""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework import ConfigError
from cio_framework.config import load_document, loads_document
from cio_framework.model import RoleKind

from .conftest import yaml_text

HEAD = "cio_framework: 1\nname: Test\n"


def problems_of(text: str):
    with pytest.raises(ConfigError) as info:
        cio_framework.loads(yaml_text(text), name="s.yaml")
    return info.value.problems


def only_problem(text: str):
    found = problems_of(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# (kind, document, expected code, line, token, words in the message, words in the hint);
# the expected column is where the token starts on that line ("" for column 1).
CASES = [
    ("syntax", HEAD + "a: b: c\n", "syntax", 3, ": c", "mapping values are not allowed", None),
    (
        "unknown key",
        HEAD + "departments:\n  - id: epb\n    nmae: EPB\n    name: EPB\n",
        "unknown-key",
        5,
        "nmae",
        "unknown key 'nmae' in department",
        "did you mean 'name'?",
    ),
    (
        "unknown top-level key",
        HEAD + "deparments: []\n",
        "unknown-key",
        3,
        "deparments",
        "unknown top-level key 'deparments'",
        "did you mean 'departments'?",
    ),
    (
        "duplicate key",
        HEAD + "departments:\n  - id: epb\n    name: A\n    name: B\n",
        "duplicate-key",
        6,
        "name",
        "duplicate key 'name'; first given at line 5, column 5",
        "remove one",
    ),
    (
        "two spellings of one key",
        HEAD + "x-flags:\n  1: a\n  true: b\n",
        "duplicate-key",
        5,
        "true",
        "duplicate key 'true', read as the same key as '1'; first given at line 4, column 3",
        "remove one",
    ),
    (
        "duplicate id",
        HEAD + "departments:\n  - {id: epb, name: A}\npeople:\n  - {id: epb}\n",
        "duplicate-id",
        6,
        "epb",
        "duplicate id 'epb': already used by the department at s.yaml:4:10",
        "unique",
    ),
    (
        "dangling reference",
        HEAD + "departments:\n  - {id: epb, name: A}\nroles:\n"
        "  - {id: r, title: R, level: support, department: ebp}\n",
        "dangling-reference",
        6,
        "ebp",
        "unknown department 'ebp'",
        "did you mean 'epb'?",
    ),
    (
        "reference to the wrong kind",
        HEAD + "departments:\n  - {id: epb, name: A}\nroles:\n"
        "  - {id: r, title: R, level: support, holder: epb}\n",
        "dangling-reference",
        6,
        "epb}",
        "'epb' is a department, not a person",
        None,
    ),
    (
        "wrong type",
        HEAD + "departments:\n  - {id: epb, name: A, pilot: 'yes'}\n",
        "wrong-type",
        4,
        "'yes'",
        "'pilot' must be true or false, not a string ('yes')",
        "without quotes",
    ),
    (
        "number where a string is needed",
        HEAD + "departments:\n  - {id: 2016, name: A}\n",
        "wrong-type",
        4,
        "2016",
        "'id' must be a string, not an integer (2016)",
        "write it in quotes: '2016'",
    ),
    (
        "bad enum value",
        HEAD + "roles:\n  - {id: r, title: R, level: support, kind: departmental}\n",
        "bad-value",
        4,
        "departmental",
        "'kind' must be one of",
        "did you mean 'departmental_cio'?",
    ),
    (
        "missing required field",
        HEAD + "roles:\n  - id: r\n    level: support\n",
        "missing-field",
        4,
        "id",
        "role is missing the required key 'title'",
        "add 'title: ...'",
    ),
    (
        "missing version",
        "name: Test\n",
        "version",
        1,
        "",
        "no format version key 'cio_framework'",
        "add 'cio_framework: 2'",
    ),
    (
        "unsupported version",
        "cio_framework: 3\nname: Test\n",
        "version",
        1,
        "3",
        "unsupported format version 3",
        "upgrade",
    ),
    (
        "python tag",
        HEAD + "description: !!python/object/apply:os.system ['echo hacked']\n",
        "unsafe-tag",
        3,
        "!!python",
        "is not allowed",
        "remove the tag",
    ),
    (
        "impossible date",
        HEAD + "as_of: 2016-02-30\n",
        "bad-value",
        3,
        "2016",
        "not a valid date",
        None,
    ),
    (
        "date and time",
        HEAD + "as_of: 2016-02-03 10:00:00\n",
        "wrong-type",
        3,
        "2016",
        "must be a date without a time",
        "write 2016-02-03",
    ),
    (
        "negative number",
        HEAD + "criteria:\n  - {id: c, name: C, weight: -1}\n",
        "bad-value",
        4,
        "-1",
        "'weight' must be at least 0, not -1",
        None,
    ),
    (
        "not a finite number",
        HEAD + "criteria:\n  - {id: c, name: C, weight: .nan}\n",
        "bad-value",
        4,
        ".nan",
        "must be a finite number",
        None,
    ),
    (
        "bad RACI letters",
        HEAD + "roles:\n  - {id: r, title: R, level: support}\n"
        "responsibilities:\n  - id: d\n    name: D\n    raci: {r: X}\n",
        "bad-value",
        8,
        "X",
        "RACI letters must be among R, A, C, I",
        None,
    ),
    (
        "collection that is not a list",
        HEAD + "roles: 3\n",
        "wrong-type",
        3,
        "3",
        "'roles' must be a list, not an integer (3)",
        "- ",
    ),
    (
        "item that is not a mapping",
        HEAD + "roles:\n  - just a string\n",
        "wrong-type",
        4,
        "just",
        "each role must be a mapping",
        None,
    ),
    (
        "top level not a mapping",
        "- cio_framework: 1\n",
        "wrong-type",
        1,
        "",
        "a scenario file must be a mapping",
        "cio_framework: 2",
    ),
    (
        "empty file",
        "# only a comment\n",
        "missing-field",
        None,
        "",
        "empty or only comments",
        "cio_framework: 2",
    ),
    (
        "several documents",
        HEAD + "---\n" + HEAD,
        "syntax",
        3,
        "",
        "expected a single document",
        None,
    ),
    (
        "unknown check override",
        HEAD + "checks: {proxy-attendence: off}\n",
        "unknown-key",
        3,
        "proxy",
        "unknown check 'proxy-attendence'",
        "did you mean 'proxy-attendance'?",
    ),
    (
        "bad issue range",
        HEAD + "bodies:\n  - {id: b, name: B, issues_per_meeting: [3, 1]}\n",
        "bad-value",
        4,
        "[3",
        "minimum 3 is above its maximum 1",
        None,
    ),
    (
        "non-string key",
        HEAD + "departments:\n  - {id: epb, name: A, 3: x}\n",
        "wrong-type",
        4,
        "3",
        "keys must be strings, not an integer (3)",
        None,
    ),
    (
        "unhashable key",
        HEAD + "departments:\n  - {id: epb, name: A, [a]: x}\n",
        "wrong-type",
        4,
        "[a]",
        "a mapping key must be a plain string, not a list",
        None,
    ),
    (
        "tabs for indentation",
        HEAD + "departments:\n\t- {id: epb, name: A}\n",
        "syntax",
        4,
        "",
        "cannot start any token",
        "tabs",
    ),
    (
        "missing name",
        "cio_framework: 1\n",
        "missing-field",
        1,
        "",
        "the scenario has no 'name'",
        "add 'name: ...'",
    ),
]


@pytest.mark.parametrize(
    ("kind", "text", "code", "line", "token", "message", "hint"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_each_kind_of_problem_is_located(kind, text, code, line, token, message, hint):
    """Each kind of problem gives its code, line, column, message and hint."""
    problem = only_problem(text)
    assert problem.code == code
    assert problem.file == "s.yaml"
    if line is None:
        assert problem.line is None
    else:
        column = yaml_text(text).splitlines()[line - 1].index(token) + 1
        assert (problem.line, problem.column) == (line, column)
    assert message in problem.message
    if hint is None:
        assert problem.hint is None or problem.hint
    else:
        assert hint in (problem.hint or "")


def test_problem_carries_the_yaml_path():
    """A problem names the YAML path of the offending value."""
    problem = only_problem(
        HEAD + "roles:\n  - {id: a, title: A, level: strategic}\n"
        "  - {id: b, title: B, level: support, reports_to: c}\n"
    )
    assert problem.path == "$.roles[1].reports_to"
    assert problem.expected == "the id of a role"


def test_problem_source_line_and_caret():
    """str(ConfigError) shows the source line with a caret under the column."""
    with pytest.raises(ConfigError) as info:
        cio_framework.loads(HEAD + "roles:\n  - {id: a, title: A, level: suport}\n")
    text = str(info.value)
    assert "  - {id: a, title: A, level: suport}" in text
    caret_line = text.splitlines()[-1]
    assert caret_line.index("^") - 4 == info.value.problems[0].column - 1


def test_every_problem_is_reported_in_one_pass():
    """Problems of different kinds in one file come back together, in line order."""
    found = problems_of(
        HEAD
        + yaml_text(
            """\
        departments:
          - {id: epb, name: A, pilot: maybe}
          - {id: epb, name: B}
        roles:
          - {id: r, title: R, level: nowhere, holder: nobody, colour: red}
        meetings:
          - {date: 2016-13-01}
        """
        )
    )
    codes = [p.code for p in found]
    assert codes == [
        "wrong-type",
        "duplicate-id",
        "dangling-reference",
        "dangling-reference",
        "unknown-key",
        "bad-value",
    ]
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_valid_text_loads_into_the_model():
    """A valid document becomes model values with enums and tuples."""
    s = cio_framework.loads(
        HEAD
        + yaml_text(
            """\
        people: [{id: p, name: 闵庆丰}]
        departments: [{id: 环保局, name: 环境保护局, pilot: true}]
        roles:
          - {id: cio, title: 部门CIO, level: support, kind: departmental_cio,
             department: 环保局, holder: p, dotted_lines: []}
        """
        )
    )
    assert s.roles[0].kind is RoleKind.DEPARTMENTAL_CIO
    assert s.roles[0].department == "环保局"
    assert s.people[0].name == "闵庆丰"


def test_int_weight_is_read_as_float():
    """Whole numbers are accepted where a number is expected."""
    s = cio_framework.loads(HEAD + "criteria: [{id: c, name: C, weight: 3}]\n")
    assert s.criteria[0].weight == 3.0
    assert isinstance(s.criteria[0].weight, float)


def test_quoted_iso_date_is_accepted():
    """A date written as a quoted string is accepted (as JSON would have it)."""
    s = cio_framework.loads(HEAD + "as_of: '2016-05-20'\n")
    assert s.as_of.isoformat() == "2016-05-20"


def test_extension_keys_are_kept():
    """Keys starting with x- are kept on the element and the scenario."""
    s = cio_framework.loads(
        HEAD + "x-owner: cio-office\ndepartments:\n  - {id: epb, name: A, x-code: [1, 2]}\n"
    )
    assert s.extensions == {"x-owner": "cio-office"}
    assert s.departments[0].extensions == {"x-code": (1, 2)}


def test_safe_loading_never_runs_code(tmp_path):
    """A python tag is refused and nothing is executed."""
    marker = tmp_path / "hacked"
    text = HEAD + f"description: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ConfigError):
        cio_framework.loads(text)
    assert not marker.exists()


def test_non_utf8_bytes_are_located(tmp_path):
    """A byte that is not UTF-8 is reported with its line and column."""
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"cio_framework: 1\nname: caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(path)
    problem = info.value.problems[0]
    assert (problem.code, problem.line, problem.column) == ("encoding", 2, 10)


def test_byte_order_mark_is_accepted(tmp_path):
    """A UTF-8 byte-order mark at the start of a file is allowed."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfcio_framework: 1\nname: BOM\n")
    assert cio_framework.load(path).name == "BOM"


def test_bytes_are_decoded_as_utf8():
    """loads accepts bytes."""
    assert cio_framework.loads("cio_framework: 1\nname: 浦东\n".encode()).name == "浦东"


def test_folder_is_merged(write, tmp_path):
    """The YAML files of a folder are merged into one scenario."""
    write("a.yaml", HEAD + "departments: [{id: epb, name: EPB, pilot: true}]\n")
    write(
        "depts/b.yml",
        "cio_framework: 1\nroles:\n  - {id: epb-cio, title: CIO, level: support, department: epb}\n",
    )
    write(".hidden.yaml", "not: valid")
    write("notes.txt", "ignored")
    s = cio_framework.load(tmp_path)
    assert [d.id for d in s.departments] == ["epb"]
    assert s.roles[0].department == "epb"


def test_folder_duplicate_ids_name_both_files(write, tmp_path):
    """An id defined in two files is reported with both files and lines."""
    write("a.yaml", HEAD + "departments:\n  - {id: epb, name: EPB}\n")
    write("b.yaml", "cio_framework: 1\npeople:\n  - {id: x}\n  - {id: epb}\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    (problem,) = info.value.problems
    assert problem.file.endswith("b.yaml")
    assert problem.line == 4
    assert f"{tmp_path / 'a.yaml'}:4:10" in problem.message


def test_folder_problems_from_all_files(write, tmp_path):
    """Problems in several files are all reported, each with its file."""
    write("a.yaml", HEAD + "departments:\n  - {id: epb, nmae: EPB}\n")
    write("b.yaml", "cio_framework: 1\nroles: [{id: r, title: R, level: nowhere}]\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    files = {p.file.rsplit("/", 1)[-1] for p in info.value.problems}
    assert files == {"a.yaml", "b.yaml"}


def test_folder_conflicting_scalars(write, tmp_path):
    """A top-level value given differently in two files is a conflict."""
    write("a.yaml", HEAD)
    write("b.yaml", "cio_framework: 1\nname: Other\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    (problem,) = info.value.problems
    assert problem.code == "conflict"
    assert (problem.file.rsplit("/", 1)[-1], problem.line) == ("b.yaml", 2)
    assert f"{tmp_path / 'a.yaml'}:2:7" in problem.message


def test_each_folder_file_needs_the_version(write, tmp_path):
    """Every file of a folder carries the version key."""
    write("a.yaml", HEAD)
    write("b.yaml", "people: []\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    assert [(p.code, p.file.rsplit("/", 1)[-1]) for p in info.value.problems] == [
        ("version", "b.yaml")
    ]


def test_empty_folder(tmp_path):
    """A folder without YAML files is an error, not an empty scenario."""
    with pytest.raises(ConfigError, match=r"no \.yaml or \.yml files"):
        cio_framework.load(tmp_path)


def test_missing_file(tmp_path):
    """A missing file is a ConfigError with code io."""
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path / "nope.yaml")
    assert info.value.problems[0].code == "io"


def test_config_error_is_a_value_error():
    """ConfigError can be caught as ValueError and as the library's root."""
    with pytest.raises(ValueError, match="a scenario file must be a mapping"):
        cio_framework.loads("nope")
    with pytest.raises(cio_framework.CioFrameworkError):
        cio_framework.loads("nope")


def test_locate_maps_elements_back_to_lines(write, tmp_path):
    """LoadedScenario.locate gives the file and line of an element."""
    write("a.yaml", HEAD + "departments:\n  - {id: d1, name: A}\n")
    write("b.yaml", "cio_framework: 1\ndepartments:\n\n  - {id: d2, name: B}\n")
    loaded = load_document(tmp_path)
    file, line, column, path = loaded.locate("departments", 1)
    assert file.endswith("b.yaml")
    assert (line, column, path) == (4, 5, "$.departments[0]")


def test_loads_document_names_the_text():
    """The name given to loads appears in problems."""
    with pytest.raises(ConfigError) as info:
        loads_document("name: x\n", name="inline.yaml")
    assert info.value.problems[0].file == "inline.yaml"


def test_default_level_ids_are_taken():
    """Without custom levels, an element may not reuse a default level's id."""
    problem = only_problem(HEAD + "people:\n  - {id: advisory}\n")
    assert problem.code == "duplicate-id"
    assert "default governance level" in problem.message
    assert (problem.line, problem.column) == (4, 10)


def test_custom_levels_free_the_default_ids():
    """With custom levels, the default level ids are free to use."""
    s = cio_framework.loads(
        HEAD + "levels: [{id: agency, name: Agency}]\npeople:\n  - {id: advisory}\n"
    )
    assert s.people[0].id == "advisory"


def test_folder_conflicting_extension_and_check_settings(write, tmp_path):
    """x- data and check settings set differently in two files name both places."""
    write("a.yaml", HEAD + "x-owner: a\nchecks: {vacant-role: error}\n")
    write(
        "b.yaml",
        "cio_framework: 1\nx-owner: b\nchecks: {vacant-role: info, proxy-attendance: off}\n",
    )
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    assert [(p.code, p.line) for p in info.value.problems] == [("conflict", 2), ("conflict", 3)]
    assert all("a.yaml:" in p.message for p in info.value.problems)


def test_folder_agreeing_files_merge(write, tmp_path):
    """Equal values and disjoint check settings merge without complaint."""
    write("a.yaml", HEAD + "checks: {vacant-role: error}\n")
    write("b.yaml", HEAD + "checks: {proxy-attendance: off}\n")
    s = cio_framework.load(tmp_path)
    assert {k: v.value for k, v in s.checks.items()} == {
        "vacant-role": "error",
        "proxy-attendance": "off",
    }


@pytest.mark.parametrize("fast", [True, False], ids=["fast paths", "careful only"])
def test_a_platform_with_the_reserved_id_local_is_refused(fast, monkeypatch):
    """'local' means a system's own hosting: no platform may take it as its id."""
    from cio_framework.config import _load

    if not fast:
        monkeypatch.setattr(_load, "fast_path", lambda cls: None)
    text = (
        HEAD
        + "departments: [{id: d, name: D}]\n"
        + "platforms:\n  - {id: local, name: Local}\n"
        + "systems:\n  - {id: s, name: S, department: d, hosted_on: local}\n"
    )
    problem = only_problem(text)
    assert problem.code == "bad-value"
    assert problem.path == "$.platforms[0].id"
    assert (problem.line, problem.column) == (5, 10)
    assert "'local' is reserved" in problem.message
    assert problem.hint == "choose another id, such as 'local-1'"


@pytest.mark.parametrize("fast", [True, False], ids=["fast paths", "careful only"])
def test_local_stays_free_where_it_names_nothing(fast, monkeypatch):
    """A department may be called 'local': hosted_on never names departments."""
    from cio_framework.config import _load

    if not fast:
        monkeypatch.setattr(_load, "fast_path", lambda cls: None)
    s = cio_framework.loads(
        HEAD
        + "departments: [{id: local, name: Local}]\n"
        + "systems: [{id: s, name: S, department: local, hosted_on: local}]\n"
    )
    assert (s.systems[0].department, s.systems[0].hosted_on) == ("local", "local")


def test_the_reserved_id_rule_is_the_models():
    """Building a platform with id 'local' in Python is refused the same way."""
    from cio_framework.model import Platform

    with pytest.raises(ValueError, match="'local' is reserved"):
        Platform(id="local", name="Local")


def test_every_literal_a_reference_accepts_is_reserved_where_it_refers():
    """A word a reference field takes besides ids ('local') can never be an id of
    the collections that field refers to."""
    import attrs

    from cio_framework.config._plan import plan_of
    from cio_framework.model import COLLECTIONS, Scenario
    from cio_framework.model._base import RESERVED_IDS

    reserved = {
        name: {w for p in plan_of(cls) if p.is_id for w in p.reserved}
        for name, cls in COLLECTIONS.items()
    }
    seen: set[type] = set()
    todo: list[type] = [Scenario, *COLLECTIONS.values()]
    checked = 0
    while todo:
        cls = todo.pop()
        if cls in seen or not attrs.has(cls):
            continue
        seen.add(cls)
        for plan in plan_of(cls):
            for word in plan.literals:
                assert word in RESERVED_IDS, (cls, plan.name, word)
                for collection in plan.ref or ():
                    assert word in reserved[collection], (cls, plan.name, collection)
                    checked += 1
            spec = plan.spec
            while spec.item is not None:
                spec = spec.item
            if spec.cls is not None and attrs.has(spec.cls):
                todo.append(spec.cls)
    assert checked >= 2  # System.hosted_on and MoveSystem.to


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_reference_holds_the_very_string_of_the_id_it_names(suffix):
    # the analyses compare ids by identity first: one string object per id
    text = (
        '{"cio_framework": 1, "name": "T", "departments": [{"id": "epb", "name": "EPB"}],'
        ' "platforms": [{"id": "cloud", "name": "C"}],'
        ' "systems": [{"id": "a", "name": "A", "department": "epb"},'
        ' {"id": "b", "name": "B", "department": "epb"}],'
        ' "exchanges": [{"id": "e1", "from": "a", "to": "b", "via": "cloud"}]}'
    )
    scenario = cio_framework.loads(text, name=f"s.{suffix}")
    (exchange,) = scenario.exchanges
    a, b = scenario.systems
    assert exchange.from_ is a.id
    assert exchange.to is b.id
    assert exchange.via is scenario.platforms[0].id
    assert a.department is b.department is scenario.departments[0].id


def test_each_parsed_id_is_given_a_string_of_its_own():
    from cio_framework.config._load import _own_ids

    parsed = ["".join(["e", str(n)]) for n in range(3)]  # strings made at run time
    datas = {
        0: {
            "exchanges": [{"id": parsed[0], "from": "a"}, {"from": "b"}, "not an item"],
            "systems": [{"id": parsed[1]}, {"id": 7}],
            "name": parsed[2],
        }
    }
    _own_ids(datas)
    exchanges, systems = datas[0]["exchanges"], datas[0]["systems"]
    assert exchanges[0] == {"id": "e0", "from": "a"}
    assert exchanges[0]["id"] is not parsed[0]
    assert systems[0]["id"] == "e1"
    assert systems[0]["id"] is not parsed[1]
    assert exchanges[1:] == [{"from": "b"}, "not an item"]
    assert systems[1] == {"id": 7}
    assert datas[0]["name"] is parsed[2]  # not an id
