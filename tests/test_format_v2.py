"""Format version 2: version-1 files still load, ``upgrade`` rewrites them
losing nothing, and ``extends:`` starts a scenario from a base."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.cli import main
from cio_framework.config import upgrade_text
from cio_framework.data import builtin_text

V1 = """\
# a comment the upgrade keeps
cio_framework: 1   # the version, on its own line
name: Tiny   # a name
departments:
  - {id: epb, name: Environmental Protection Bureau, pilot: true}
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- version 1 and 2 ---------------------------------------------------------------


def test_version_1_loads_and_equals_version_2():
    v1 = cio_framework.loads(V1)
    v2 = cio_framework.loads(V1.replace("cio_framework: 1", "cio_framework: 2"))
    assert v1 == v2
    assert cio_framework.dumps(v1).startswith("cio_framework: 2\n")


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("jurisdictions: [{id: j, name: J}]\n", (6, 1)),
        ("extends: builtin:pudong-2016\n", (6, 1)),
        ("remove: [epb]\n", (6, 1)),
    ],
)
def test_version_1_may_not_use_what_version_2_adds(extra, where):
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(V1 + extra)
    problem = next(p for p in caught.value.problems if p.code == "version")
    assert (problem.line, problem.column) == where
    # not 'cio-framework upgrade', which rewrites only a scenario that loads
    assert "cio_framework: 2" in (problem.hint or "")
    assert "upgrade" not in (problem.hint or "")


def test_a_version_1_element_may_not_name_a_jurisdiction():
    text = V1.replace("pilot: true}", "pilot: true, jurisdiction: j}")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(text)
    codes = [p.code for p in caught.value.problems]
    assert "version" in codes
    version = next(p for p in caught.value.problems if p.code == "version")
    assert version.path == "$.departments[0].jurisdiction"


@pytest.mark.parametrize("version", ["0", "3", "1.5", "'2'"])
def test_other_versions_are_refused(version):
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(V1.replace("cio_framework: 1", f"cio_framework: {version}"))
    assert [p.code for p in caught.value.problems] == ["version"]


def test_a_python_built_version_1_scenario_with_jurisdictions_is_invalid():
    from cio_framework.model import Jurisdiction, Scenario

    scenario = Scenario(name="x", format_version=1, jurisdictions=[Jurisdiction(id="j", name="J")])
    assert [p.code for p in cio_framework.validate(scenario)] == ["version"]
    with pytest.raises(ValueError, match="unsupported format version 3"):
        Scenario(name="x", format_version=3)


def test_the_schema_accepts_both_versions():
    from cio_framework.config import json_schema

    schema = json_schema()
    assert schema["properties"]["cio_framework"]["enum"] == [1, 2]
    assert {"extends", "remove", "jurisdictions"} <= set(schema["properties"])


# -- upgrade ---------------------------------------------------------------------------


def test_upgrade_text_changes_only_the_number():
    upgraded = upgrade_text(V1)
    assert upgraded == V1.replace("cio_framework: 1", "cio_framework: 2")
    assert upgrade_text(upgraded) == upgraded  # already current: unchanged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"name": "x", "cio_framework": 1}', '{"name": "x", "cio_framework": 2}'),
        ("\ufeffcio_framework: 0x1\r\nname: 名字\r\n", "\ufeffcio_framework: 2\r\nname: 名字\r\n"),
        (
            "name: 名字 é\U0001f600\ncio_framework:   1   # tail\n",
            "name: 名字 é\U0001f600\ncio_framework:   2   # tail\n",
        ),
        ("---\ncio_framework: 1\nname: x\n...\n", "---\ncio_framework: 2\nname: x\n...\n"),
    ],
)
def test_upgrade_text_in_other_forms(text, expected):
    """JSON, a byte-order mark and CRLF, characters beyond the BMP, markers."""
    upgraded = upgrade_text(text)
    assert upgraded == expected
    assert cio_framework.loads(upgraded) == cio_framework.loads(text)


def test_upgrade_text_needs_a_version_key():
    with pytest.raises(ValueError, match="no top-level"):
        upgrade_text("name: x\n")
    with pytest.raises(ValueError, match="no top-level"):
        upgrade_text("cio_framework: '1'\nname: x\n")


def test_upgrade_text_reads_json_as_json():
    """Line breaks YAML knows but JSON does not (U+2028, NEL), raw in a JSON
    string, must not make the text unreadable: YAML does not let a key span
    lines, but the loader reads a JSON text as JSON, and so must the upgrade
    (a fuzzing find)."""
    text = '{"cio_framework": 1, "name": "a\u2028}b\x85{c", "x-\u2028}": ["{"]}'
    upgraded = upgrade_text(text)
    assert upgraded == text.replace('"cio_framework": 1', '"cio_framework": 2')
    assert cio_framework.loads(upgraded) == cio_framework.loads(text)
    with pytest.raises(ValueError, match="no top-level"):
        upgrade_text('{"name": "x", "cio_framework": "1"}')
    with pytest.raises(ValueError, match="no top-level"):
        upgrade_text('{"name": "x", "notes": {"cio_framework": 1}}')


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=20), key_first=st.booleans(), indent=st.sampled_from([None, 1, 4]))
def test_upgrade_of_any_json_text(name, key_first, indent):
    import json

    data = {"name": name, "cio_framework": 1}
    if key_first:
        data = {"cio_framework": 1, "name": name}
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    assert upgrade_text(text) == json.dumps(
        {**data, "cio_framework": 2}, ensure_ascii=False, indent=indent
    )


@settings(max_examples=60, deadline=None)
@given(
    comment=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
    ),
    spaces=st.integers(min_value=1, max_value=4),
)
def test_upgrade_keeps_every_other_character(comment, spaces):
    text = f"# {comment}\ncio_framework:{' ' * spaces}1 # {comment}\nname: x\n"
    upgraded = upgrade_text(text)
    assert upgraded == text.replace(
        f"cio_framework:{' ' * spaces}1", f"cio_framework:{' ' * spaces}2", 1
    )


def test_upgrade_command_on_a_file(tmp_path, capsys):
    source = tmp_path / "city.yaml"
    source.write_text(V1, encoding="utf-8")
    code, out, err = run(capsys, "upgrade", str(source))
    assert code == 0
    assert out == upgrade_text(V1)
    assert "1 of 1 file upgraded to format version 2" in err
    assert source.read_text(encoding="utf-8") == V1  # the input is never rewritten

    target = tmp_path / "city-v2.yaml"
    code, _, _ = run(capsys, "upgrade", str(source), "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8") == upgrade_text(V1)
    assert cio_framework.load(target) == cio_framework.load(source)


def test_upgrade_refuses_to_write_over_its_input(tmp_path, capsys):
    source = tmp_path / "city.yaml"
    source.write_text(V1, encoding="utf-8")
    code, _, err = run(capsys, "upgrade", str(source), "-o", str(source))
    assert code == 2
    assert "input" in err
    assert source.read_text(encoding="utf-8") == V1


def test_upgrade_command_on_a_folder(tmp_path, capsys):
    folder = tmp_path / "district"
    (folder / "departments").mkdir(parents=True)
    (folder / "scenario.yaml").write_text("cio_framework: 1\nname: District # kept\n")
    (folder / "departments" / "epb.yaml").write_text(
        "cio_framework: 1\ndepartments: [{id: epb, name: EPB}]\n"
    )
    (folder / "README.md").write_text("not a scenario file\n")
    code, _, err = run(capsys, "upgrade", str(folder))
    assert code == 2
    assert "-o NEW_FOLDER" in err
    out = tmp_path / "district-v2"
    code, _, err = run(capsys, "upgrade", str(folder), "-o", str(out))
    assert code == 0, err
    assert "2 of 2 files upgraded" in err
    assert (out / "scenario.yaml").read_text() == "cio_framework: 2\nname: District # kept\n"
    assert (out / "departments" / "epb.yaml").read_text().startswith("cio_framework: 2\n")
    assert not (out / "README.md").exists()
    assert cio_framework.load(out) == cio_framework.load(folder)
    code, _, err = run(capsys, "upgrade", str(folder), "-o", str(out))
    assert code == 2
    assert "exists" in err  # never into a folder that is there


def test_upgrade_of_an_invalid_file_writes_nothing(tmp_path, capsys):
    source = tmp_path / "bad.yaml"
    source.write_text(V1 + "roles: 3\n", encoding="utf-8")
    target = tmp_path / "out.yaml"
    code, _, err = run(capsys, "upgrade", str(source), "-o", str(target))
    assert code == 1
    assert "wrong-type" in err
    assert not target.exists()


# -- extends ---------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_a_built_in_replaces_removes_and_adds():
    base = cio_framework.builtin("pudong-2016")
    after = cio_framework.loads(
        "cio_framework: 2\n"
        "extends: builtin:pudong-2016\n"
        "name: After\n"
        "remove: [epb-monitoring-cloud]\n"
        "checks: {vacant-role: info}\n"
        "exchanges:\n"
        "  - {id: epb-live, from: epb-monitoring, to: gov-cloud}\n"
        "roles:\n"
        "  - {id: epb-cio, title: Replaced, level: support, department: epb,"
        " kind: departmental_cio}\n"
    )
    assert after.name == "After"
    assert after.jurisdiction == base.jurisdiction  # not set here: the base's
    keys = {e.key for e in after.exchanges}
    assert "epb-monitoring-cloud" not in keys
    assert "epb-live" in keys
    assert {e.key for e in base.exchanges} - keys == {"epb-monitoring-cloud"}
    (role,) = [r for r in after.roles if r.id == "epb-cio"]
    assert role.title == "Replaced"
    assert role.holder is None  # restated whole
    assert len(after.roles) == len(base.roles)
    assert after.checks["vacant-role"].value == "info"
    assert dict(after.checks).keys() >= dict(base.checks).keys()
    assert after.levels == base.levels


def test_extends_problems_in_the_base_are_located_in_the_base(tmp_path):
    _write(tmp_path / "before" / "base.yaml", "cio_framework: 2\nname: B\nroles: 3\n")
    after = _write(
        tmp_path / "after" / "after.yaml", "cio_framework: 2\nextends: ../before/base.yaml\n"
    )
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(after)
    (problem,) = caught.value.problems
    assert problem.file is not None
    assert problem.file.endswith("base.yaml")
    assert (problem.line, problem.code) == (3, "wrong-type")


def test_extends_a_sibling_folder_and_a_file_beside(tmp_path):
    _write(tmp_path / "before" / "a.yaml", "cio_framework: 2\nname: Base\n")
    _write(tmp_path / "before" / "b.yaml", "cio_framework: 1\ndepartments: [{id: d, name: D}]\n")
    after = _write(
        tmp_path / "after" / "s.yaml",
        "cio_framework: 2\nextends: ../before\ndepartments: [{id: e, name: E}]\n",
    )
    loaded = cio_framework.load(after)
    assert loaded.name == "Base"
    assert [d.id for d in loaded.departments] == ["d", "e"]  # the base's first
    beside = _write(tmp_path / "after" / "t.yaml", "cio_framework: 2\nextends: s.yaml\nname: T\n")
    assert cio_framework.load(beside).name == "T"
    above = _write(tmp_path / "base.yaml", "cio_framework: 2\nname: Above\n")
    below = _write(tmp_path / "after" / "u.yaml", "cio_framework: 2\nextends: ../base.yaml\n")
    assert cio_framework.load(below).name == cio_framework.load(above).name == "Above"
    _write(tmp_path / "base.yaml", "cio_framework: 2\nname: Above\nx-a: 1\nbogus: 1\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(below)
    (problem,) = caught.value.problems
    # the base as it is, without the '..' that led to it
    assert problem.file == os.path.join(os.path.realpath(tmp_path), "base.yaml")
    assert (problem.line, problem.code) == (4, "unknown-key")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/etc/passwd", "relative path"),
        ("../../etc/passwd", "relative path"),
        ("sub/../../x.yaml", "relative path"),
        ("nosuch.yaml", "no such base"),
        ("builtin:nosuch", "no built-in scenario"),
        ("[1]", "must name a base"),
    ],
)
def test_extends_refusals_are_located(tmp_path, value, message):
    path = _write(tmp_path / "a" / "x.yaml", f"cio_framework: 2\nname: X\nextends: {value}\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    (problem,) = caught.value.problems
    assert message in problem.message
    assert (problem.line, problem.column) == (3, 10)


def test_extends_may_not_leave_through_a_link(tmp_path):
    outside = _write(tmp_path / "outside" / "secret.yaml", "cio_framework: 2\nname: S\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(outside, tmp_path / "a" / "b" / "link.yaml")
    path = _write(tmp_path / "a" / "b" / "x.yaml", "cio_framework: 2\nextends: link.yaml\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    assert any("leads outside" in p.message for p in caught.value.problems)


def test_extends_cycle_and_string_scenarios(tmp_path):
    _write(tmp_path / "a.yaml", "cio_framework: 2\nname: A\nextends: b.yaml\n")
    b = _write(tmp_path / "b.yaml", "cio_framework: 2\nname: B\nextends: a.yaml\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(b)
    assert any("must not come back" in p.message for p in caught.value.problems)
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nname: X\nextends: b.yaml\n")
    assert "not read from a file" in caught.value.problems[0].message


def test_remove_without_extends():
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nname: X\nremove: [a]\n")
    (problem,) = caught.value.problems
    assert "extends" in problem.message
    assert (problem.line, problem.column) == (3, 1)


def test_remove_of_an_unknown_id_and_of_a_named_element():
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nextends: builtin:pudong-2016\nremove: [nosuch]\n")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("dangling-reference", 3, 10)
    # removing a department the base's roles still name leaves dangling references
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nextends: builtin:pudong-2016\nremove: [epb]\n")
    assert {p.code for p in caught.value.problems} == {"dangling-reference"}
    assert all((p.file or "").endswith("pudong-2016.yaml") for p in caught.value.problems)


def test_extends_equals_writing_the_change_out():
    """An extension equals the base with the change written into it."""
    text = builtin_text("us-federal")
    after = cio_framework.loads("cio_framework: 2\nextends: builtin:us-federal\nname: Renamed\n")
    assert after == cio_framework.loads(
        text.replace("name: " + cio_framework.builtin("us-federal").name, "name: Renamed", 1)
    )


# -- every refusal, with its code and hint ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "message", "hint"),
    [
        (
            "[1]",
            "wrong-type",
            "'extends' must name a base scenario, not a list",
            "write 'extends: builtin:pudong-2016' or a relative path such as 'before.yaml'",
        ),
        (
            "builtin:nosuch",
            "dangling-reference",
            "no built-in scenario 'nosuch'",
            "built-in scenarios: guangdong-cdo-2021, pudong-2016, us-federal",
        ),
        ("/etc/passwd", "io", "must be a relative path", "put the base beside the extending file"),
        (
            "'sub\\..\\..\\x.yaml'",
            "io",
            "must be a relative path",
            "put the base beside the extending file",
        ),
        ("..", "io", "holds this file", "name a base beside this file, not a folder around it"),
        (".", "io", "holds this file", "name a base beside this file, not a folder around it"),
        ("nosuch.yaml", "io", "no such base file or folder: 'nosuch.yaml'", None),
    ],
)
def test_extends_problems_have_their_code_and_hint(tmp_path, value, code, message, hint):
    path = _write(tmp_path / "a" / "x.yaml", f"cio_framework: 2\nname: X\nextends: {value}\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    (problem,) = caught.value.problems
    assert problem.code == code
    assert message in problem.message
    assert problem.path == "$.extends"
    assert problem.hint == hint


def test_a_string_scenario_may_extend_built_ins_only():
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nname: X\nextends: b.yaml\n")
    (problem,) = caught.value.problems
    assert problem.code == "io"
    assert problem.hint == "extend a built-in ('builtin:NAME'), or load the scenario from its file"


def test_a_scenario_on_standard_input_may_extend_built_ins_only(capsys, monkeypatch):
    import sys

    text = b"cio_framework: 2\nname: X\nextends: b.yaml\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    code, out, err = run(capsys, "validate", "-")
    assert code == 1
    assert "this scenario was not read from a file" in out + err


def test_a_link_beside_may_not_lead_into_a_sibling_folder(tmp_path):
    """Only a path that starts with '..' may reach a sibling folder, links included."""
    secret = _write(tmp_path / "sibling" / "secret.yaml", "cio_framework: 2\nname: S\n")
    (tmp_path / "a").mkdir()
    os.symlink(secret, tmp_path / "a" / "base.yaml")
    path = _write(tmp_path / "a" / "x.yaml", "cio_framework: 2\nextends: base.yaml\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    (problem,) = [p for p in caught.value.problems if "leads outside" in p.message]
    assert problem.code == "io"
    assert problem.hint == "put the base beside the extending file"
    assert (
        cio_framework.load(
            _write(tmp_path / "a" / "y.yaml", "cio_framework: 2\nextends: ../sibling/secret.yaml\n")
        ).name
        == "S"
    )


def test_an_unreadable_base_is_reported_at_the_extends(tmp_path):
    (tmp_path / "base").mkdir()
    _write(tmp_path / "base" / "a.yaml", "cio_framework: 2\nname: B\n")
    os.symlink(tmp_path / "nowhere.yaml", tmp_path / "base" / "broken.yaml")
    path = _write(tmp_path / "x.yaml", "cio_framework: 2\nextends: base\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    (problem,) = caught.value.problems
    assert problem.code == "io"
    assert problem.message.startswith("the base 'base' cannot be read: ")
    assert (problem.line, problem.column) == (2, 10)


def test_a_chain_back_into_a_base_folder_is_refused(tmp_path):
    """A folder read as a base, and a file of it, count as read: a chain that
    comes back to either is refused, not read twice."""
    _write(
        tmp_path / "f" / "a.yaml",
        "cio_framework: 2\nname: F\nextends: ../g.yaml\ndepartments: [{id: d, name: D}]\n",
    )
    _write(tmp_path / "g.yaml", "cio_framework: 2\nextends: f\n")
    path = _write(tmp_path / "s.yaml", "cio_framework: 2\nextends: f\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    assert [p.code for p in caught.value.problems] == ["io"]
    assert "must not come back" in caught.value.problems[0].message
    assert caught.value.problems[0].hint == "remove one 'extends' of the chain"
    _write(tmp_path / "g.yaml", "cio_framework: 2\nextends: f/a.yaml\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    assert [p.code for p in caught.value.problems] == ["io"]


def test_remove_problems_have_their_code_and_hint():
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nname: X\nremove: [a]\n")
    (problem,) = caught.value.problems
    assert problem.message == "'remove' leaves out elements of a base, and this file extends none"
    assert (problem.code, problem.path) == ("unknown-key", "$.remove")
    assert problem.hint == "add 'extends: <base>', or drop 'remove'"
    for value, described in (("epb", "a string"), ("[1]", "a list")):
        with pytest.raises(cio_framework.ConfigError) as caught:
            cio_framework.loads(
                f"cio_framework: 2\nextends: builtin:pudong-2016\nremove: {value}\n"
            )
        (problem,) = caught.value.problems
        assert (problem.code, problem.path) == ("wrong-type", "$.remove")
        assert problem.message.startswith(f"'remove' must be a list of ids, not {described}")


def test_settings_override_the_base_key_by_key():
    base = cio_framework.builtin("us-federal")
    assert base.checks  # the base sets some
    first = next(iter(base.checks))
    after = cio_framework.loads(
        "cio_framework: 2\nextends: builtin:us-federal\n"
        f"checks: {{{first}: warning, vacant-role: info}}\n"
        "x-study: after\nx-tags: [a, b]\nx-rows: [{id: r}]\nas_of: 2030-01-01\n"
    )
    assert after.checks[first].value == "warning"  # overridden, not a conflict
    assert after.checks["vacant-role"].value == "info"
    assert {k for k in base.checks if k != first} <= set(after.checks)
    assert after.extensions["x-study"] == "after"
    assert str(after.as_of) == "2030-01-01"
    assert after.priorities == base.priorities
    assert after.extensions["x-tags"] == ("a", "b")


def test_a_mapping_setting_replaces_the_base_one_whole():
    """``priorities`` replaces the base's: the base's hub does not stay."""
    assert cio_framework.builtin("pudong-2016").priorities.hub == "gov-cloud"
    after = cio_framework.loads(
        "cio_framework: 2\nextends: builtin:pudong-2016\npriorities: {budget: 3}\n"
    )
    assert after.priorities.hub is None
    assert after.priorities.budget == 3


def test_items_that_are_not_mappings_in_the_extending_file_are_its_problems():
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads("cio_framework: 2\nextends: builtin:pudong-2016\ndepartments: [3]\n")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("wrong-type", 3)


def test_several_extending_files_each_get_their_problems(tmp_path):
    """Two files of a folder: one removes without extending, one removes
    what its base lacks; both problems are reported, in their files."""
    folder = tmp_path / "s"
    _write(folder / "a.yaml", "cio_framework: 2\nname: S\nremove: [x]\n")
    _write(folder / "b.yaml", "cio_framework: 2\nextends: builtin:us-federal\nremove: [nosuch]\n")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(folder)
    found = sorted((os.path.basename(p.file or ""), p.code) for p in caught.value.problems)
    assert found == [("a.yaml", "unknown-key"), ("b.yaml", "dangling-reference")]


def test_a_base_that_fails_is_one_problem():
    """A base that cannot be found is reported once, also when the file
    removes something from it."""
    for text in (
        "cio_framework: 2\nname: X\nextends: builtin:nosuch\nremove: [a]\n",
        "cio_framework: 2\nname: X\nextends: builtin:nosuch\n",
    ):
        with pytest.raises(cio_framework.ConfigError) as caught:
            cio_framework.loads(text)
        assert [p.code for p in caught.value.problems] == ["dangling-reference"]


def test_levels_given_leave_out_the_base_levels_they_omit():
    """Levels replace the base's as a whole: a base level left out is gone,
    and what names it is a dangling reference."""
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(
            "cio_framework: 2\nextends: builtin:pudong-2016\nlevels:\n"
            "  - {id: strategic, name: S}\n  - {id: executive, name: E}\n"
            "  - {id: support, name: U}\n"
        )
    problems = caught.value.problems
    assert {p.code for p in problems} == {"dangling-reference"}
    assert all("'advisory'" in p.message for p in problems)


def test_levels_replace_listed_base_levels_as_a_whole():
    """A base that lists its levels (us-federal does; Pudong's are the
    defaults) loses those the extending file leaves out."""
    base = [level.id for level in cio_framework.builtin("us-federal").levels]
    kept = base[:-1]
    text = "cio_framework: 2\nextends: builtin:us-federal\nlevels:\n" + "".join(
        f"  - {{id: {level}, name: L}}\n" for level in kept
    )
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(text)
    assert {p.code for p in caught.value.problems} == {"dangling-reference"}
    assert all(repr(base[-1]) in p.message for p in caught.value.problems)


def test_levels_replace_the_base_levels_as_a_whole():
    after = cio_framework.loads(
        "cio_framework: 2\nextends: builtin:pudong-2016\n"
        "levels:\n  - {id: strategic, name: Top}\n  - {id: executive, name: E}\n"
        "  - {id: support, name: S}\n  - {id: advisory, name: A}\n  - {id: extra, name: X}\n"
    )
    assert [level.id for level in after.levels] == [
        "strategic",
        "executive",
        "support",
        "advisory",
        "extra",
    ]
    assert after.levels[0].name == "Top"


def test_a_replaced_element_need_not_be_a_mapping_in_the_base(tmp_path):
    """Items of the base that are not mappings are left to the loader's own
    problems, not taken for replaced elements."""
    _write(tmp_path / "b.yaml", "cio_framework: 2\nname: B\ndepartments: [3]\n")
    path = _write(
        tmp_path / "x.yaml", "cio_framework: 2\nextends: b.yaml\ndepartments: [{id: d, name: D}]\n"
    )
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.load(path)
    (problem,) = caught.value.problems
    assert problem.code == "wrong-type"
    assert (problem.file or "").endswith("b.yaml")


def test_every_file_of_the_scenario_overrides_the_base_settings(tmp_path):
    """In a folder, the file that extends and the others both win, check by
    check; a check set by none of them keeps the base's setting."""
    base = cio_framework.builtin("us-federal")
    first, *rest = list(base.checks)
    folder = tmp_path / "s"
    _write(folder / "a.yaml", f"cio_framework: 2\nname: S\nchecks: {{{first}: info}}\n")
    second, *others = rest
    _write(
        folder / "b.yaml",
        f"cio_framework: 2\nextends: builtin:us-federal\nchecks: {{{second}: error}}\n",
    )
    loaded = cio_framework.load(folder)
    assert loaded.name == "S"
    assert loaded.checks[first].value == "info"
    assert loaded.checks[second].value == "error"
    for name in others:
        assert loaded.checks[name] == base.checks[name]


def test_upgrade_keeps_a_tag_on_the_version_number():
    assert upgrade_text("cio_framework: !!int 1\nname: x\n") == "cio_framework: !!int 2\nname: x\n"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_upgrade_keeps_a_quoted_tagged_version_number_quoted(tmp_path, capsys, quote):
    """``!!int "1"`` loads as version 1: it is upgraded inside its quotes."""
    text = f"cio_framework: !!int {quote}1{quote}  # v\nname: x\n"
    upgraded = f"cio_framework: !!int {quote}2{quote}  # v\nname: x\n"
    assert cio_framework.loads(text).name == "x"
    assert upgrade_text(text) == upgraded
    assert upgrade_text(upgraded) == upgraded
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["upgrade", str(path), "-o", str(tmp_path / "b.yaml")]) == 0
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == upgraded


@pytest.mark.parametrize("version", ['"1"', '!!int " 1"', "!!int '1.0'"])
def test_upgrade_refuses_a_version_that_is_no_plain_or_tagged_number(version):
    with pytest.raises(ValueError, match="no top-level"):
        upgrade_text(f"cio_framework: {version}\nname: x\n")


def test_upgrade_refuses_an_anchored_version_number_with_a_reason(tmp_path, capsys):
    """Aliases of an anchored version would change with it: refused, a usage
    error saying why, and nothing written."""
    text = "cio_framework: &v 1\nname: x\nx-v: *v\n"
    with pytest.raises(ValueError, match="anchor"):
        upgrade_text(text)
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["upgrade", str(path), "-o", str(tmp_path / "b.yaml")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "carries an anchor" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "b.yaml").exists()
