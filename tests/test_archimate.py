"""ArchiMate Open Exchange Format import and export (cio_framework.interop.archimate)."""

from __future__ import annotations

import json
import os
import random
import re
import tracemalloc
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings

import cio_framework
from cio_framework.exceptions import Severity
from cio_framework.interop import Imported
from cio_framework.interop._archimate_xml import MAX_DEPTH, decode_identifier, encode_identifier
from cio_framework.interop.archimate import read_archimate, read_archimate_text, write_archimate
from cio_framework.testing import ids, landscapes, make_scenario

DATA = Path(__file__).parent / "data" / "archimate"
INSURER = DATA / "insurer.xml"
NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
KINDS = ("departments", "roles", "systems", "platforms", "resources", "exchanges")

#: A folder holding the OEF XSDs (archimate3_Model.xsd, archimate3_Diagram.xsd,
#: archimate3_View.xsd, xml.xsd), for example extracted from Archi's
#: org.opengroup.archimate.xmlexchange/xsd. Schema tests skip without it.
XSD_DIR = os.environ.get("CIO_FRAMEWORK_OEF_XSD")


def head(body: str) -> str:
    """A minimal model around ``body``."""
    return (
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m">\n'
        f"  <name>Test</name>\n{body}</model>\n"
    )


def element(identifier: str, kind: str, name: str = "x") -> str:
    return f'<element identifier="{identifier}" xsi:type="{kind}"><name>{name}</name></element>\n'


def relationship(identifier: str, kind: str, source: str, target: str) -> str:
    return (
        f'<relationship identifier="{identifier}" xsi:type="{kind}" '
        f'source="{source}" target="{target}"/>\n'
    )


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle``."""
    return text[: text.index(needle)].count("\n") + 1


def by_id(found: Imported, kind: str) -> dict[str, dict]:
    return {r["id"]: r for r in found.data.get(kind, [])}


def rows(data, kind: str) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in data.get(kind, []))


def errors(found: Imported) -> list:
    return [p for p in found.problems if p.severity is Severity.ERROR]


def warnings(found: Imported) -> list:
    return [p for p in found.problems if p.severity is Severity.WARNING]


@pytest.fixture(scope="module")
def insurer() -> Imported:
    return read_archimate(INSURER)


# ------------------------------------------------------------------ the fixture


def test_fixture_counts_every_type(insurer):
    """The counts are the elements and relationships of each xsi:type in the file."""
    text = INSURER.read_text(encoding="utf-8")
    expected = Counter(re.findall(r'<(?:element|relationship)\s[^>]*xsi:type="(\w+)"', text))
    assert dict(insurer.counts) == dict(expected)
    assert expected["ApplicationComponent"] == 5
    assert expected["Access"] == 5


def test_fixture_loads_as_a_scenario(insurer):
    """The insurer imports without errors and loads as a scenario."""
    assert insurer.ok, [str(p) for p in errors(insurer)]
    scenario = insurer.scenario()
    assert scenario.name == "Harbourline Mutual Insurance"
    assert len(scenario.systems) == 5
    assert len(scenario.platforms) == 4


def test_fixture_departments_and_roles(insurer):
    """Actors become departments, roles take their actor's department and level support."""
    departments = by_id(insurer, "departments")
    assert set(departments) == {
        "id-dept-service",
        "id-dept-claims",
        "id-dept-finance",
        "id-dept-itops",
        "unassigned",
    }
    assert departments["id-dept-service"]["name"] == "Customer Service"  # the English name
    assert departments["id-dept-service"]["note"].startswith("Front office")
    assert departments["unassigned"]["illustrative"] is True
    roles = by_id(insurer, "roles")
    assert roles["id-role-handler"]["department"] == "id-dept-claims"
    assert roles["id-role-agent"]["department"] == "id-dept-service"
    assert "department" not in roles["id-role-underwriter"]
    assert {r["level"] for r in roles.values()} == {"support"}
    assert roles["id-role-handler"]["title"] == "Claims Handler"


def test_fixture_systems(insurer):
    """Components take the department serving relationships give, hosting from Realization."""
    systems = by_id(insurer, "systems")
    departments = {k: v["department"] for k, v in systems.items()}
    assert departments == {
        "id-app-policy": "id-dept-service",
        "id-app-claims": "id-dept-claims",
        "id-app-portal": "id-dept-service",
        "id-app-ledger": "id-dept-finance",
        "id-app-archive": "unassigned",
    }
    assert systems["id-app-policy"]["hosted_on"] == "id-tech-mainframe"
    assert systems["id-app-claims"]["hosted_on"] == "id-tech-dbms"
    assert "hosted_on" not in systems["id-app-portal"]
    assert systems["id-app-claims"]["x-archimate-properties"] == {
        "Vendor": "ClaimSoft",
        "Lifecycle": "Invest",
    }
    assert systems["id-app-archive"]["status"] == "planned"  # a cio-framework: property


def test_fixture_platforms(insurer):
    """Node, Device, SystemSoftware and TechnologyService become platforms."""
    platforms = by_id(insurer, "platforms")
    assert set(platforms) == {
        "id-tech-mainframe",
        "id-tech-webserver",
        "id-tech-dbms",
        "id-tech-hosting",
    }
    assert platforms["id-tech-mainframe"]["operator"] == "id-dept-itops"
    assert "x-archimate-type" not in platforms["id-tech-mainframe"]
    assert platforms["id-tech-dbms"]["x-archimate-type"] == "SystemSoftware"


def test_fixture_resources(insurer):
    """Data objects are held in the accessing component, owned by its department or an associated actor."""
    resources = by_id(insurer, "resources")
    held = {k: (v.get("held_in"), v["owner"]) for k, v in resources.items()}
    assert held == {
        "id-data-policy": ("id-app-policy", "id-dept-service"),
        "id-data-claim": ("id-app-claims", "id-dept-claims"),
        "id-data-customer": ("id-app-policy", "id-dept-service"),  # least of two
        "id-data-invoice": ("id-app-ledger", "id-dept-finance"),
        "id-data-scan": (None, "unassigned"),
    }


def test_fixture_exchanges(insurer):
    """Flow, Serving and Triggering between components become exchanges with their ids."""
    found = {(e["id"], e["from"], e["to"]) for e in insurer.data["exchanges"]}
    assert found == {
        ("id-rel-f1", "id-app-policy", "id-app-claims"),
        ("id-rel-f2", "id-app-claims", "id-app-ledger"),
        ("id-rel-f3", "id-app-portal", "id-app-policy"),
        ("id-rel-s5", "id-app-claims", "id-app-portal"),
        ("id-rel-t1", "id-app-claims", "id-app-archive"),
    }


def test_fixture_one_warning_per_unread_type(insurer):
    """Each element or relationship type left out has exactly one warning, at its first use."""
    text = INSURER.read_text(encoding="utf-8")
    unread = [p for p in insurer.problems if p.code == "not-mapped"]
    named = Counter(re.search(r"type (\w+)|(\w+) relationship", p.message).group(0) for p in unread)
    assert sorted(named) == [
        "Assignment relationship",
        "Realization relationship",
        "type ApplicationService",
        "type BusinessProcess",
        "type BusinessService",
    ]
    process = next(p for p in unread if "BusinessProcess" in p.message)
    assert process.line == line_of(text, 'identifier="id-proc-handle"')
    assert process.file == str(INSURER)


def test_fixture_located_warnings(insurer):
    """The ambiguous holder and the invented department are warned about at their elements."""
    text = INSURER.read_text(encoding="utf-8")
    ambiguous = [p for p in insurer.problems if p.code == "ambiguous"]
    assert [p.line for p in ambiguous] == [line_of(text, 'identifier="id-data-customer"')]
    unassigned = sorted(p.line for p in insurer.problems if p.code == "unassigned")
    assert unassigned == sorted(
        [line_of(text, 'identifier="id-app-archive"'), line_of(text, 'identifier="id-data-scan"')]
    )
    assert all(p.column == 5 for p in ambiguous)


def test_fixture_order_independent():
    """Shuffling the elements and relationships gives the same data."""
    text = INSURER.read_text(encoding="utf-8")
    expected = read_archimate_text(text).data
    for seed in range(5):
        root = ET.fromstring(text)
        for container in ("elements", "relationships", "propertyDefinitions"):
            holder = root.find(f"{{{NS}}}{container}")
            children = list(holder)
            random.Random(seed).shuffle(children)
            holder[:] = children
        shuffled = ET.tostring(root, encoding="unicode")
        assert read_archimate_text(shuffled).data == expected


# ------------------------------------------------------------------- exporting


def structural_problems(text: str) -> list[str]:
    """What breaks the exchange format's structural rules, checked by hand."""
    root = ET.fromstring(text)
    found = []
    if root.tag != f"{{{NS}}}model":
        found.append(f"root {root.tag}")
    concepts = root.findall(f"{{{NS}}}elements/{{{NS}}}element") + root.findall(
        f"{{{NS}}}relationships/{{{NS}}}relationship"
    )
    identifiers = [c.get("identifier") for c in concepts]
    definitions = [d.get("identifier") for d in root.iter(f"{{{NS}}}propertyDefinition")]
    every = [root.get("identifier"), *identifiers, *definitions]
    if len(set(every)) != len(every):
        found.append("duplicate identifiers")
    for concept in concepts:
        if not concept.get(f"{{{XSI}}}type"):
            found.append(f"{concept.get('identifier')} has no xsi:type")
    for rel in root.iter(f"{{{NS}}}relationship"):
        for end in ("source", "target"):
            if rel.get(end) not in identifiers:
                found.append(f"{rel.get('identifier')} {end} missing")
    for prop in root.iter(f"{{{NS}}}property"):
        if prop.get("propertyDefinitionRef") not in definitions:
            found.append("property without definition")
    for name in every:
        if not re.fullmatch(r"[^\W\d][\w.\-]*", name or "", re.UNICODE):
            found.append(f"identifier {name!r} is not an NCName")
    return found


def compared(data) -> dict[str, list[str]]:
    """What the mapping preserves: the six kinds, every key."""
    return {kind: rows(data, kind) for kind in KINDS}


@given(landscapes())
def test_round_trip_preserves_the_landscape(scenario):
    """Writing then reading gives back every department, system, platform, resource and exchange."""
    text = write_archimate(scenario)
    assert structural_problems(text) == []
    found = read_archimate_text(text)
    assert errors(found) == []
    assert compared(found.data) == compared(cio_framework.unstructure(scenario))
    assert found.scenario().name == scenario.name


def test_round_trip_roles_and_hierarchy():
    """Roles keep their level, department and reporting line; departments their parent."""
    scenario = make_scenario()
    found = read_archimate_text(write_archimate(scenario))
    original = cio_framework.unstructure(scenario)
    for role in original["roles"]:
        role.pop("holder")  # people are not exported
    assert rows(found.data, "roles") == rows(original, "roles")
    assert rows(found.data, "departments") == rows(original, "departments")
    assert found.ok


def test_export_cannot_inject_markup():
    """Names that look like markup stay text: the model has only the elements written."""
    data = cio_framework.unstructure(make_scenario())
    hostile = '</name></element><element identifier="evil" xsi:type="Node"><name>x'
    data["departments"][0]["name"] = hostile
    data["departments"][0]["note"] = "<!DOCTYPE x [<!ENTITY e 'boom'>]>&e;\x00\r\n"
    data["name"] = "]]><evil/>\x1b"
    scenario = cio_framework.structure(data)
    text = write_archimate(scenario)
    assert structural_problems(text) == []
    root = ET.fromstring(text)
    assert len(root.findall(f"{{{NS}}}elements/{{{NS}}}element")) == 4
    found = read_archimate_text(text)
    assert found.data["departments"][0]["name"] == hostile
    assert found.data["departments"][0]["note"] == data["departments"][0]["note"]
    assert found.data["name"] == data["name"]


@given(ids())
def test_identifiers_round_trip(value):
    """Any scenario id becomes an identifier that reads back as the same id."""
    identifier = encode_identifier(value)
    assert decode_identifier(identifier) == value
    assert re.fullmatch(r"[^\W\d][\w.\-]*", identifier, re.UNICODE)


def test_identifier_examples():
    """Plain ids stay, others are escaped, and the escape prefix is itself escaped."""
    assert encode_identifier("id-abc") == "id-abc"
    assert encode_identifier("a b") == "cf.x.a_20_b"
    assert decode_identifier(encode_identifier("cf.x.a_20_b")) == "cf.x.a_20_b"
    assert decode_identifier("cf.x.a_20_b") == "a b"


def xsd(name: str):
    """The OEF schema ``name``, or a skip when the XSDs or xmlschema are missing."""
    xmlschema = pytest.importorskip("xmlschema")
    if not XSD_DIR:
        pytest.skip("set CIO_FRAMEWORK_OEF_XSD to a folder with the OEF 3.1 XSDs")
    folder = Path(XSD_DIR)
    return xmlschema.XMLSchema(
        str(folder / name),
        locations={"http://www.w3.org/XML/1998/namespace": str(folder / "xml.xsd")},
        allow="local",
    )


@pytest.fixture(scope="module")
def model_schema():
    return xsd("archimate3_Model.xsd")


def test_export_valid_against_the_xsd(model_schema):
    """The exports of the small scenario and of the fixture's import validate against OEF 3.1."""
    model_schema.validate(write_archimate(make_scenario()))
    model_schema.validate(write_archimate(read_archimate(INSURER).scenario()))


@settings(max_examples=25)
@given(landscapes())
def test_generated_exports_valid_against_the_xsd(model_schema, scenario):
    """Exports of generated landscapes validate against OEF 3.1."""
    model_schema.validate(write_archimate(scenario))


def test_fixture_valid_against_the_xsd():
    """The fixture, views included, is a valid OEF 3.1 model."""
    xsd("archimate3_Diagram.xsd").validate(str(INSURER))


# -------------------------------------------------------------------- security


def only_error(found: Imported, code: str, line: int, column: int | None = None) -> None:
    assert [(p.code, p.severity, p.line) for p in found.problems] == [
        (code, Severity.ERROR, line)
    ], [str(p) for p in found.problems]
    if column is not None:
        assert found.problems[0].column == column
    assert set(found.data) == {"cio_framework", "name"}
    assert dict(found.counts) == {}


def test_billion_laughs_refused():
    """Entity expansion is refused at the DTD, nothing is read."""
    entities = "".join(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE model [\n  <!ENTITY lol0 "lol">\n'
        + entities
        + "]>\n"
        + head(element("a", "BusinessActor", "&lol9;"))
    )
    only_error(read_archimate_text(text), "unsafe-xml", 2, 1)


def test_external_entity_refused():
    """An external entity is never resolved."""
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE model [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
        + head(element("a", "BusinessActor", "&x;"))
    )
    found = read_archimate_text(text)
    only_error(found, "unsafe-xml", 2, 1)
    assert "root:" not in json.dumps(found.data)


def test_dtd_refused():
    """Even a DTD without entities is refused."""
    text = '<?xml version="1.0"?>\n\n<!DOCTYPE model SYSTEM "model.dtd">\n' + head("")
    only_error(read_archimate_text(text), "unsafe-xml", 3, 1)


def test_non_utf8_refused():
    """A Latin-1 file is an encoding error at the first byte that is not UTF-8."""
    text = head(element("a", "BusinessActor", "Café"))
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + text).encode("latin-1")
    column = text.splitlines()[2].index("é") + 1
    only_error(read_archimate_text(data), "encoding", 4, column)


def test_truncated_file():
    """A file cut short is a syntax error at its end."""
    text = head(element("a", "BusinessActor"))[:-20]
    only_error(read_archimate_text(text), "syntax", text.count("\n") + 1)


def test_malformed_file_located(tmp_path):
    """A tag left open is a syntax error at its line and column, in the named file."""
    path = tmp_path / "broken.xml"
    path.write_text(head("<elements>\n  <element identifier='a' xsi:type='Node'>\n</elements>\n"))
    found = read_archimate(path)
    only_error(found, "syntax", 5, 3)
    assert found.problems[0].file == str(path)
    assert found.data["name"] == "broken"


def test_missing_file():
    """A file that cannot be read is an io error."""
    found = read_archimate("no/such/model.xml")
    assert [p.code for p in found.problems] == ["io"]
    assert not found.ok


def test_wrong_root_refused():
    """An ArchiMate 2.1 exchange file (another namespace) is not read."""
    text = '<model xmlns="http://www.opengroup.org/xsd/archimate" identifier="m"/>'
    only_error(read_archimate_text(text), "syntax", 1, 1)


# ---------------------------------------------------------------------- quirks


def test_unknown_types_one_warning_each():
    """Unknown element types are counted and left out with one warning per type."""
    body = (
        "<elements>\n"
        + element("a", "BusinessActor")
        + element("s1", "Spaceship")
        + element("s2", "Spaceship")
        + element("g", "Goal")
        + "</elements>\n"
    )
    found = read_archimate_text(head(body))
    assert found.counts["Spaceship"] == 2
    assert found.counts["Goal"] == 1
    unread = [p for p in warnings(found) if p.code == "not-mapped"]
    assert len(unread) == 2
    assert [p.line for p in unread if "Spaceship" in p.message] == [5]
    assert [d["id"] for d in found.data["departments"]] == ["a"]


def test_relationship_to_missing_element():
    """A relationship to an identifier the model lacks is a located warning and is left out."""
    body = (
        "<elements>\n"
        + element("a", "BusinessActor")
        + element("c", "ApplicationComponent")
        + "</elements>\n<relationships>\n"
        + relationship("r1", "Serving", "c", "a")
        + relationship("r2", "Flow", "c", "ghost")
        + "</relationships>\n"
    )
    found = read_archimate_text(head(body))
    dangling = [p for p in found.problems if p.code == "dangling-reference"]
    assert [(p.line, p.severity) for p in dangling] == [(9, Severity.WARNING)]
    assert "ghost" in dangling[0].message
    assert "exchanges" not in found.data
    assert found.ok


def test_duplicate_identifiers():
    """A second use of an identifier is a located error; the first element is kept."""
    body = (
        "<elements>\n"
        + element("a", "BusinessActor", "First")
        + element("a", "ApplicationComponent", "Second")
        + "</elements>\n"
    )
    found = read_archimate_text(head(body))
    assert [(p.code, p.line) for p in errors(found)] == [("duplicate-id", 5)]
    assert found.data["departments"] == [{"id": "a", "name": "First"}]
    assert "systems" not in found.data


def test_missing_type_or_identifier():
    """An element without xsi:type or identifier is a located error."""
    body = (
        '<elements>\n<element identifier="a"><name>x</name></element>\n'
        '<element xsi:type="Node"><name>y</name></element>\n</elements>\n'
    )
    found = read_archimate_text(head(body))
    assert [p.line for p in errors(found)] == [4, 5]


def test_bad_property_values_located():
    """A property value the loader refuses is an error at its element; the rest loads."""
    body = (
        '<elements>\n<element identifier="a" xsi:type="BusinessActor"><name>A</name></element>\n'
        '<element identifier="c" xsi:type="ApplicationComponent"><name>C</name>\n'
        '<properties><property propertyDefinitionRef="p1"><value>"sometimes"</value></property>'
        '<property propertyDefinitionRef="p2"><value>not json</value></property>'
        "</properties></element>\n</elements>\n<relationships>\n"
        + relationship("r", "Association", "a", "c")
        + "</relationships>\n<propertyDefinitions>\n"
        '<propertyDefinition identifier="p1" type="string"><name>cio-framework:status</name>'
        "</propertyDefinition>\n"
        '<propertyDefinition identifier="p2" type="string"><name>cio-framework:users</name>'
        "</propertyDefinition>\n</propertyDefinitions>\n"
    )
    found = read_archimate_text(head(body))
    assert [(p.line, p.code) for p in errors(found)] == [(5, "bad-value")]
    system = found.data["systems"][0]
    assert "status" not in system
    assert system["x-archimate-properties"] == {"cio-framework:users": "not json"}
    found.scenario()


def test_level_property_and_default():
    """A role keeps a default level its property names; any other level reads as support."""
    body = (
        "<elements>\n"
        '<element identifier="r1" xsi:type="BusinessRole"><name>R1</name><properties>'
        '<property propertyDefinitionRef="p"><value>"strategic"</value></property>'
        "</properties></element>\n"
        '<element identifier="r2" xsi:type="BusinessRole"><name>R2</name><properties>'
        '<property propertyDefinitionRef="p"><value>"galactic"</value></property>'
        "</properties></element>\n</elements>\n"
        '<propertyDefinitions><propertyDefinition identifier="p" type="string">'
        "<name>cio-framework:level</name></propertyDefinition></propertyDefinitions>\n"
    )
    found = read_archimate_text(head(body))
    assert {r["id"]: r["level"] for r in found.data["roles"]} == {
        "r1": "strategic",
        "r2": "support",
    }
    assert [p.line for p in warnings(found)] == [5]


def test_several_departments_least_id():
    """A component served by two actors takes the least id, with a warning."""
    body = (
        "<elements>\n"
        + element("b", "BusinessActor")
        + element("a", "BusinessActor")
        + element("c", "ApplicationComponent")
        + "</elements>\n<relationships>\n"
        + relationship("r1", "Serving", "c", "b")
        + relationship("r2", "Assignment", "a", "c")
        + "</relationships>\n"
    )
    found = read_archimate_text(head(body))
    assert found.data["systems"][0]["department"] == "a"
    assert [(p.code, p.line) for p in warnings(found)] == [("ambiguous", 6)]


def test_empty_scenario_name_round_trips():
    """An empty scenario name reads back empty, not as the fallback."""
    scenario = cio_framework.structure({"cio_framework": 2, "name": ""})
    assert read_archimate_text(write_archimate(scenario)).data["name"] == ""


def test_name_argument_wins():
    """The name argument overrides the model's name."""
    assert read_archimate_text(head(""), name="Mine").data["name"] == "Mine"


def test_fixture_survives_export(insurer):
    """The insurer's import written and read again gives the same data, without warnings."""
    again = read_archimate_text(write_archimate(insurer.scenario()))
    assert again.data == insurer.data
    assert again.problems == ()


def test_unusable_identifier_escaped():
    """An identifier with an invisible character becomes an escaped id, with a warning."""
    body = "<elements>\n" + element("a\u200cb", "BusinessActor") + "</elements>\n"
    found = read_archimate_text(head(body))
    assert [d["id"] for d in found.data["departments"]] == ["a_200c_b"]
    assert [(p.line, p.severity) for p in found.problems] == [(4, Severity.WARNING)]


def test_reference_to_unknown_element_left_out():
    """An exchange property naming a platform the model lacks is an error; the exchange stays."""
    body = (
        "<elements>\n"
        + element("a", "BusinessActor")
        + element("c", "ApplicationComponent")
        + "</elements>\n<relationships>\n"
        + relationship("r", "Association", "a", "c")
        + '<relationship identifier="f" xsi:type="Flow" source="c" target="c"><properties>'
        '<property propertyDefinitionRef="p"><value>"nowhere"</value></property>'
        "</properties></relationship>\n</relationships>\n"
        '<propertyDefinitions><propertyDefinition identifier="p" type="string">'
        "<name>cio-framework:via</name></propertyDefinition></propertyDefinitions>\n"
    )
    found = read_archimate_text(head(body))
    assert [(p.code, p.line) for p in errors(found)] == [("dangling-reference", 9)]
    assert found.data["exchanges"] == [{"id": "f", "from": "c", "to": "c"}]


def test_levels_of_its_own_round_trip():
    """A scenario with levels of its own keeps them and its roles' levels."""
    scenario = cio_framework.builtin("us-federal")
    found = read_archimate_text(write_archimate(scenario))
    assert found.problems == ()
    back = found.scenario()
    assert [lv.id for lv in back.levels] == [lv.id for lv in scenario.levels]
    assert {r.id: r.level for r in back.roles} == {r.id: r.level for r in scenario.roles}


def test_unreadable_levels_fall_back_to_the_defaults():
    """A levels property the loader refuses is an error at the model; roles take support."""
    text = (
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m">\n<name>T</name>\n'
        '<properties><property propertyDefinitionRef="p"><value>[{"name": "no id"}]</value>'
        "</property></properties>\n<elements>\n" + element("r", "BusinessRole") + "</elements>\n"
        '<propertyDefinitions><propertyDefinition identifier="p" type="string">'
        "<name>cio-framework:levels</name></propertyDefinition></propertyDefinitions>\n</model>\n"
    )
    found = read_archimate_text(text)
    assert [(p.line, p.code) for p in errors(found)] == [(1, "bad-value")]
    assert "levels" not in found.data
    assert found.data["roles"][0]["level"] == "support"


# ------------------------------------------------------------ hostile shapes


def one_line(count: int) -> bytes:
    """A model of ``count`` components (each a warning: no department) on one line."""
    body = "".join(
        f'<element identifier="c{i}" xsi:type="ApplicationComponent"><name>C{i}é</name></element>'
        for i in range(count)
    )
    return (
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m"><name>M</name>'
        f"<elements>{body}</elements></model>"
    ).encode()


@pytest.mark.parametrize("count", [500, 2_000])
def test_one_line_file_costs_memory_linear_in_its_size(count):
    """A minified (one-line) file with a problem at every element takes memory in
    proportion to its size (each element once held a copy of the whole line: 4,000
    times the file at 2,000 elements)."""
    data = one_line(count)
    tracemalloc.start()
    try:
        found = read_archimate_text(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(warnings(found)) == count
    assert peak < 100 * len(data), f"{peak:,} bytes for a {len(data):,}-byte file"


def test_one_line_file_columns_count_characters():
    """On a long line with non-ASCII text, each problem's column is its element's
    character column, and the problems share one copy of the line."""
    data = one_line(300)
    text = data.decode()
    found = read_archimate_text(data)
    by_component = {p.message.split("'")[1]: p for p in warnings(found)}
    for identifier in ("c0", "c150", "c299"):
        problem = by_component[identifier]
        assert (problem.line, problem.column) == (
            1,
            text.index(f'<element identifier="{identifier}"') + 1,
        )
    assert len({id(p.source_line) for p in found.problems}) == 1
    shown = by_component["c150"].render().splitlines()
    assert '<element identifier="c150"' in shown[1]
    assert len(shown[1]) < 200


def nested(depth: int) -> str:
    """A model whose elements hold unknown elements ``depth`` levels deep, on one line."""
    return (
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m"><name>M</name><elements>'
        + '<x y="1">' * (depth - 2)
        + "</x>" * (depth - 2)
        + "</elements></model>"
    )


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_refused_with_a_located_error(depth):
    """Elements nested past MAX_DEPTH (the model is level 1) are a limit error at
    the first element too deep; nothing is read, and nothing recurses."""
    text = nested(depth)
    first_too_deep = (
        text.index("<elements>") + len("<elements>") + len('<x y="1">') * (MAX_DEPTH - 2)
    )
    only_error(read_archimate_text(text), "limit", 1, first_too_deep + 1)


def test_nesting_up_to_the_limit_is_read():
    """A file nested exactly MAX_DEPTH deep is read: the property definitions
    after the deep part are found."""
    deep = (
        "<views><diagrams>"
        + "<node>" * (MAX_DEPTH - 3)
        + "</node>" * (MAX_DEPTH - 3)
        + "</diagrams></views>\n"
    )
    body = (
        '<elements><element identifier="d" xsi:type="BusinessActor"><name>D</name><properties>'
        '<property propertyDefinitionRef="p"><value>true</value></property></properties>'
        "</element></elements>\n" + deep + "<propertyDefinitions><propertyDefinition "
        'identifier="p" type="string"><name>cio-framework:pilot</name></propertyDefinition>'
        "</propertyDefinitions>\n"
    )
    found = read_archimate_text(head(body))
    assert found.problems == ()
    assert found.data["departments"] == [{"id": "d", "name": "D", "pilot": True}]


def with_properties(model_property: str, element_properties: list[str]) -> str:
    """A model with one property of its own and a department with properties."""
    names = [model_property, *element_properties]
    definitions = "".join(
        f'<propertyDefinition identifier="p{i}" type="string"><name>{name}</name>'
        "</propertyDefinition>"
        for i, name in enumerate(names)
    )
    values = "".join(
        f'<property propertyDefinitionRef="p{i}"><value>true</value></property>'
        for i in range(1, len(names))
    )
    return (
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m">\n<name>T</name>\n'
        '<properties><property propertyDefinitionRef="p0"><value>"T"</value></property>'
        "</properties>\n<elements>\n"
        f'<element identifier="d" xsi:type="BusinessActor"><name>D</name>'
        f"<properties>{values}</properties></element>\n</elements>\n"
        f"<propertyDefinitions>{definitions}</propertyDefinitions>\n</model>\n"
    )


def test_misspelt_own_property_warned_with_a_guess():
    """A cio-framework: property that names no key of the element is a located
    warning that suggests the nearest key; its value is kept as an ArchiMate property."""
    found = read_archimate_text(
        with_properties("cio-framework:name", ["cio-framework:pilott", "Owner"])
    )
    assert [(p.code, p.line, p.column) for p in warnings(found)] == [("unknown-key", 5, 1)]
    (problem,) = found.problems
    assert "'cio-framework:pilott'" in problem.message
    assert problem.hint == "did you mean 'cio-framework:pilot'?"
    (department,) = found.data["departments"]
    assert "pilot" not in department
    assert department["x-archimate-properties"] == {
        "cio-framework:pilott": "true",
        "Owner": "true",
    }


def test_own_properties_spelt_right_are_read_silently():
    """The tool's own properties of the model and its elements, and extension
    keys, give their keys without a problem."""
    found = read_archimate_text(
        with_properties("cio-framework:name", ["cio-framework:pilot", "cio-framework:x-flag"])
    )
    assert found.problems == ()
    assert found.data["name"] == "T"
    assert found.data["departments"] == [{"id": "d", "name": "D", "pilot": True, "x-flag": True}]


def test_misspelt_model_property_warned_with_a_guess():
    """An unknown cio-framework: property of the model is a warning at the
    property, suggesting the nearest of the model's own keys."""
    found = read_archimate_text(with_properties("cio-framework:level", []))
    assert [(p.code, p.line) for p in warnings(found)] == [("unknown-key", 3)]
    assert found.problems[0].hint == "did you mean 'cio-framework:levels'?"


@pytest.mark.parametrize("prefix", ["Cio-Framework:", "cio_framework:", "CIO-FRAMEWORK :"])
def test_own_property_with_a_misspelt_prefix_is_warned(prefix):
    """A property whose prefix is the tool's spelt otherwise is not read as
    the tool's own, and never silently: a located warning gives the spelling
    (for the model's own property and for an element's)."""
    found = read_archimate_text(with_properties(f"{prefix}name", [f"{prefix}pilot", "Owner"]))
    assert all(p.severity is Severity.WARNING for p in found.problems)
    assert sorted((p.line, p.hint) for p in found.problems) == [
        (3, "did you mean 'cio-framework:name'?"),
        (5, "did you mean 'cio-framework:pilot'?"),
    ]
    (department,) = found.data["departments"]
    assert "pilot" not in department
    assert department["x-archimate-properties"] == {f"{prefix}pilot": "true", "Owner": "true"}
