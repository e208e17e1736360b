"""The careful loader's problems: messages, codes, hints, paths and locations.

Written from docs/configuration.rst ("Problems and their codes", "Files and
folders", "Reference packs", "Ids and references") and the docstrings of
:class:`cio_framework.Problem` and :class:`cio_framework.ConfigError`: every
problem of every file is reported at once, each with its file, 1-based line
and column, a JSONPath-like path, a message, a hint where one helps, what was
expected and what was found, and a stable code. Messages are part of the
contract (users read them), so the documented ones are checked word for word.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cio_framework
from cio_framework import ConfigError, Limits, Problem
from cio_framework.cli import main
from cio_framework.config import load_document, loads_document
from cio_framework.config._load import Origins, SourceText, build

HEADER = "cio_framework: 1\nname: Example\n"


def problems_of(text: str | bytes, name: str | None = None, **kw: object) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        cio_framework.loads(text, name=name, **kw)  # type: ignore[arg-type]
    return list(info.value.problems)


def folder_problems(path: Path, **kw: object) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        cio_framework.load(path, **kw)  # type: ignore[arg-type]
    return list(info.value.problems)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def where(p: Problem) -> tuple[str | None, int | None, int | None, str]:
    return p.file, p.line, p.column, p.path


def write(folder: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


LANDSCAPE = """\
departments:
  - {id: epb, name: EPB}
  - {id: msb, name: MSB}
systems:
  - {id: mon, name: Monitoring, department: epb}
  - {id: reg, name: Registry, department: msb}
resources:
  - {id: emissions, name: Emissions, owner: epb}
exchanges:
  - {id: x1, from: mon, to: reg, resources: [emissions]}
"""


# -- the format version -----------------------------------------------------------


def test_missing_version_key() -> None:
    p = only(problems_of("name: A\n", name="a.yaml"))
    assert p.message == "the file has no format version key 'cio_framework'"
    assert p.code == "version"
    assert where(p) == ("a.yaml", 1, 1, "$")
    assert p.expected == "'cio_framework: 2'"
    assert p.hint == "add 'cio_framework: 2' as the first line"


def test_version_that_is_not_a_whole_number() -> None:
    p = only(problems_of("cio_framework: '1'\nname: A\n"))
    assert p.message == "'cio_framework' must be the whole number 2 (or 1), not a string ('1')"
    assert p.code == "version"
    assert where(p) == (None, 1, 16, "$.cio_framework")
    assert (p.expected, p.got) == ("2", "a string ('1')")
    assert p.hint == "write 'cio_framework: 2'"
    p = only(problems_of("cio_framework: true\nname: A\n"))
    assert p.message == "'cio_framework' must be the whole number 2 (or 1), not a boolean (true)"
    assert p.got == "a boolean (true)"


@pytest.mark.parametrize(
    ("version", "hint"), [(3, "upgrade cio_framework"), (0, "write 'cio_framework: 2'")]
)
def test_unsupported_version(version: int, hint: str) -> None:
    p = only(problems_of(f"cio_framework: {version}\nname: A\n"))
    assert p.message == (
        f"unsupported format version {version}; this library reads versions 1 to 2"
    )
    assert p.code == "version"
    assert where(p) == (None, 1, 16, "$.cio_framework")
    assert (p.expected, p.got) == ("2", str(version))
    assert p.hint == hint


def test_every_file_of_a_folder_needs_the_version(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": HEADER, "b.yaml": "description: D\n"})
    p = only(folder_problems(tmp_path))
    assert p.code == "version"
    assert where(p) == (str(tmp_path / "b.yaml"), 1, 1, "$")


# -- empty and malformed documents ----------------------------------------------------


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    p = only(problems_of(text, name="e.yaml"))
    assert p.message == "the file holds no scenario: it is empty or only comments"
    assert p.code == "missing-field"
    assert p.file == "e.yaml"
    assert p.path == "$"
    assert p.hint == "start the file with 'cio_framework: 2'"


def test_document_that_is_not_a_mapping() -> None:
    p = only(problems_of("- a\n- b\n"))
    assert p.message == "a scenario file must be a mapping of keys to values, not a list"
    assert p.code == "wrong-type"
    assert (p.expected, p.got) == ("a mapping", "a list")
    assert p.hint == "start the file with 'cio_framework: 2'"


def test_scenario_without_a_name() -> None:
    p = only(problems_of("cio_framework: 1\ndescription: D\n", name="n.yaml"))
    assert p.message == "the scenario has no 'name'"
    assert p.code == "missing-field"
    assert p.file == "n.yaml"
    assert p.path == "$"
    assert p.expected == "'name': a string"
    assert p.hint == "add 'name: ...' at the top level"


def test_a_name_in_any_file_of_a_folder_is_enough(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": "cio_framework: 1\n", "b.yaml": HEADER})
    assert cio_framework.load(tmp_path).name == "Example"


def test_an_invalid_name_is_not_also_reported_missing() -> None:
    p = only(problems_of("cio_framework: 1\nname: 3\n"))
    assert p.code == "wrong-type"
    assert p.path == "$.name"


def test_syntax_error() -> None:
    text = "cio_framework: 1\nname: A\nx: [a\ny: b\n"
    p = only(problems_of(text, name="s.yaml"))
    assert p.message.startswith("YAML syntax error: ")
    assert p.code == "syntax"
    assert p.file == "s.yaml"
    assert p.line is not None
    assert p.line >= 3
    assert p.hint is None


def test_syntax_error_from_a_tab_has_a_hint() -> None:
    p = only(problems_of("cio_framework: 1\nname: A\nx:\n\t- a\n", name="t.yaml"))
    assert p.code == "syntax"
    assert (p.file, p.line, p.column) == ("t.yaml", 4, 1)
    assert p.source_line == "\t- a"
    assert p.hint == "YAML does not allow tabs for indentation; indent with spaces"


def test_problems_of_every_file_are_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": "cio_framework: 1\nname: [a\n",
            "b.yaml": "cio_framework: 1\nname: A\ntitel: x\n",
            "c.yaml": "name: A\n",
        },
    )
    found = folder_problems(tmp_path)
    assert [(Path(p.file or "").name, p.code) for p in found] == [
        ("a.yaml", "syntax"),
        ("b.yaml", "unknown-key"),
        ("c.yaml", "version"),
    ]


def test_duplicate_key_is_located() -> None:
    p = only(problems_of(HEADER + "description: a\ndescription: b\n"))
    assert p.code == "duplicate-key"
    assert where(p) == (None, 4, 1, "$.description")
    p = only(problems_of(HEADER + "departments:\n  - {id: a, name: A, name: B}\n"))
    assert p.code == "duplicate-key"
    assert p.path == "$.departments[0].name"
    assert (p.line, p.column) == (4, 22)


# -- top-level keys ---------------------------------------------------------------------


def test_unknown_top_level_key_with_a_guess() -> None:
    p = only(problems_of(HEADER + "descripton: x\n"))
    assert p.message == "unknown top-level key 'descripton'"
    assert p.code == "unknown-key"
    # the key itself is located, not its value
    assert where(p) == (None, 3, 1, "$.descripton")
    assert p.hint == "did you mean 'description'?"
    assert p.source_line == "descripton: x"


def test_unknown_top_level_key_without_a_guess_lists_the_keys() -> None:
    p = only(problems_of(HEADER + "zzzzqqq: {a: 1}\n"))
    assert p.message == "unknown top-level key 'zzzzqqq'"
    assert p.code == "unknown-key"
    assert (p.line, p.column) == (3, 1)
    assert p.hint is not None
    assert p.hint.startswith("known keys: ")
    assert p.hint.endswith(", uses; extension keys start with 'x-'")
    listed = p.hint.removeprefix("known keys: ").split("; ")[0].split(", ")
    documented = ["name", "description", "jurisdiction", "as_of", "source", "levels"]
    documented += ["people", "departments", "roles", "systems", "exchanges", "scenarios"]
    documented += ["priorities", "checks", "uses"]
    assert set(documented) <= set(listed)
    assert "extensions" not in listed


def test_top_level_key_that_is_not_a_string() -> None:
    p = only(problems_of(HEADER + "1: x\n"))
    assert p.message == "top-level keys must be strings, not an integer (1)"
    assert p.code == "wrong-type"
    assert (p.line, p.column) == (3, 1)


def test_list_key_that_is_not_a_list() -> None:
    p = only(problems_of(HEADER + "roles: 3\n"))
    assert p.message == "'roles' must be a list, not an integer (3)"
    assert p.code == "wrong-type"
    assert where(p) == (None, 3, 8, "$.roles")
    assert (p.expected, p.got) == ("a list of roles", "an integer (3)")
    assert p.hint == "write each role as an item starting with '- '"


def test_empty_list_key_is_left_out() -> None:
    s = cio_framework.loads(HEADER + "roles:\nsystems: []\n")
    assert s.roles == ()
    assert s.systems == ()


def test_empty_value_of_an_optional_top_level_key_hints() -> None:
    p = only(problems_of(HEADER.replace("name: Example", "name:")))
    assert p.code == "wrong-type"
    assert p.path == "$.name"
    p = only(problems_of(HEADER + "jurisdiction: 3\n"))
    assert p.code == "wrong-type"
    assert where(p) == (None, 3, 15, "$.jurisdiction")


def test_every_top_level_problem_of_a_file_is_reported() -> None:
    text = HEADER + "description: 3\nchecks: {vacant-rol: error}\ntitel: x\nroles: 3\n"
    found = problems_of(text)
    assert [(p.code, p.path) for p in found] == [
        ("wrong-type", "$.description"),
        ("unknown-key", "$.checks['vacant-rol']"),
        ("unknown-key", "$.titel"),
        ("wrong-type", "$.roles"),
    ]


def test_unknown_check_id() -> None:
    p = only(problems_of(HEADER + "checks: {vacant-rol: error}\n"))
    assert p.message == "unknown check 'vacant-rol'"
    assert p.code == "unknown-key"
    assert p.hint == "did you mean 'vacant-role'?"


def test_extension_keys_are_kept() -> None:
    s = cio_framework.loads(HEADER + "x-budget-year: 2016\nx-codes: [12, 7]\n")
    assert dict(s.extensions) == {"x-budget-year": 2016, "x-codes": (12, 7)}


def test_mapping_value_of_a_single_valued_key() -> None:
    p = only(problems_of(HEADER + "description: {a: 1}\n"))
    assert p.code == "wrong-type"
    assert p.path == "$.description"


# -- folders: merging, conflicts -----------------------------------------------------


def test_single_valued_key_conflict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a.yaml": "cio_framework: 1\nname: First\n", "b.yaml": "cio_framework: 1\nname: Second\n"},
    )
    p = only(folder_problems(tmp_path))
    first = tmp_path / "a.yaml"
    assert p.message == f"'name' is set differently here and at {first}:2:7"
    assert p.code == "conflict"
    # the key of the second setting is located
    assert where(p) == (str(tmp_path / "b.yaml"), 2, 1, "$.name")
    assert p.hint == "keep one value"


def test_same_single_value_in_two_files_is_fine(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": HEADER, "b.yaml": HEADER + "description: D\n"})
    s = cio_framework.load(tmp_path)
    assert (s.name, s.description) == ("Example", "D")


def test_extension_key_conflict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": HEADER + "x-year: 2016\n",
            "b.yaml": "cio_framework: 1\nx-year: 2017\n",
            "c.yaml": "cio_framework: 1\nx-year: 2016\n",
        },
    )
    p = only(folder_problems(tmp_path))
    assert p.message == f"'x-year' is set differently here and at {tmp_path / 'a.yaml'}:3:9"
    assert p.code == "conflict"
    assert where(p) == (str(tmp_path / "b.yaml"), 2, 1, "$['x-year']")
    assert p.hint == "keep one value"


def test_checks_merge_check_by_check(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": HEADER + "checks: {vacant-role: error}\n",
            "b.yaml": "cio_framework: 1\nchecks: {raci-accountable: off, vacant-role: error}\n",
        },
    )
    s = cio_framework.load(tmp_path)
    assert {k: str(getattr(v, "value", v)) for k, v in s.checks.items()} == {
        "vacant-role": "error",
        "raci-accountable": "off",
    }


def test_one_check_with_two_severities_is_a_conflict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": HEADER + "checks: {vacant-role: error}\n",
            "b.yaml": "cio_framework: 1\nchecks:\n  vacant-role: warning\n",
        },
    )
    p = only(folder_problems(tmp_path))
    assert p.message == (
        f"'checks.vacant-role' is set differently here and at {tmp_path / 'a.yaml'}:3:23"
    )
    assert p.code == "conflict"
    assert where(p) == (str(tmp_path / "b.yaml"), 3, 3, "$.checks['vacant-role']")
    assert p.hint == "keep one value"


def test_folder_reads_yaml_files_only_and_skips_hidden_ones(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "scenario.yaml": HEADER,
            "departments/epb.YML": "cio_framework: 1\ndepartments:\n  - {id: epb, name: EPB}\n",
            "departments/msb.yml": "cio_framework: 1\ndepartments:\n  - {id: msb, name: MSB}\n",
            "README.txt": "not: [yaml\n",
            ".hidden.yaml": "not: [yaml\n",
            ".git/config.yaml": "not: [yaml\n",
        },
    )
    s = cio_framework.load(tmp_path)
    # sorted by relative path: departments/epb.YML, departments/msb.yml, scenario.yaml
    assert [d.id for d in s.departments] == ["epb", "msb"]


def test_folder_without_yaml_files(tmp_path: Path) -> None:
    write(tmp_path, {"notes.txt": "x", ".hidden/a.yaml": HEADER})
    p = only(folder_problems(tmp_path))
    assert p.message == "the folder holds no .yaml or .yml files"
    assert p.code == "io"
    assert p.file == str(tmp_path)
    assert p.hint == "a scenario folder holds one or more YAML files that are merged"


def test_missing_file() -> None:
    missing = Path("/nonexistent-cio-dir/none.yaml")
    p = only(folder_problems(missing))
    assert p.message == f"cannot read the file: {os.strerror(2)}"
    assert p.code == "io"
    assert p.file == str(missing)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    text = HEADER + "description: " + "d" * 2000 + "\n"
    write(tmp_path, {"a.yaml": HEADER, "b.yaml": text, "c.yaml": "cio_framework: 1\ntitel: x\n"})
    size = len(text.encode())
    found = folder_problems(tmp_path, limits=Limits(max_bytes=1000))
    big = [p for p in found if p.code == "limit"]
    assert len(big) == 1
    assert len(found) == 2
    p = big[0]
    assert p.message == f"the file is {size:,} bytes, over the limit of 1,000 bytes"
    assert p.file == str(tmp_path / "b.yaml")
    assert p.hint == (
        "split it into a folder of files, or raise the limit with Limits(max_bytes=...)"
    )
    other = next(p for p in found if p.code != "limit")
    assert (other.code, other.file, other.line) == ("unknown-key", str(tmp_path / "c.yaml"), 2)


def test_text_over_the_size_limit() -> None:
    text = HEADER + "description: " + "é" * 600 + "\n"
    p = only(problems_of(text, name="big.yaml", limits=Limits(max_bytes=1000)))
    assert p.code == "limit"
    assert p.file == "big.yaml"
    size = len(text.encode())
    assert p.message == f"the file is {size:,} bytes, over the limit of 1,000 bytes"
    assert len(text) < 1000 < size


# -- encoding -------------------------------------------------------------------------


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    data = b"cio_framework: 1\nname: ab\xffc\n"
    write(tmp_path, {"bad.yaml": data})
    p = only(folder_problems(tmp_path / "bad.yaml"))
    assert p.message == "the file is not valid UTF-8: byte 0xff cannot be decoded"
    assert p.code == "encoding"
    assert (p.file, p.line, p.column) == (str(tmp_path / "bad.yaml"), 2, 9)
    assert p.hint == "save the file as UTF-8"
    p = only(problems_of(data, name="b.yaml"))
    assert (p.file, p.line, p.column, p.code) == ("b.yaml", 2, 9, "encoding")


def test_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    write(tmp_path, {"bom.yaml": b"\xef\xbb\xbf" + HEADER.encode()})
    assert cio_framework.load(tmp_path / "bom.yaml").name == "Example"
    assert cio_framework.loads(b"\xef\xbb\xbf" + HEADER.encode()).name == "Example"


def test_no_sources_at_all() -> None:
    with pytest.raises(ConfigError) as info:
        build([])
    p = only(list(info.value.problems))
    assert (p.message, p.code) == ("no scenario files to load", "io")


# -- ids --------------------------------------------------------------------------------


def test_duplicate_id_in_one_file_names_the_first() -> None:
    text = (
        HEADER
        + "departments:\n  - {id: epb, name: E}\n  - junk\n"
        + "systems:\n  - {id: epb, name: S, department: epb}\n"
    )
    found = problems_of(text, name="d.yaml")
    assert [p.code for p in found] == ["wrong-type", "duplicate-id"]
    p = found[1]
    assert p.message == "duplicate id 'epb': already used by the department at d.yaml:4:10"
    assert where(p) == ("d.yaml", 7, 10, "$.systems[0].id")
    assert p.hint == "ids must be unique across the whole scenario, all files included"


def test_duplicate_id_within_one_list() -> None:
    text = (
        HEADER + "departments:\n  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: a, name: C}\n"
    )
    p = only(problems_of(text))
    assert p.message == "duplicate id 'a': already used by the department at <string>:4:10"
    assert where(p) == (None, 6, 10, "$.departments[2].id")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": HEADER + "people:\n  - {id: li, name: Li}\n",
            "b.yaml": "cio_framework: 1\ndepartments:\n  - {id: x, name: X}\n  - {id: li, name: L}\n",
        },
    )
    p = only(folder_problems(tmp_path))
    assert (
        p.message == f"duplicate id 'li': already used by the person at {tmp_path / 'a.yaml'}:4:10"
    )
    assert where(p) == (str(tmp_path / "b.yaml"), 4, 10, "$.departments[1].id")


def test_id_of_a_default_level() -> None:
    p = only(problems_of(HEADER + "departments:\n  - {id: support, name: E}\n"))
    assert p.message == "duplicate id 'support': it is the id of a default governance level"
    assert p.code == "duplicate-id"
    assert where(p) == (None, 4, 10, "$.departments[0].id")
    assert p.hint == "choose another id, or list your own levels under 'levels'"


def test_own_levels_replace_the_default_ones() -> None:
    text = HEADER + "levels:\n  - {id: top, name: Top}\ndepartments:\n  - {id: support, name: E}\n"
    s = cio_framework.loads(text)
    assert [lv.id for lv in s.levels] == ["top"]
    assert [d.id for d in s.departments] == ["support"]


def test_references_hold_the_id_objects() -> None:
    # config._fast: a reference accepted by the fast path holds the very string
    # object of the id it names, the default levels' ids included
    text = (
        HEADER
        + LANDSCAPE
        + "people:\n  - {id: li, name: Li}\n"
        + "roles:\n  - {id: cio, title: CIO, level: support, department: epb, holder: li}\n"
    )
    s = cio_framework.loads(text)
    assert s.systems[0].department is s.departments[0].id
    assert s.exchanges[0].to is s.systems[1].id
    assert s.roles[0].holder is s.people[0].id
    assert s.roles[0].level == "support"
    assert s.roles[0].level is next(lv.id for lv in s.levels if lv.id == "support")


# -- what-if variants ---------------------------------------------------------------


WHATIF = """\
scenarios:
  - id: v0
    name: V0
  - id: v1
    name: V1
    changes:
      - move_system: {system: mon, to: reg}
      - add_exchange: {id: x2, from: reg, to: mon, resources: [emissions]}
      - remove_exchange: x2
"""


def test_whatif_variant_may_remove_the_exchange_it_adds() -> None:
    text = HEADER + LANDSCAPE + WHATIF.replace("      - move_system: {system: mon, to: reg}\n", "")
    text = text.replace("  - id: v0\n    name: V0\n", "")
    s = cio_framework.loads(text)
    assert s.scenarios[0].changes[1].remove_exchange == "x2"


def test_whatif_exchange_with_an_id_already_used() -> None:
    text = HEADER + LANDSCAPE + WHATIF.replace("id: x2", "id: mon")
    found = problems_of(text, name="w.yaml")
    dup = [p for p in found if p.code == "duplicate-id"]
    p = only(dup)
    assert p.message == "duplicate id 'mon': already used by the system at w.yaml:7:10"
    assert where(p) == ("w.yaml", 20, 28, "$.scenarios[1].changes[1].add_exchange.id")
    assert p.hint == "an exchange a what-if variant adds needs an id of its own"


def test_whatif_exchanges_of_two_variants_share_ids() -> None:
    text = (
        HEADER + LANDSCAPE + WHATIF + WHATIF.replace("scenarios:\n", "").replace("id: v", "id: w")
    )
    found = problems_of(text)
    dup = only([p for p in found if p.code == "duplicate-id"])
    assert dup.path == "$.scenarios[3].changes[1].add_exchange.id"
    assert dup.message == "duplicate id 'x2': already used by the exchange at <string>:20:28"


# -- reference packs --------------------------------------------------------------------


def test_pack_is_pulled_in() -> None:
    s = cio_framework.loads(HEADER + "uses: [pudong-selection]\n")
    assert s.criteria
    assert all(c.id.startswith("pudong-") for c in s.criteria)


def test_pack_roles_are_renamed() -> None:
    text = (
        HEADER
        + "people:\n  - {id: li, name: Li}\n"
        + "roles:\n  - {id: board, title: Board, level: strategic}\n"
        + "  - {id: office, title: Office, level: support}\n"
        + "uses:\n  - {pack: iso-38500, roles: {governing-body: board, cio: office}}\n"
    )
    s = cio_framework.loads(text)
    raci = [dict(r.raci) for r in s.responsibilities]
    assert raci
    assert all(set(r) <= {"board", "office"} for r in raci)


def test_pack_with_an_unknown_placeholder_role() -> None:
    text = HEADER + "uses: [{pack: iso-38500, roles: {boss: x}}]\n"
    found = problems_of(text, name="u.yaml")
    p = found[0]
    assert p.message == "reference pack 'iso-38500' has no placeholder role 'boss'"
    assert p.code == "unknown-key"
    assert where(p) == ("u.yaml", 3, 33, "$.uses[0].roles")
    assert p.hint == "its placeholder roles: governing-body, cio"


def test_pack_without_placeholder_roles_given_some() -> None:
    text = HEADER + "uses:\n  - {pack: pudong-selection, roles: {a: b, c: d}}\n"
    p = only(problems_of(text))
    assert p.message == "reference pack 'pudong-selection' has no placeholder role 'a', 'c'"
    assert p.hint == "its placeholder roles: none"
    assert p.path == "$.uses[0].roles"


def test_unknown_pack_name() -> None:
    p = only(problems_of(HEADER + "uses: [pudong-selectio]\n", name="u.yaml"))
    assert p.message == "unknown reference pack 'pudong-selectio'"
    assert p.code == "dangling-reference"
    assert where(p) == ("u.yaml", 3, 8, "$.uses[0]")
    assert p.hint == "did you mean 'pudong-selection'?"


def test_scenario_setting_wins_over_the_pack() -> None:
    # china-2016-sharing raises two landscape checks to errors; a scenario
    # that sets one of them itself keeps its own severity, without a conflict
    import yaml

    from cio_framework.config import pack_text

    pack_checks = yaml.safe_load(pack_text("china-2016-sharing"))["checks"]
    check = sorted(pack_checks)[0]
    text = HEADER + f"checks: {{{check}: info}}\nuses: [china-2016-sharing]\n"
    s = cio_framework.loads(text)
    assert str(getattr(s.checks[check], "value", s.checks[check])) == "info"


def test_pack_without_a_header() -> None:
    # not reachable with the shipped packs, which all have one
    text = "cio_framework: 1\ncriteria: []\n"
    scenario = SourceText(name="main", text=HEADER)
    pack = SourceText(name="<pack:p>", text=text, pack="p", roles=(), used_at=(0, ("uses", 0)))
    with pytest.raises(ConfigError) as info:
        build([scenario, pack])
    p = only(list(info.value.problems))
    assert p.message == "a reference pack needs a 'pack:' header"
    assert p.code == "missing-field"
    assert (p.file, p.path) == ("<pack:p>", "$")


# -- where elements come from --------------------------------------------------------


def test_locate_elements_across_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.yaml": HEADER + "systems:\n  - {id: s1, name: S1, department: d}\n"
            "  - {id: s2, name: S2, department: d}\n",
            "b.yaml": "cio_framework: 1\nroles: []\nsystems:\n\n  - {id: s3, name: S3, department: d}\n"
            "departments: [{id: d, name: D}]\n",
        },
    )
    loaded = load_document(tmp_path)
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    assert loaded.locate("systems", 0) == (a, 4, 5, "$.systems[0]")
    assert loaded.locate("systems", 1) == (a, 5, 5, "$.systems[1]")
    assert loaded.locate("systems", 2) == (b, 5, 5, "$.systems[0]")
    assert loaded.locate("systems", 3) == (None, None, None, "$.systems[3]")
    assert loaded.locate("systems", 4) == (None, None, None, "$.systems[4]")
    assert loaded.locate("roles", 0) == (None, None, None, "$.roles[0]")
    for collection, index in [("systems", i) for i in range(5)] + [("roles", 0)]:
        assert loaded.position(collection, index) == loaded.locate(collection, index)[:3]


def test_a_json_element_is_placed_at_its_opening_brace() -> None:
    text = '{"cio_framework": 1, "name": "T",\n "people": [\n  {"id": "li", "name": "Li"},  {"id": "wu", "name": "Wu"}]}'
    loaded = loads_document(text, name="p.json")
    assert loaded.position("people", 0) == ("p.json", 3, 3)
    assert loaded.position("people", 1) == ("p.json", 3, 32)
    assert loaded.locate("people", 1) == ("p.json", 3, 32, "$.people[1]")
    assert loaded.position("people", 2) == (None, None, None)


def test_locate_a_single_element() -> None:
    loaded = loads_document(HEADER + "people:\n  - {id: li, name: Li}\n", name="p.yaml")
    assert loaded.locate("people", 0) == ("p.yaml", 4, 5, "$.people[0]")
    assert loaded.locate("people", 1) == (None, None, None, "$.people[1]")
    assert loaded.locate("people", -1) == (None, None, None, "$.people[-1]")


def test_origins_runs() -> None:
    origins = Origins()
    origins.add("systems", 0, 2, file_index=0)
    origins.add("systems", 2, 0, file_index=1)
    origins.add("systems", 2, 1, file_index=2)
    origins.add("roles", 0, 1, file_index=3)
    assert origins.get(("systems", 0)) == (0, ("systems", 0))
    assert origins.get(("systems", 1)) == (0, ("systems", 1))
    assert origins.get(("systems", 2)) == (2, ("systems", 0))
    assert origins.get(("systems", 3)) is None
    assert origins.get(("systems", -1)) is None
    assert origins.get(("roles", 0)) == (3, ("roles", 0))
    assert origins.get(("roles", 1)) is None
    assert origins.get(("people", 0)) is None


@pytest.mark.parametrize(
    ("key", "read_as"),
    [
        ("~", "null"),
        ("null", "null"),
        ("true", "a boolean"),
        ("yes", "a boolean"),
        ("5", "an integer"),
    ],
)
def test_a_key_yaml_does_not_read_as_text_is_placed_at_itself_with_a_hint(key, read_as):
    """Such a key is reported at its own line and column, not at its mapping,
    with a hint to quote it as the file writes it."""
    text = (
        "cio_framework: 2\nname: a\ndepartments:\n  - {id: a, name: A}\n"
        f"  - id: b\n    name: B\n    {key}: 1\n{key}: 2\n"
    )
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(text)
    places = sorted((p.line, p.column) for p in caught.value.problems)
    assert places == [(7, 5), (8, 1)]
    for problem in caught.value.problems:
        assert f"not {read_as}" in problem.message
        assert problem.hint.endswith(f"write it in quotes: '{key}'")


def _problems(text):
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text)
    return caught.value.problems


HEAD2 = "cio_framework: 2\nname: x\n"


def test_a_refused_tag_is_its_only_problem():
    """The value a refused tag leaves is not reported again as a wrong type."""
    (problem,) = _problems(HEAD2 + "notes: !!python/object:os.system x\n")
    assert problem.code == "unsafe-tag"
    assert "_Invalid" not in str(problem)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("departments:\n  - !x {id: a, name: A}\n", [(4, 5)]),
        ("checks: {!x vacant-role: off}\n", [(3, 10)]),
        ("? !x k\n: 3\n", [(3, 3)]),
        ("departments:\n  - {id: a, name: A, !x p: 1, !y q: 2}\n", [(4, 22), (4, 31)]),
        ("x-y: {2020-13-45: 1, 2020-14-45: 2}\n", [(3, 7), (3, 22)]),
    ],
)
def test_a_refused_element_or_key_is_its_only_problem(text, places):
    """An element or a key left by a refused tag or a bad date is not reported again."""
    problems = _problems(HEAD2 + text)
    assert [(p.line, p.column) for p in problems] == places
    assert all(p.code in {"unsafe-tag", "bad-value"} for p in problems)
    assert not any("nvalid" in str(p) or "duplicate" in str(p) for p in problems)


def test_a_refused_document_tag_is_its_only_problem():
    """A tag on the whole document is refused once, not again as 'no mapping'."""
    (problem,) = _problems("--- !x\n" + HEAD2)
    assert (problem.code, problem.line, problem.column) == ("unsafe-tag", 1, 5)


@pytest.mark.parametrize(
    ("use", "code", "words"),
    [
        ('"../../etc/passwd"', "bad-value", "'../../etc/passwd' is no pack name"),
        ("{id: x}", "missing-field", "names its pack under 'pack'"),
        ("5", "wrong-type", "not an integer (5)"),
    ],
)
def test_a_bad_pack_use_says_what_is_wrong_with_it(use, code, words):
    found = [p for p in _problems(HEAD2 + f"uses: [{use}]\n") if p.code == code]
    assert len(found) == 1
    assert words in found[0].message
    assert "not a string (" not in found[0].message


@pytest.mark.parametrize(
    ("written", "fixed"), [("1e3", "1.0e+3"), ("2.5E2", "2.5e+2"), ("15e-1", "15.0e-1")]
)
def test_an_exponent_yaml_reads_as_text_gets_its_number_form(written, fixed):
    (problem,) = _problems(HEAD2 + f"criteria: [{{id: c, name: C, weight: {written}}}]\n")
    assert problem.code == "wrong-type"
    assert problem.hint.endswith(f"write {fixed}")
    good = cio_framework.loads(HEAD2 + f"criteria: [{{id: c, name: C, weight: {fixed}}}]\n")
    assert good.criteria[0].weight == float(written)


def test_an_exponent_beyond_any_float_is_not_told_to_become_infinite():
    """'1.0e400' is text to YAML, and written as YAML reads a number it is
    .inf, which no amount may be: the hint asks for a smaller number."""
    (problem,) = _problems(HEAD2 + "criteria: [{id: c, name: C, weight: 1.0e400}]\n")
    assert problem.code == "wrong-type"
    assert problem.hint.endswith("beyond any amount: write a smaller number")
    assert "e+400" not in problem.hint


def test_a_json_file_gets_json_hints():
    """A hint in a JSON file asks for double quotes and names no YAML reading."""
    text = (
        '{"cio_framework": 2, "name": "x",\n'
        ' "departments": [{"id": "d", "name": 1e5}, {"id": true, "name": "D", "name": "E"}]}\n'
    )
    problems = _problems(text)
    assert [(p.line, p.column, p.hint) for p in problems] == [
        (2, 38, 'write it in double quotes: "1e5"'),
        (2, 51, 'write it in double quotes: "true"'),
        (2, 70, "remove one of the two entries; only the first is read"),
    ]


def test_every_bad_extension_key_is_placed_at_itself():
    """Each extension key YAML reads as a date or null is a problem at that key."""
    problems = _problems(
        HEAD2 + "x-a: {1: a, 2020-01-01: d, b: [{~: 1}], c: {2020-02-02: 3}}\n"
        "departments:\n  - {id: d, name: D, x-q: {2020-01-01: 1}}\n"
    )
    assert [(p.line, p.column, p.path) for p in problems] == [
        (3, 13, "$['x-a']['2020-01-01']"),
        (3, 33, "$['x-a'].b[0][null]"),
        (3, 45, "$['x-a'].c['2020-02-02']"),
        (5, 28, "$.departments[0]['x-q']['2020-01-01']"),
    ]
    assert problems[1].hint == "YAML read this key as null; write it in quotes: '~'"


def test_a_file_that_cannot_be_read_may_hold_the_name(tmp_path):
    """A folder whose named file has a syntax error is not also said to have no name."""
    (tmp_path / "a.yaml").write_text("cio_framework: 2\nname: H\ndepartments: [{id: a, name: A}\n")
    (tmp_path / "b.yaml").write_text("cio_framework: 2\nnotes: [{id: n, text: T}]\n")
    assert [p.code for p in folder_problems(tmp_path)] == ["syntax"]


def test_a_version_1_file_with_jurisdictions_is_not_sent_to_upgrade(tmp_path):
    """The hint does not name 'cio-framework upgrade', which refuses a file that does not load."""
    path = tmp_path / "v1.yaml"
    path.write_text("cio_framework: 1\nname: J\njurisdictions:\n  - {id: gd, name: G}\n")
    (problem,) = folder_problems(path)
    assert problem.code == "version"
    assert "upgrade" not in problem.hint
    out = tmp_path / "out.txt"
    assert main(["upgrade", str(path), "-o", str(out)]) == 1


def test_a_list_of_mappings_given_as_a_word_gets_no_list_of_words_as_example():
    """'changes: nope' is not told to write [nope], a list of strings, where mappings are due."""
    problems = _problems(
        HEAD2
        + "scenarios:\n  - {id: v, changes: nope}\nbodies:\n  - {id: b, name: B, members: m}\n"
    )
    assert [(p.line, p.hint) for p in problems] == [(4, None), (6, "write a list, e.g. [m]")]


MERGES = (
    HEAD2 + "x-b: &b {name: B}\nx-c: &c {name: C, pilot: true}\ndepartments:\n"
    "  - <<: *b\n    id: f\n    name: F\n"
    "  - {<<: [*b, *c], id: e}\n"
    "  - {<<: *c, id: g, pilot: false}\n"
)


def test_a_key_of_the_mapping_itself_overrides_a_merged_one():
    """YAML's merge key '<<': the mapping's own keys win, then the mapping merged first."""
    scenario = cio_framework.loads(MERGES)
    assert [(d.id, d.name, d.pilot) for d in scenario.departments] == [
        ("f", "F", False),
        ("e", "B", True),
        ("g", "C", False),
    ]


@pytest.mark.parametrize(
    "merges",
    ["[*b, *c, {name: D}]", "[{name: B}, *c]", "*b, <<: *c", "[{<<: *b, pilot: false}, *c]"],
)
def test_the_mapping_merged_first_wins_whatever_its_keys_are_called(merges):
    """Which merged value wins does not depend on how the key is spelt (PyYAML's may)."""
    for key in ("n", "name", "a-much-longer-key-name"):
        text = HEAD2 + (
            f"x-b: &b {{name: B}}\nx-c: &c {{name: C, pilot: true}}\nx-m: {{<<: {merges}, z: 1}}\n"
        ).replace("name", key)
        merged = cio_framework.loads(text).extensions["x-m"]
        assert merged[key] == "B"
        assert dict(merged) == {key: "B", "pilot": "false" not in merges, "z": 1}


def test_a_merge_of_no_mapping_is_one_problem_among_the_others():
    """'<<: 3' is a located problem, and the file's other problems are reported too."""
    problems = _problems(
        HEAD2 + "x-b: &b {name: B}\ndepartments:\n  - {<<: 3, id: d, name: D}\n"
        "  - {<<: [*b, x], id: e}\n  - {id: f, name: F, name: G}\n"
    )
    assert [(p.line, p.column, p.code) for p in problems] == [
        (5, 10, "wrong-type"),
        (6, 15, "wrong-type"),
        (7, 22, "duplicate-key"),
    ]
    assert problems[0].message.startswith("a merge key '<<' takes a mapping")


def test_a_merged_value_is_placed_where_it_is_written():
    """A bad value a merge key brings in is located at it, and its hint quotes it, not '<<'."""
    problems = _problems(
        HEAD2 + "x-b: &b {name: 5, pilot: maybe}\ndepartments:\n"
        "  - {<<: *b, id: f}\n  - <<: [{pilot: true}, *b]\n    id: g\n"
    )
    assert [(p.line, p.column) for p in problems] == [(3, 16), (3, 26)]
    assert problems[0].hint == "YAML read this as an integer; write it in quotes: '5'"
