"""Backstage catalogues in and out (cio_framework.interop.backstage)."""

from __future__ import annotations

import os
import pathlib
import random
import re
import tempfile

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.config import Limits
from cio_framework.exceptions import Severity
from cio_framework.interop.backstage import read_backstage, read_backstage_text, write_backstage
from cio_framework.model import (
    DEFAULT_LEVELS,
    Department,
    Exchange,
    Person,
    Platform,
    Resource,
    System,
)
from cio_framework.model._base import valid_id
from cio_framework.testing import landscapes, make_scenario

DATA = pathlib.Path(__file__).parent / "data" / "backstage"
ROOT = DATA / "catalog-info.yaml"
LANDSCAPE = ("departments", "people", "systems", "platforms", "resources", "exchanges")


def at(text, needle, nth=0):
    """1-based (line, column) of the nth occurrence of ``needle`` in ``text``."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def entity(kind, name, spec=None, namespace=None, extra=""):
    """One entity document as text."""
    lines = ["apiVersion: backstage.io/v1alpha1", f"kind: {kind}", "metadata:", f"  name: {name}"]
    if namespace:
        lines.append(f"  namespace: {namespace}")
    lines.append("spec:" if spec else "spec: {}")
    lines.extend(f"  {line}" for line in (spec or []))
    return "\n".join(lines) + "\n" + extra


def catalog(*documents):
    return "---\n".join(documents)


def value_at(text, needle, nth=0):
    """1-based (line, column) of the value after ``key: `` in ``needle``."""
    line, column = at(text, needle, nth)
    return line, column + needle.index(": ") + 2


def item_at(text, needle):
    """1-based (line, column) of the first item of a flow list ``needle``."""
    line, column = at(text, needle)
    return line, column + 1


def located(found, code):
    return [(p.line, p.column, p.severity) for p in found.problems if p.code == code]


ORG = [
    entity("Group", "epb", ["type: bureau", "children: []"]),
    entity("Group", "msb", ["type: bureau", "children: []"]),
]


# -- the fixture catalogue ------------------------------------------------------


def kinds_written():
    """The entities of the fixture files, counted from their ``kind:`` lines."""
    counts = {}
    for path in DATA.rglob("*.yaml"):
        for line in path.read_text().splitlines():
            match = re.fullmatch(r"kind: (\w+)", line)
            if match:
                counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


def test_fixture_counts():
    """The fixture catalogue imports every entity its files hold, counted per kind."""
    found = read_backstage([ROOT])
    assert dict(found.counts) == kinds_written()
    assert found.ok


def test_fixture_warnings():
    """The fixture's only problems are its System and Domain, which are not mapped."""
    found = read_backstage([ROOT])
    text = (DATA / "systems.yaml").read_text()
    assert [(p.file, p.line, p.column, p.severity, p.code) for p in found.problems] == [
        (str(DATA / "systems.yaml"), *at(text, "Domain"), Severity.WARNING, "not-mapped"),
        (str(DATA / "systems.yaml"), *at(text, "System"), Severity.WARNING, "not-mapped"),
    ]


def test_fixture_mapping():
    """Groups, users, components, resources and APIs map as the module defines."""
    data = read_backstage([ROOT]).data
    parents = {d["id"]: d.get("parent") for d in data["departments"]}
    assert parents == {
        "city-hall": None,
        "planning": "city-hall",
        "transport": "city-hall",
        "open-data": "city-hall",  # only city-hall's children names it
    }
    assert {s["id"]: s["department"] for s in data["systems"]} == {
        "permit-portal": "planning",
        "traffic-sensors": "transport",
        "data-hub": "open-data",
        "address-register": "planning",  # owned by user:alice, of planning
    }
    assert {s["id"]: s.get("status", "in_use") for s in data["systems"]} == {
        "permit-portal": "in_use",
        "traffic-sensors": "planned",
        "data-hub": "in_use",
        "address-register": "retired",
    }
    assert {r["id"]: (r["owner"], r["held_in"]) for r in data["resources"]} == {
        "permits-api": ("planning", "permit-portal"),
        "traffic-api": ("transport", "traffic-sensors"),
        "address-api": ("planning", "address-register"),
    }
    assert {p["id"]: p["operator"] for p in data["platforms"]} == {
        "city-db": "city-hall",
        "gov-cloud": "open-data",
    }
    exchanges = {(e["from"], e["to"], tuple(e.get("resources", ()))) for e in data["exchanges"]}
    assert exchanges == {
        ("address-register", "permit-portal", ("address-api",)),
        ("permit-portal", "data-hub", ("permits-api",)),
        ("traffic-sensors", "data-hub", ("traffic-api",)),
        ("permit-portal", "city-db", ()),
        ("traffic-sensors", "gov-cloud", ()),
        ("data-hub", "permit-portal", ()),
        ("data-hub", "gov-cloud", ()),  # gov-cloud's dependencyOf
    }
    assert len(data["exchanges"]) == len(exchanges)


def test_fixture_people_and_namespaces():
    """Two users named alice in two namespaces are two people, members kept."""
    data = read_backstage([ROOT]).data
    assert {p["id"]: (p.get("name"), p.get("x-backstage-memberOf")) for p in data["people"]} == {
        "alice": ("Alice Moreau", ["planning"]),
        "contractors/alice": ("Alice Brandt", ["open-data"]),
        "bob": (None, ["transport"]),
        "carol": ("Carol Osei", ["open-data"]),  # open-data lists carol as member
    }


def test_fixture_loads_as_scenario():
    """The imported data loads as a scenario."""
    scenario = read_backstage([ROOT]).scenario()
    assert len(scenario.systems) == 4
    assert len(scenario.exchanges) == 7


def test_folder_given():
    """A folder given reads each of its catalogue files once, Locations included."""
    assert read_backstage([DATA]).data == read_backstage([ROOT]).data


def test_file_order_does_not_matter():
    """Giving the files in another order gives the same data."""
    files = sorted(DATA.rglob("*.yaml"))
    first = read_backstage(files).data
    for seed in range(3):
        random.Random(seed).shuffle(files)
        assert read_backstage(files).data == first


# -- order independence ------------------------------------------------------------


def _documents():
    docs = []
    for path in sorted(DATA.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc["kind"] != "Location":
                docs.append(doc)
    return docs


@settings(max_examples=25)
@given(st.randoms(use_true_random=False))
def test_document_and_list_order_does_not_matter(rnd):
    """Shuffling documents and every list inside them gives the same data."""
    docs = _documents()
    baseline = read_backstage_text(yaml.safe_dump_all(docs)).data
    for doc in docs:
        for key, value in doc["spec"].items():
            if isinstance(value, list):
                rnd.shuffle(value)
                doc["spec"][key] = value
    rnd.shuffle(docs)
    assert read_backstage_text(yaml.safe_dump_all(docs)).data == baseline


# -- references -----------------------------------------------------------------------


def test_default_namespace_is_the_referring_entitys():
    """An owner without a namespace is looked up in the component's namespace."""
    text = catalog(
        entity("Group", "team", ["type: team", "children: []"]),
        entity("Group", "team", ["type: team", "children: []"], namespace="ops"),
        entity(
            "Component",
            "svc",
            ["type: service", "lifecycle: production", "owner: team"],
            namespace="ops",
        ),
    )
    data = read_backstage_text(text).data
    assert data["systems"][0]["department"] == "ops/team"
    assert sorted(d["id"] for d in data["departments"]) == ["ops/team", "team"]


def test_kinds_and_names_compare_in_lower_case():
    """``kind: component`` and ``Group:EPB`` find the entities they name."""
    text = catalog(
        *ORG,
        "apiVersion: backstage.io/v1alpha1\nkind: component\nmetadata: {name: a}\n"
        "spec: {type: service, lifecycle: production, owner: 'Group:EPB'}\n",
    )
    found = read_backstage_text(text)
    assert found.data["systems"] == [
        {"id": "a", "name": "a", "department": "epb", "x-backstage-type": "service"}
    ]
    assert found.counts["Component"] == 1


def test_shared_names_take_their_kind():
    """A component and an API both named petstore get distinct ids; the component
    keeps the name."""
    text = catalog(
        *ORG,
        entity(
            "Component",
            "petstore",
            ["type: service", "lifecycle: production", "owner: epb", "providesApis: [petstore]"],
        ),
        entity(
            "API",
            "petstore",
            ["type: openapi", "lifecycle: production", "owner: epb", "definition: x"],
        ),
        entity("Group", "local", ["type: team", "children: []"]),
    )
    data = read_backstage_text(text).data
    assert [r["id"] for r in data["resources"]] == ["api:petstore"]
    assert data["resources"][0]["held_in"] == "petstore"
    assert "group:local" in {d["id"] for d in data["departments"]}
    assert read_backstage_text(text).scenario()


# -- quirks, each located -------------------------------------------------------------


def _component(name, *lines, owner="epb"):
    return entity(
        "Component", name, ["type: service", "lifecycle: production", f"owner: {owner}", *lines]
    )


def test_consumes_a_component():
    """consumesApis naming a Component is a located warning; no exchange."""
    text = catalog(*ORG, _component("a"), _component("b", "consumesApis: [component:a]"))
    found = read_backstage_text(text, file="c.yaml")
    assert located(found, "wrong-kind") == [(*at(text, "component:a"), Severity.WARNING)]
    assert found.problems[0].file == "c.yaml"
    assert "exchanges" not in found.data


def test_dangling_reference():
    """A reference to nothing is a located warning; the exchange is left out."""
    text = catalog(*ORG, _component("a", "dependsOn: [component:ghost, resource:db]"))
    found = read_backstage_text(text)
    assert located(found, "dangling-reference") == [
        (*at(text, "component:ghost"), Severity.WARNING),
        (*at(text, "resource:db"), Severity.WARNING),
    ]
    assert "exchanges" not in found.data
    assert found.ok


def test_depends_on_needs_a_kind():
    """dependsOn has no default kind: a bare name is a located warning."""
    text = catalog(*ORG, _component("a"), _component("b", "dependsOn: [a]"))
    found = read_backstage_text(text)
    assert located(found, "bad-value") == [(*item_at(text, "[a]"), Severity.WARNING)]


def test_unknown_spec_field_kept():
    """An unknown spec field is a located warning and kept as x-backstage data."""
    text = catalog(*ORG, _component("a", "criticality: high"))
    found = read_backstage_text(text)
    assert located(found, "unknown-key") == [(*at(text, "criticality"), Severity.WARNING)]
    assert found.data["systems"][0]["x-backstage-criticality"] == "high"
    assert found.scenario().systems[0].extensions["x-backstage-criticality"] == "high"


def test_unknown_top_level_field():
    """An unknown top-level field is a located warning."""
    text = catalog(*ORG, "colour: red\n" + _component("a"))
    assert located(read_backstage_text(text), "unknown-key") == [
        (*at(text, "colour"), Severity.WARNING)
    ]


def test_unmapped_kind():
    """A Template is counted and warned about at its kind."""
    text = catalog(*ORG, entity("Template", "new-service", ["type: service"]))
    found = read_backstage_text(text)
    assert located(found, "not-mapped") == [(*at(text, "Template"), Severity.WARNING)]
    assert found.counts["Template"] == 1


def test_name_with_a_space():
    """A name with a space is an error at the name; the rest is imported."""
    text = catalog(*ORG, _component("good"), _component("bad name"))
    found = read_backstage_text(text, file="c.yaml")
    assert [(p.file, p.line, p.column, p.severity) for p in found.problems] == [
        ("c.yaml", *at(text, "bad name"), Severity.ERROR)
    ]
    assert [s["id"] for s in found.data["systems"]] == ["good"]
    assert found.counts["Component"] == 1


@pytest.mark.parametrize("name", ["a" * 64, "-lead", "trail.", "a/b", "ü", "''"])
def test_names_backstage_refuses(name):
    """Names Backstage refuses are errors at the name."""
    text = catalog(*ORG, _component(name))
    found = read_backstage_text(text)
    assert [(p.line, p.column, p.severity) for p in found.problems] == [
        (*at(text, name), Severity.ERROR)
    ]
    assert "systems" not in found.data


def test_longest_name():
    """A name of 63 characters, and one with two separators in a row, are accepted."""
    text = catalog(*ORG, _component("a" * 63), _component("a--b"))
    assert read_backstage_text(text).ok


@pytest.mark.parametrize("missing", ["apiVersion", "kind", "metadata"])
def test_missing_envelope_field(missing):
    """An entity without apiVersion, kind or metadata is an error at its start."""
    body = entity("Component", "x", ["type: service", "lifecycle: production", "owner: epb"])
    lines = [
        line
        for line in body.splitlines()
        if not line.startswith(missing) and not (missing == "metadata" and "name: x" in line)
    ]
    text = catalog(*ORG, "\n".join(lines) + "\n")
    found = read_backstage_text(text)
    start = at(text, lines[0], nth=text.count(lines[0]) - 1)
    assert [(p.line, p.column, p.severity, p.code) for p in found.problems] == [
        (*start, Severity.ERROR, "missing-field")
    ]


def test_missing_name():
    """metadata without a name is an error at metadata."""
    text = catalog(
        *ORG,
        "apiVersion: backstage.io/v1alpha1\nkind: Group\n"
        "metadata:\n  title: Nameless\nspec: {type: team}\n",
    )
    found = read_backstage_text(text)
    assert [(p.line, p.column, p.code) for p in found.problems] == [
        (*at(text, "title: Nameless"), "missing-field")
    ]


def test_duplicate_entity():
    """The same kind, namespace and name twice (in any case) is an error; one is kept."""
    text = catalog(*ORG, _component("svc"), _component("SVC", owner="msb"))
    found = read_backstage_text(text)
    assert [(p.line, p.column, p.severity, p.code) for p in found.problems] == [
        (*value_at(text, "name: svc"), Severity.ERROR, "duplicate-id")
    ]
    assert found.data["systems"][0]["id"] == "SVC"  # the least name is kept
    reordered = catalog(*ORG, _component("SVC", owner="msb"), _component("svc"))
    assert read_backstage_text(reordered).data == found.data


def test_owner_user_of_several_groups():
    """A user owner in two groups gives the least group, with a located warning."""
    text = catalog(
        *ORG, entity("User", "jo", ["memberOf: [msb, epb]"]), _component("a", owner="user:jo")
    )
    found = read_backstage_text(text)
    assert found.data["systems"][0]["department"] == "epb"
    assert located(found, "ambiguous") == [(*at(text, "user:jo"), Severity.WARNING)]


def test_owner_user_without_group():
    """A user owner in no group leaves the component out, with a located error."""
    text = catalog(*ORG, entity("User", "jo", ["memberOf: []"]), _component("a", owner="user:jo"))
    found = read_backstage_text(text)
    assert "systems" not in found.data
    assert [(p.line, p.column, p.severity) for p in found.problems] == [
        (*at(text, "user:jo"), Severity.ERROR)
    ]


def test_owner_missing():
    """A component whose owner group is not in the catalogue is left out (an error)."""
    text = catalog(*ORG, _component("a", owner="ghosts"))
    found = read_backstage_text(text)
    assert located(found, "dangling-reference") == [(*at(text, "ghosts"), Severity.ERROR)]


def test_api_of_two_providers():
    """An API that two components provide is held in the least, with a warning."""
    text = catalog(
        *ORG,
        _component("zeta", "providesApis: [feed]"),
        _component("alpha", "providesApis: [feed]"),
        entity(
            "API", "feed", ["type: openapi", "lifecycle: production", "owner: epb", "definition: x"]
        ),
    )
    found = read_backstage_text(text)
    assert found.data["resources"][0]["held_in"] == "alpha"
    assert located(found, "ambiguous") == [(*value_at(text, "name: feed"), Severity.WARNING)]


def test_consumed_api_that_nobody_provides():
    """Consuming an API no component provides makes no exchange, with a warning."""
    text = catalog(
        *ORG,
        _component("a", "consumesApis: [feed]"),
        entity(
            "API", "feed", ["type: openapi", "lifecycle: production", "owner: epb", "definition: x"]
        ),
    )
    found = read_backstage_text(text)
    assert located(found, "dangling-reference") == [(*item_at(text, "[feed]"), Severity.WARNING)]


def test_group_listed_as_child_by_two_parents():
    """A group two groups list as child, without a parent of its own: the least id."""
    text = catalog(
        entity("Group", "b", ["type: team", "children: [c]"]),
        entity("Group", "a", ["type: team", "children: [c]"]),
        entity("Group", "c", ["type: team", "children: []"]),
    )
    found = read_backstage_text(text)
    assert {d["id"]: d.get("parent") for d in found.data["departments"]}["c"] == "a"
    assert located(found, "ambiguous") == [(*value_at(text, "name: c"), Severity.WARNING)]


def test_unsafe_tag():
    """A Python tag builds nothing: a located error, the value left out."""
    text = catalog(*ORG, _component("a", "x: !!python/object/apply:os.system ['true']"))
    found = read_backstage_text(text)
    assert [(p.line, p.column, p.code) for p in found.problems if p.severity is Severity.ERROR] == [
        (*at(text, "!!python"), "unsafe-tag")
    ]
    assert "x-backstage-x" not in found.data["systems"][0]


def test_syntax_error():
    """A YAML syntax error is located; the documents before it are read."""
    text = catalog(*ORG, "kind: [unclosed\n")
    found = read_backstage_text(text)
    assert [p.code for p in found.problems] == ["syntax"]
    assert len(found.data["departments"]) == 2


def test_yes_is_a_name():
    """``name: yes`` is a name, as in Backstage's YAML 1.2, not ``true``."""
    text = catalog(*ORG, _component("yes"))
    assert read_backstage_text(text).data["systems"][0]["id"] == "yes"


def test_non_mapping_document():
    """A document that is not a mapping is an error."""
    found = read_backstage_text(catalog(*ORG, "- a list\n"))
    assert [(p.code, p.severity) for p in found.problems] == [("wrong-type", Severity.ERROR)]


# -- files and Locations --------------------------------------------------------------


def _location(*targets, name="loc"):
    lines = ["targets:"] + [f"  - {t}" for t in targets]
    return entity("Location", name, lines)


@pytest.fixture
def tree(tmp_path):
    """A catalogue folder inside tmp_path, beside a secret file outside it."""
    root = tmp_path / "catalog"
    root.mkdir()
    (tmp_path / "secret.yaml").write_text(entity("Group", "secret", ["type: team"]))
    (root / "org.yaml").write_text(catalog(*ORG))
    return root


def _refused(tree, target):
    text = _location("./org.yaml", target)
    (tree / "catalog-info.yaml").write_text(text)
    found = read_backstage([tree / "catalog-info.yaml"])
    assert {p.file for p in found.problems} == {str(tree / "catalog-info.yaml")}
    assert "secret" not in {d["id"] for d in found.data["departments"]}
    assert len(found.data["departments"]) == 2
    return found, text


@pytest.mark.parametrize(
    "target", ["../secret.yaml", "../../etc/passwd", "./sub/../../secret.yaml"]
)
def test_target_escaping_the_folder(tree, target):
    """A target leading out of the folder is refused with a located warning."""
    found, text = _refused(tree, target)
    assert [(p.line, p.column, p.severity, p.code) for p in found.problems] == [
        (*at(text, target), Severity.WARNING, "io")
    ]
    assert "outside" in found.problems[0].message


def test_absolute_target(tree):
    """An absolute target is refused, even to a readable catalogue file."""
    target = str(tree.parent / "secret.yaml")
    found, text = _refused(tree, target)
    assert [(p.line, p.column, p.code) for p in found.problems] == [(*at(text, target), "io")]
    assert "absolute" in found.problems[0].message


@pytest.mark.parametrize(
    "target",
    ["https://example.org/catalog-info.yaml", "file:///etc/passwd", "//host/share.yaml"],
)
def test_url_target(tree, target):
    """A URL target is refused with a located warning."""
    found, text = _refused(tree, target)
    assert [(p.line, p.column, p.code) for p in found.problems] == [(*at(text, target), "io")]


def test_glob_target(tree):
    """A glob target is refused with a located warning."""
    found, text = _refused(tree, "./*.yaml")
    assert [(p.line, p.column) for p in found.problems] == [at(text, "./*.yaml")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_link_out(tree):
    """A link inside the folder to a file outside it is not followed."""
    (tree / "inside.yaml").symlink_to(tree.parent / "secret.yaml")
    found, text = _refused(tree, "./inside.yaml")
    assert [(p.line, p.column, p.code) for p in found.problems] == [
        (*at(text, "./inside.yaml"), "io")
    ]
    assert "link" in found.problems[0].message


def test_missing_target(tree):
    """A target that does not exist is a located warning, unless optional."""
    found, text = _refused(tree, "./nowhere.yaml")
    assert [(p.line, p.column) for p in found.problems] == [at(text, "./nowhere.yaml")]
    (tree / "catalog-info.yaml").write_text(
        _location("./org.yaml", "./nowhere.yaml").replace("spec:", "spec:\n  presence: optional")
    )
    assert read_backstage([tree / "catalog-info.yaml"]).problems == ()


def test_location_cycle(tree):
    """Locations that point at each other read each file once."""
    (tree / "a.yaml").write_text(_location("./b.yaml", "./org.yaml", name="a"))
    (tree / "b.yaml").write_text(_location("./a.yaml", "a.yaml", "sub/../a.yaml", name="b"))
    found = read_backstage([tree / "a.yaml"])
    assert found.ok
    assert found.problems == ()
    assert dict(found.counts) == {"Group": 2, "Location": 2}


def test_subfolder_target_reaches_back_inside(tree):
    """A Location in a subfolder may name a file elsewhere inside the root folder."""
    (tree / "teams").mkdir()
    (tree / "teams" / "all.yaml").write_text(_location("../org.yaml"))
    found = read_backstage([tree / "teams" / "all.yaml", tree / "org.yaml"])
    assert found.problems == ()
    assert len(found.data["departments"]) == 2


def test_alias_bomb(tree):
    """An alias bomb is a located error; the file's other documents are read."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    text = catalog(*ORG, bomb)
    (tree / "org.yaml").write_text(text)
    found = read_backstage([tree / "org.yaml"])
    assert [(p.code, p.severity) for p in found.problems] == [("limit", Severity.ERROR)]
    assert found.problems[0].line >= at(text, "a: &a")[0]
    assert len(found.data["departments"]) == 2


def test_huge_file(tree):
    """A file over the size limit is refused, given or reached by a Location."""
    (tree / "big.yaml").write_text(entity("Group", "big", ["type: team"]) + "#" * 5000 + "\n")
    (tree / "catalog-info.yaml").write_text(_location("./org.yaml", "./big.yaml"))
    found = read_backstage([tree / "catalog-info.yaml"], limits=Limits(max_bytes=4000))
    assert [(p.file, p.code) for p in found.problems] == [(str(tree / "big.yaml"), "limit")]
    assert len(found.data["departments"]) == 2
    found = read_backstage([tree / "big.yaml"], limits=Limits(max_bytes=4000))
    assert [p.code for p in found.problems] == ["limit"]
    assert "departments" not in found.data


def test_text_locations_not_followed():
    """read_backstage_text reads no file: a Location's targets are warned about."""
    text = _location("./org.yaml")
    found = read_backstage_text(text)
    assert [(p.line, p.column, p.code) for p in found.problems] == [(*at(text, "./org.yaml"), "io")]


def test_not_utf8(tree):
    """A file that is not UTF-8 is a located problem."""
    (tree / "bad.yaml").write_bytes(b"kind: \xff\n")
    found = read_backstage([tree / "bad.yaml"])
    assert [(p.code, p.line, p.column) for p in found.problems] == [("encoding", 1, 7)]


# -- writing and reading back ------------------------------------------------------------


def _write(files, folder):
    for name, text in files.items():
        (pathlib.Path(folder) / name).write_text(text, encoding="utf-8")


def _landscape(scenario):
    """What the mapping keeps: the landscape's elements, each list sorted."""
    data = cio_framework.unstructure(scenario)
    result = {}
    for key in LANDSCAPE:
        items = data.get(key, [])
        if key == "people":
            items = [
                {**p, "x-backstage-memberOf": sorted(set(p["x-backstage-memberOf"]))}
                if "x-backstage-memberOf" in p
                else p
                for p in items
            ]
        result[key] = sorted(items, key=repr)
    return result


def _round_trip(scenario):
    files = write_backstage(scenario)
    with tempfile.TemporaryDirectory() as folder:
        _write(files, folder)
        found = read_backstage([pathlib.Path(folder) / "catalog-info.yaml"])
    assert found.problems == (), [str(p) for p in found.problems]
    return found


@settings(max_examples=60, deadline=None)
@given(landscapes())
def test_round_trip(scenario):
    """Writing a landscape and reading it back gives the same elements and ids."""
    found = _round_trip(scenario)
    assert _landscape(found.scenario()) == _landscape(scenario)
    assert found.data["name"] == scenario.name


#: ids a scenario may give its elements: not "local", nor a default level's
#: ("strategic", "executive" ...), which a scenario without levels has
_hard_ids = st.text(min_size=1, max_size=80).filter(
    lambda s: valid_id(s, reserved=("local", *(level.id for level in DEFAULT_LEVELS))) is None
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_hard_ids, min_size=5, max_size=5, unique=True), st.text(max_size=20))
def test_round_trip_of_ids_that_are_no_names(ids, text):
    """Ids that are no Backstage names (spaces, colons, other scripts, 80 characters,
    case twins) and any text survive a round trip."""
    d1, d2, system, platform, resource = ids
    scenario = make_scenario(
        people=[Person(id=f"{d1}-p", name=text, extensions={"x-backstage-memberOf": [d2, d1]})],
        roles=[],
        departments=[
            Department(id=d1, name=text, kind=text or None),
            Department(id=d2, name=d2, parent=d1, note=text),
        ],
        systems=[System(id=system, name=text, department=d2, hosted_on=platform)],
        platforms=[Platform(id=platform, name=text)],
        resources=[Resource(id=resource, name=text, owner=d1, held_in=system)],
        exchanges=[
            Exchange(from_=system, to=platform, resources=[resource], note=text),
            Exchange(from_=system, to=platform),
            Exchange(from_=platform, to=platform, via=platform),
        ],
        bodies=[],
    )
    found = _round_trip(scenario)
    assert _landscape(found.scenario()) == _landscape(scenario)


def test_case_twins_get_distinct_names():
    """Ids that differ only in case are written as distinct Backstage names."""
    scenario = make_scenario(
        people=[],
        roles=[],
        bodies=[],
        departments=[Department(id="EPB", name="A"), Department(id="epb", name="B")],
    )
    names = [
        d["metadata"]["name"] for d in yaml.safe_load_all(write_backstage(scenario)["org.yaml"])
    ]
    assert len({n.lower() for n in names}) == 2
    assert _landscape(_round_trip(scenario).scenario()) == _landscape(scenario)


def test_written_entities_are_valid_backstage():
    """Every written entity has a valid name, backstage.io/v1alpha1 and its kind's
    required fields."""
    files = write_backstage(read_backstage([ROOT]).scenario())
    required = {
        "Group": {"type", "children"},
        "User": {"memberOf"},
        "Component": {"type", "lifecycle", "owner"},
        "API": {"type", "lifecycle", "owner", "definition"},
        "Resource": {"type", "owner"},
        "Location": {"targets"},
    }
    for text in files.values():
        for doc in yaml.safe_load_all(text):
            assert doc["apiVersion"] == "backstage.io/v1alpha1"
            assert re.fullmatch(r"[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*", doc["metadata"]["name"])
            assert required[doc["kind"]] <= set(doc["spec"])


def test_fixture_round_trip():
    """The fixture's scenario, written and read back, is the same scenario."""
    scenario = read_backstage([ROOT]).scenario()
    assert _landscape(_round_trip(scenario).scenario()) == _landscape(scenario)


def test_no_yaml_injection():
    """Text that looks like YAML structure stays text."""
    evil = "x\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: evil}"
    scenario = make_scenario(
        people=[],
        roles=[],
        bodies=[],
        departments=[Department(id="d", name=evil, note="]: {&a *a", kind="'\"")],
        systems=[System(id="s: x", name="- [1]", department="d")],
    )
    files = write_backstage(scenario)
    assert sum(len(list(yaml.safe_load_all(t))) for t in files.values()) == 3
    data = _round_trip(scenario).data
    assert data["departments"] == [{"id": "d", "name": evil, "kind": "'\"", "note": "]: {&a *a"}]


# -- arbitrary catalogues ---------------------------------------------------------------

_NAMES = st.sampled_from(["a", "b", "A", "c.d", "bad name", "local", "support", "x" * 64])
_REFS = st.sampled_from(
    [
        "a",
        "b",
        "group:a",
        "Group:B",
        "user:a",
        "api:a",
        "component:ops/a",
        "resource:b",
        "x:",
        ":a",
        "a/",
        "system:a",
    ]
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | _REFS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=5,
)
_FIELDS = st.sampled_from(
    [
        "type",
        "lifecycle",
        "owner",
        "parent",
        "children",
        "members",
        "memberOf",
        "profile",
        "providesApis",
        "consumesApis",
        "dependsOn",
        "dependencyOf",
        "system",
        "definition",
        "target",
        "targets",
        "criticality",
    ]
)
_KINDS = st.sampled_from(
    [
        "Group",
        "User",
        "Component",
        "API",
        "Resource",
        "System",
        "Location",
        "group",
        "component",
        "Widget",
    ]
)


@st.composite
def _entities(draw):
    spec = draw(st.dictionaries(_FIELDS, _REFS | st.lists(_REFS, max_size=3) | _VALUES, max_size=6))
    metadata = {"name": draw(_NAMES)}
    if draw(st.booleans()):
        metadata["namespace"] = draw(st.sampled_from(["default", "ops", "Bad_NS"]))
    for key in ("title", "description", "tags"):
        if draw(st.booleans()):
            metadata[key] = draw(_VALUES)
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": draw(_KINDS),
        "metadata": metadata,
        "spec": spec,
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(_entities(), max_size=8))
def test_any_catalogue_imports_and_loads(entities):
    """Any catalogue imports without a traceback, and what it gives loads as a scenario."""
    found = read_backstage_text(yaml.safe_dump_all(entities))
    found.scenario()
    assert sum(found.counts.values()) <= len(entities)


# -- the loader's rules: an element that breaks one is reported, never lost ---------


def _annotated(name, fields, *lines):
    """A component of epb whose fields annotation is ``fields`` (YAML text, one line)."""
    return (
        "\n".join(
            [
                "apiVersion: backstage.io/v1alpha1",
                "kind: Component",
                "metadata:",
                f"  name: {name}",
                "  annotations:",
                f"    cio-framework.io/fields: '{fields}'",
                "spec:",
                "  type: service",
                "  lifecycle: production",
                "  owner: epb",
                *(f"  {line}" for line in lines),
            ]
        )
        + "\n"
    )


@pytest.mark.parametrize(
    ("fields", "key", "hint"),
    [
        ("{hostd_on: a}", "hostd_on", "did you mean 'hosted_on'?"),
        ("{illustrativ: true}", "illustrativ", "did you mean 'illustrative'?"),
        ("{criticality: high}", "criticality", None),
    ],
)
def test_an_unknown_key_in_the_fields_annotation_is_an_error_at_the_key(fields, key, hint):
    """A key of the fields annotation no system has: an error located at the key
    inside the annotation, with the nearest key as hint; salvage leaves the
    system out, and the problem says so."""
    text = catalog(*ORG, _annotated("mon", fields))
    found = read_backstage_text(text, file="c.yaml")
    assert not found.ok
    errors = [p for p in found.problems if p.severity is Severity.ERROR]
    assert [(p.file, p.line, p.column, p.code) for p in errors] == [
        ("c.yaml", *at(text, key + ":"), "unknown-key")
    ]
    assert f"unknown key {key!r}" in errors[0].message
    assert errors[0].message.endswith("system 'mon' is left out")
    assert errors[0].path == "$.systems[0]." + key
    if hint is not None:
        assert errors[0].hint == hint
    assert errors[0].source_line == text.splitlines()[errors[0].line - 1]
    salvaged = found.salvage()
    assert [d.id for d in salvaged.dropped] == ["mon"]
    assert salvaged.scenario.systems == ()


def test_a_key_of_a_block_annotation_is_located_on_its_own_line():
    """In a block scalar annotation the unknown key is found on its line."""
    text = catalog(
        *ORG,
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: mon\n"
        "  annotations:\n    cio-framework.io/fields: |\n      users: 3\n      hostd_on: a\n"
        "spec: {type: service, lifecycle: production, owner: epb}\n",
    )
    found = read_backstage_text(text)
    assert [(p.line, p.column) for p in found.problems if p.code == "unknown-key"] == [
        at(text, "hostd_on")
    ]


def test_a_value_the_loader_refuses_is_an_error_at_the_annotation():
    """A field value of the wrong type: an error at the annotation (its key), the
    system left out."""
    text = catalog(*ORG, _annotated("mon", "{users: many}"))
    found = read_backstage_text(text)
    errors = [p for p in found.problems if p.severity is Severity.ERROR]
    assert [(p.line, p.column) for p in errors] == [at(text, "users:")]
    assert errors[0].message.endswith("system 'mon' is left out")


def test_what_names_an_element_left_out_is_left_out_with_an_error_each():
    """The exchange of a system left out, and the API held in it: each an error
    at the reference that made it (or at its entity), none lost."""
    api = entity(
        "API", "feed", ["type: openapi", "lifecycle: production", "owner: epb", "definition: x"]
    )
    text = catalog(
        *ORG,
        _annotated("mon", "{hostd_on: a}", "providesApis: [feed]"),
        _component("reg", "dependsOn: [component:mon]"),
        api,
    )
    found = read_backstage_text(text, file="c.yaml")
    errors = {p.path: p for p in found.problems if p.severity is Severity.ERROR}
    assert set(errors) == {"$.systems[0].hostd_on", "$.exchanges[0].to", "$.resources[0].held_in"}
    assert (errors["$.exchanges[0].to"].line, errors["$.exchanges[0].to"].column) == item_at(
        text, "[component:mon]"
    )
    assert errors["$.exchanges[0].to"].message.endswith("exchange $.exchanges[0] is left out")
    api_starts = at(text, "apiVersion: backstage.io/v1alpha1\nkind: API")
    assert (errors["$.resources[0].held_in"].line, errors["$.resources[0].held_in"].column) == (
        api_starts
    )  # held_in comes from another entity's providesApis: the API's own line
    assert errors["$.resources[0].held_in"].message.endswith("resource 'feed' is left out")
    salvaged = found.salvage()
    assert {(d.collection, d.id) for d in salvaged.dropped} == {
        ("systems", "mon"),
        ("exchanges", None),
        ("resources", "feed"),
    }
