"""Fast and careful loading agree on edge values, written from the documented rules.

Three levels, each fast path against its careful reference:

(a) ``config._fastyaml.fast_load`` against PyYAML's safe loader: when the
    fast path builds a document (rather than giving up) it is the document
    ``yaml.load(text, Loader=CSafeLoader)`` builds;
(b) the compiled structuring functions (``config._fast``) against the careful
    ``Structurer``: the fast path builds what the careful one builds, with
    fields of the same types, and never accepts what it refuses;
(c) ``cio_framework.loads`` with its fast paths against ``loads`` with both
    disabled: the same Scenario, or the same problems (code, line, column,
    path, message, hint).

The edge values: leading and trailing spaces in ids and enum values, case
variants of enum values, integers of any size (past 2**53, past a float's
range at 309 digits, past Python's 4,300 digits), every YAML 1.1 look-alike,
anchors and aliases, and nesting exactly at the depth limit, one below and
one above. The rules they are checked against are the documented ones:
YAML 1.1 as PyYAML reads it; ids non-empty, printable, without surrounding
white space, at most 200 characters, never ``local``; enum values spelled
exactly; depth counted as the lists and mappings enclosing a value (the
document's own mapping included); aliases expanding by at most
``Limits.max_alias_expansion`` values; ``cio_framework: 1`` and nothing else.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError, Limits
from cio_framework.config import _fastyaml, _load
from cio_framework.config._dump import to_yaml
from cio_framework.config._fast import MISS, Refs, fast_path
from cio_framework.config._plan import plan_of
from cio_framework.config._structure import Structurer
from cio_framework.config._yaml import INVALID, parse_text
from cio_framework.model import COLLECTIONS, Exchange, ExchangeStatus, Platform, System
from cio_framework.synth import synth_text
from cio_framework.testing import landscapes, scenarios

pytestmark = pytest.mark.skipif(not _fastyaml.AVAILABLE, reason="PyYAML without libyaml")

SAFE = yaml.CSafeLoader

# -- edge values ----------------------------------------------------------------

#: Plain scalars that YAML 1.1 may read as something other than a string.
LOOKALIKES = [
    *("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"),
    *("y", "Y", "n", "N", "true", "True", "TRUE", "false", "False", "FALSE"),
    *("~", "null", "Null", "NULL", ""),
    *(".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"),
    *("0x1F", "0X1F", "-0x1F", "0o17", "017", "08", "0b101", "0", "-0", "+0", "+1", "-1"),
    *("1_000", "1__0", "1_", "1:20", "190:20:30", "-1:20", "1:60", "0:20"),
    *("1e3", "1E3", "1.0e3", "1.0e+3", "1.0e-3", "1.0", "1.", ".5", "-.5", "1_000.5", "0."),
    *("2016-05-16", "2016-5-16", "2016-05-16T10:00:00", "2016-05-16 10:00:00.5"),
    *("2016-05-16t21:59:43.10-05:00", "2016-05-16T10:00:00Z", "2016-02-30", "2016-13-01"),
    *("<<", "=", "-", "live", "Live", "LIVE", "in_use", "In_Use", "local", "LOCAL", "epb"),
]

#: Digit counts around the edges: exact floats, a float's range, Python's limit.
DIGITS = [1, 15, 16, 17, 308, 309, 310, 400, 4299, 4300, 4301, 5000]


def quoted(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@st.composite
def huge_int_texts(draw: st.DrawFn) -> str:
    """An integer literal of an edge number of digits, in any base YAML 1.1 reads."""
    digits = draw(st.sampled_from(DIGITS))
    first = draw(st.sampled_from("123456789"))
    body = first + draw(st.sampled_from(["0", "9", "5"])) * (digits - 1)
    sign = draw(st.sampled_from(["", "-", "+"]))
    form = draw(st.sampled_from(["decimal", "hex", "underscored"]))
    if form == "hex":
        return f"{sign}0x{body[: max(1, digits * 5 // 6)]}"
    if form == "underscored":
        return sign + "_".join(body[i : i + 3] for i in range(0, len(body), 3))
    return sign + body


#: A scalar as written in a file: a look-alike (plain or quoted), a huge
#: integer, or text with spaces around it (which only quotes can keep).
scalar_texts = st.one_of(
    st.sampled_from(LOOKALIKES),
    st.tuples(st.sampled_from(LOOKALIKES), st.sampled_from(["single", "double"])).map(
        lambda pair: quoted(*pair)
    ),
    huge_int_texts(),
    st.tuples(
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["epb", "live", "Live", "local", "1.0"]),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["single", "double"]),
    ).map(lambda t: quoted(t[0] + t[1] + t[2], t[3])),
)


# -- (a) fast_load against PyYAML's safe loader --------------------------------


def reference(text: str) -> Any:
    """What PyYAML's safe loader builds, or the exception it raises."""
    try:
        return yaml.load(text, Loader=SAFE)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return exc


def agrees_with_pyyaml(text: str, limits: Limits | None = None) -> Any:
    """Check (a) on one text; the fast result (``None`` if it gave up)."""
    fast = _fastyaml.fast_load(text, limits or Limits())
    if fast is not None:
        expected = reference(text)
        assert not isinstance(expected, Exception), (text, expected)
        assert fast == expected
        assert repr(fast) == repr(expected)  # 1 is not 1.0, True is not 1
    return fast


@settings(max_examples=300)
@given(st.lists(scalar_texts, min_size=1, max_size=6), st.booleans())
def test_fast_yaml_reads_edge_scalars_as_pyyaml_does(tokens, flow):
    """Look-alikes, quoted spaces and integers of every size resolve as PyYAML resolves them."""
    if flow:
        agrees_with_pyyaml("[" + ", ".join(tokens) + "]\n")
        agrees_with_pyyaml("{" + ", ".join(f"k{i}: {t}" for i, t in enumerate(tokens)) + "}\n")
    else:
        agrees_with_pyyaml("".join(f"- {t}\n" for t in tokens))
        agrees_with_pyyaml("".join(f"k{i}: {t}\n" for i, t in enumerate(tokens)))


def test_every_lookalike_alone_takes_the_fast_path_or_gives_up_safely():
    """Each look-alike, as a value and as a key, is read as PyYAML reads it."""
    for token in LOOKALIKES:
        agrees_with_pyyaml(f"v: {token}\n")
        agrees_with_pyyaml(f"{token}: v\n" if token else "'': v\n")


@st.composite
def anchored_documents(draw: st.DrawFn) -> str:
    """A document whose values are anchored and then aliased, nested and as keys."""
    scalars = st.sampled_from(["1", "x", "yes", "2016-05-16", "'q'", "~", "1.5"])
    lines = []
    names: list[str] = []
    for number in range(draw(st.integers(min_value=1, max_value=5))):
        name = f"a{number}"
        kind = draw(st.sampled_from(["scalar", "list", "map", "nested"]))
        if kind == "scalar":
            body = draw(scalars)
        elif kind == "list":
            body = "[" + ", ".join(draw(st.lists(scalars, max_size=3))) + "]"
        elif kind == "map":
            keys = draw(st.lists(st.sampled_from("abcd"), max_size=3, unique=True))
            body = "{" + ", ".join(f"{k}: {draw(scalars)}" for k in keys) + "}"
        else:
            inner = [f"*{n}" for n in names if draw(st.booleans())]
            body = "[" + ", ".join([*inner, draw(scalars)]) + "]"
        lines.append(f"k{number}: &{name} {body}")
        names.append(name)
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        target = draw(st.sampled_from(names))
        where = draw(st.sampled_from(["value", "list", "deep"]))
        if where == "value":
            lines.append(f"u{number}: *{target}")
        elif where == "list":
            lines.append(f"u{number}: [*{target}, *{target}]")
        else:
            lines.append(f"u{number}: {{x: [{{y: *{target}}}]}}")
    return "\n".join(lines) + "\n"


@settings(max_examples=200)
@given(anchored_documents())
def test_fast_yaml_handles_anchors_and_aliases(text):
    """An alias gives its anchored value, exactly as PyYAML's safe loader does."""
    assert agrees_with_pyyaml(text) is not None  # anchors no longer send it away


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=3) | st.booleans(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    )
)
def test_fast_yaml_reads_pyyamls_own_anchors(value):
    """Shared values that PyYAML writes with anchors (&id001) read back the same."""
    text = yaml.dump({"a": value, "b": value, "c": [value]}, Dumper=yaml.SafeDumper)
    agrees_with_pyyaml(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [*x]\n",  # recursive
        "a: *x\n",  # undefined
        "a: &x 1\nb: &x 2\n",  # duplicate anchor
        "a: &x {b: 1}\nc: {<<: *x}\n",  # merge key
        "a: &x [1]\n? *x\n: 2\n",  # a list as a key
    ],
)
def test_fast_yaml_gives_up_on_unusual_anchors(text):
    """Recursive, undefined, duplicate anchors and merge keys go to the careful loader."""
    assert _fastyaml.fast_load(text, Limits()) is None


def nested(depth: int, leaf: str = "1", kind: str = "list") -> str:
    """``x: ...`` where the value is nested so that ``depth`` lists and
    mappings, the document's own mapping included, enclose the leaf."""
    opening, closing = ("[", "]") if kind == "list" else ("{k: ", "}")
    return "x: " + opening * (depth - 1) + leaf + closing * (depth - 1) + "\n"


@pytest.mark.parametrize("kind", ["list", "map"])
def test_fast_yaml_depth_limit_is_exact(kind):
    """One below and at the depth limit the fast path reads the document; one above, it gives up."""
    limits = Limits(max_depth=6)
    cases = [(5, "1", True), (6, "1", True), (7, "1", False)]
    cases += [(4, "[]", True), (5, "[]", True), (6, "[]", False)]  # an empty list is a level
    for depth, leaf, reads in cases:
        text = nested(depth, leaf, kind)
        assert (agrees_with_pyyaml(text, limits) is not None) == reads, text


def test_fast_yaml_depth_counts_through_aliases():
    """An alias is as deep as where it stands plus the depth of its anchored value."""
    limits = Limits(max_depth=5)
    text = "a: &x [[1]]\nb: [[*x]]\n"  # b: 1 + 2 + 2 = 5 levels
    assert agrees_with_pyyaml(text, limits) is not None
    assert _fastyaml.fast_load("a: &x [[1]]\nb: [[[*x]]]\n", limits) is None


# -- (b) compiled structuring against the careful structurer -------------------


def same(a: object, b: object) -> bool:
    """Equal, and every field of the same type (1 and 1.0 are equal, not the same)."""
    if a != b or type(a) is not type(b):
        return False
    return all(type(getattr(a, f.name)) is type(getattr(b, f.name)) for f in attrs.fields(type(a)))


def loaded_plain(scenario: Any) -> dict[str, Any]:
    """A scenario's data as the loader produces it: its YAML, parsed."""
    return parse_text(to_yaml(scenario)).data


def edge_values_for(plan: Any, ids: list[str]) -> st.SearchStrategy[Any]:
    """Edge values for one field, after the documented rules of its kind."""
    spec = plan.spec
    spaced = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u3000"])
    around = st.tuples(spaced, st.sampled_from([*ids, "x"]), spaced).map("".join)
    common = st.sampled_from([None, True, False, "", "local", "LOCAL", "1.0", 1, 1.0])
    ints = st.sampled_from(DIGITS).flatmap(
        lambda n: st.sampled_from([10**n, 10**n - 1, -(10**n), 2**53, 2**53 + 1, 2**1100])
    )
    floats = st.sampled_from([float("inf"), float("-inf"), float("nan"), -0.0, 1e308, 0.5])
    if spec.kind == "enum":
        values = [m.value for m in spec.cls]
        variants = st.sampled_from(values).flatmap(
            lambda v: st.sampled_from(
                [v, v.capitalize(), v.upper(), v.title(), f" {v}", f"{v} ", v.replace("_", "-")]
            )
        )
        return variants | common
    if spec.kind == "str":
        return around | common
    if spec.kind in ("int", "float"):
        return ints | floats | common | st.integers()
    if spec.kind == "bool":
        return common | st.sampled_from(["true", "yes", "on", 0])
    if spec.kind == "tuple":
        return st.lists(around | common, max_size=3) | around
    return common


@st.composite
def edged_elements(draw: st.DrawFn) -> Any:
    scenario = draw(st.one_of(scenarios(max_elements=3), landscapes(max_systems=4)))
    plain = loaded_plain(scenario)
    found = [
        (name, cls, position, raw)
        for name, cls in COLLECTIONS.items()
        for position, raw in enumerate(plain.get(name) or [])
    ]
    if not found:
        return None
    name, cls, position, raw = draw(st.sampled_from(found))
    raw = copy.deepcopy(raw)
    plans = [p for p in plan_of(cls) if p.name != "extensions"]
    all_ids = sorted(_load._collect_ids({0: plain}, []))
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):  # mostly one edge at a time
        plan = draw(st.sampled_from(plans))
        raw[plan.key] = draw(edge_values_for(plan, all_ids))
    return plain, (name, cls, position, raw)


def careful_and_fast(cls: type, raw: dict, plain: dict, path: tuple) -> tuple[Any, Any]:
    drafts: list = []
    named: dict[str, list[str]] = {}
    ids = _load._collect_ids({0: plain}, drafts, named)
    careful = Structurer(ids).obj(cls, copy.deepcopy(raw), path)
    make = fast_path(cls)
    quick = make(Refs(named))(copy.deepcopy(raw)) if make is not None else MISS
    return careful, quick


@settings(max_examples=250)
@given(edged_elements())
def test_compiled_structuring_agrees_with_the_careful_structurer(case):
    """On edge values the fast path builds what the careful path builds, or misses."""
    if case is None:
        return
    plain, (name, cls, position, raw) = case
    careful, quick = careful_and_fast(cls, raw, plain, (name, position))
    if careful is INVALID:
        assert quick is MISS, (raw, quick)
    elif quick is not MISS:
        assert same(quick, careful), (raw, quick, careful)


REFS = Refs({"departments": ["d"], "platforms": ["p"], "systems": ["s1", "s2"]})


@pytest.mark.parametrize("value", ["s1 ", " s1", "s1\t", "s1\u00a0", "\u3000s1", ""])
def test_the_fast_path_refuses_ids_the_rule_refuses(value):
    """An id with a space before or after it, or an empty one, is not for the fast path."""
    system = fast_path(System)(REFS)
    exchange = fast_path(Exchange)(REFS)
    assert system({"id": value, "name": "n", "department": "d"}) is MISS
    assert exchange({"id": value, "from": "s1", "to": "s2"}) is MISS
    assert system({"id": "s1", "name": "n", "department": "d"}) is not MISS


def test_the_fast_path_refuses_local_as_a_platform_id_only():
    """'local' is reserved for platforms, where hosted_on: local would name it."""
    assert fast_path(Platform)(REFS)({"id": "local", "name": "n"}) is MISS
    assert fast_path(System)(REFS)({"id": "local", "name": "n", "department": "d"}) is not MISS


@pytest.mark.parametrize("value", ["Live", "LIVE", " live", "live ", "Planned", "PLANNED"])
def test_the_fast_path_spells_enum_values_exactly(value):
    """Enum values are read as written: 'Live' and 'LIVE' are not 'live'."""
    exchange = fast_path(Exchange)(REFS)
    assert exchange({"from": "s1", "to": "s2", "status": value}) is MISS
    built = exchange({"from": "s1", "to": "s2", "status": value.strip().lower()})
    assert built.status is ExchangeStatus(value.strip().lower())


# -- (c) whole loads, fast paths against careful only --------------------------


@contextlib.contextmanager
def careful_only() -> Iterator[None]:
    """Both fast paths disabled: the node-based YAML loader and the Structurer."""
    saved = _load.fast_path, _fastyaml.fast_load
    _load.fast_path = lambda cls: None
    _fastyaml.fast_load = lambda text, limits: None
    try:
        yield
    finally:
        _load.fast_path, _fastyaml.fast_load = saved


def outcome(text: str, limits: Limits | None = None) -> Any:
    """The scenario with each element's field types, or the problems."""
    try:
        scenario = cio_framework.loads(text, name="s.yaml", limits=limits)
    except ConfigError as err:
        return [(p.code, p.line, p.column, p.path, p.message, p.hint) for p in err.problems]
    types = [
        tuple(type(getattr(element, f.name)) for f in attrs.fields(type(element)))
        for _, element in scenario.elements()
    ]
    return scenario, types


def agree(text: str, limits: Limits | None = None) -> Any:
    quick = outcome(text, limits)
    with careful_only():
        careful = outcome(text, limits)
    assert quick == careful, text
    return quick


TEMPLATE = """\
cio_framework: {version}
name: {name}
departments:
  - {{id: {department}, name: Environment, pilot: {pilot}}}
  - {{id: msb, name: Market}}
platforms:
  - {{id: {platform}, name: Cloud}}
systems:
  - {{id: {system}, name: Monitoring, department: {department_ref}, hosted_on: {hosted_on},
     status: {status}, users: {users}, annual_cost: {cost}}}
  - {{id: s2, name: Register, department: msb}}
resources:
  - {{id: r1, name: Emissions, owner: msb, share: {share}}}
exchanges:
  - {{id: {exchange}, from: {from_}, to: s2, resources: {resources}, status: {exchange_status},
     mechanism: {mechanism}}}
x-data: {extension}
"""

GOOD = {
    "version": "1",
    "name": "Example",
    "department": "epb",
    "pilot": "false",
    "platform": "cloud",
    "system": "s1",
    "department_ref": "epb",
    "hosted_on": "cloud",
    "status": "in_use",
    "users": "10",
    "cost": "1.5",
    "share": "conditional",
    "exchange": "e1",
    "from_": "s1",
    "resources": "[r1]",
    "exchange_status": "live",
    "mechanism": "file",
    "extension": "1",
}


@st.composite
def edged_texts(draw: st.DrawFn) -> str:
    """The template with a few slots set to edge values, sometimes anchored."""
    values = dict(GOOD)
    for slot in draw(st.lists(st.sampled_from(sorted(GOOD)), min_size=1, max_size=4)):
        values[slot] = draw(scalar_texts)
    if draw(st.booleans()):  # the same id written with quotes and spaces
        slot = draw(st.sampled_from(["department", "system", "exchange", "platform"]))
        values[slot] = quoted(GOOD[slot] + draw(st.sampled_from([" ", "  "])), "single")
    text = TEMPLATE.format(**values)
    if draw(st.booleans()):  # an anchor and an alias
        text = text.replace("name: Environment", "name: &n Environment", 1)
        text += "x-copy: *n\n"
    if draw(st.booleans()):
        text = text.replace("resources: [r1]", "resources: &rs [r1]", 1)
        text += "x-resources: *rs\n"
    return text


def test_the_template_loads_as_it_stands():
    """Unchanged, the template is a valid scenario, on both paths."""
    quick = agree(TEMPLATE.format(**GOOD))
    assert not isinstance(quick, list), quick


@settings(max_examples=300)
@given(edged_texts())
def test_loads_agrees_with_and_without_fast_paths(text):
    """Edge values give the same scenario, or the same located problems, on both paths."""
    agree(text)


@pytest.mark.parametrize("depth", [7, 8, 9])
@pytest.mark.parametrize("leaf", ["1", "[]", "{}"])
def test_loads_depth_limit_is_counted_the_same_way(depth, leaf):
    """Nesting one below, at and one above the limit: both paths decide alike."""
    limits = Limits(max_depth=8)
    text = "cio_framework: 1\nname: x\n" + nested(depth, leaf).replace("x:", "x-deep:", 1)
    levels = depth + (leaf != "1")
    found = agree(text, limits)
    if levels <= limits.max_depth:
        assert not isinstance(found, list), found
    else:
        assert [p[0] for p in found] == ["limit"]


@pytest.mark.parametrize("where", ["extension", "element", "alias"])
def test_loads_depth_limit_at_the_default(where):
    """At 64 levels (the default) a file loads on both paths; at 65 it is refused on both."""
    for levels, loads in ((63, True), (64, True), (65, False)):
        if where == "extension":
            text = "cio_framework: 1\nname: x\n" + nested(levels).replace("x:", "x-deep:", 1)
        elif where == "element":  # document, departments, department: 3 levels
            inner = nested(levels - 2).replace("x: ", "", 1).strip()
            text = (
                f"cio_framework: 1\nname: x\ndepartments:\n  - {{id: d, name: D, x-d: {inner}}}\n"
            )
        else:  # anchored at levels - 1, aliased one level further down
            inner = nested(levels - 1).replace("x: ", "", 1).strip()
            text = f"cio_framework: 1\nname: x\nx-b: &deep {inner}\nx-c: [*deep]\n"
        found = agree(text)
        assert isinstance(found, list) != loads, (levels, found)


def test_version_true_is_not_version_1():
    """'cio_framework: true' is a boolean, not the format version 1."""
    for value in ("true", "True", "yes", "on", "1.0", "'1'", "0x1"):
        found = agree(f"cio_framework: {value}\nname: x\n")
        if value == "0x1":  # YAML 1.1 reads 0x1 as the integer 1
            assert not isinstance(found, list), found
            continue
        assert [p[0] for p in found] == ["version"], (value, found)
        assert found[0][5] == "write 'cio_framework: 2'"


@pytest.mark.parametrize("digits", [308, 309, 400, 4300, 4301, 5000])
@pytest.mark.parametrize("field", ["users", "annual_cost", "x-n"])
def test_integers_of_any_size_never_raise(digits, field):
    """Integers past a float's range or Python's 4,300 digits are problems, never tracebacks."""
    for sign in ("", "-"):
        number = sign + "9" * digits
        line = f"systems: [{{id: s, name: S, department: d, {field}: {number}}}]"
        text = f"cio_framework: 1\nname: x\ndepartments: [{{id: d, name: D}}]\n{line}\n"
        found = agree(text)
        path = "$.systems[0]" + ("['x-n']" if field == "x-n" else f".{field}")
        if digits > 4300:  # more digits than any integer a file may hold
            assert [p[:4] for p in found] == [("bad-value", 4, line.index(number) + 1, path)]
            assert "4,300 digits" in found[0][4]
        elif field != "x-n":  # below 0, or above MAX_AMOUNT (2**53)
            assert [p[:4] for p in found] == [("bad-value", 4, line.index(number) + 1, path)]
        else:
            assert not isinstance(found, list), found
        assert all(p[5] for p in found) if isinstance(found, list) else True


def test_reserved_and_spaced_ids_agree():
    """Ids with spaces (kept by quotes), and 'local' for a platform, are refused on both paths."""
    for slot, value in [
        *(("department", v) for v in ("'epb '", "' epb'", '"epb\\t"', "'\u3000epb'")),
        *(("platform", v) for v in ("local", "'local'", "'cloud '")),
    ]:
        found = agree(TEMPLATE.format(**{**GOOD, slot: value}))
        path = "$.departments[0].id" if slot == "department" else "$.platforms[0].id"
        assert path in [p[3] for p in found], (value, found)


# -- folders: equal x- values merge, different ones conflict --------------------


def test_equal_extension_values_in_two_files_merge_silently(write, tmp_path):
    """The same x- value in two files of a folder is one value, not a conflict."""
    write("a.yaml", "cio_framework: 1\nname: x\nx-owner: {team: cio, codes: [1, 2]}\n")
    write("b.yaml", "cio_framework: 1\nx-owner: {team: cio, codes: [1, 2]}\n")
    scenario = cio_framework.load(tmp_path)
    assert scenario.extensions["x-owner"] == {"team": "cio", "codes": (1, 2)}


def test_different_extension_values_in_two_files_conflict(write, tmp_path):
    """A different x- value in a second file is a conflict naming both places."""
    write("a.yaml", "cio_framework: 1\nname: x\nx-owner: {team: cio, codes: [1, 2]}\n")
    write("b.yaml", "cio_framework: 1\nx-owner: {team: cio, codes: [1, 3]}\n")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(tmp_path)
    [problem] = info.value.problems
    assert (problem.code, problem.line, problem.path) == ("conflict", 2, "$['x-owner']")
    assert "a.yaml:3" in problem.message


# -- anchors cost what plain files cost; alias bombs are still refused ------------


def best_of_3(function: Any) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def test_an_anchor_does_not_send_the_file_to_the_slow_path():
    """One anchor in a large scenario: still the fast path, about the same time."""
    text = synth_text(300, seed=1)
    anchored = text.replace("\n", "\nx-anchored: &one {a: 1}\nx-alias: *one\n", 1)
    assert anchored != text
    assert _fastyaml.fast_load(anchored, Limits()) is not None
    assert cio_framework.loads(anchored).extensions["x-alias"] == {"a": 1}
    plain_time = best_of_3(lambda: cio_framework.loads(text))
    anchored_time = best_of_3(lambda: cio_framework.loads(anchored))
    assert anchored_time < 1.5 * plain_time + 0.05, (anchored_time, plain_time)


def billion_laughs(levels: int = 9) -> str:
    lines = ["cio_framework: 1", "name: x", 'x-a: &a ["lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fast", [True, False], ids=["fast paths", "careful only"])
def test_an_alias_bomb_is_still_refused_quickly(fast):
    """Aliases that would expand past the limit are refused, located, in well under a second."""
    context = contextlib.nullcontext() if fast else careful_only()
    start = time.perf_counter()
    with context, pytest.raises(ConfigError) as info:
        cio_framework.loads(billion_laughs())
    assert time.perf_counter() - start < 1.0
    [problem] = info.value.problems
    assert problem.code == "limit"
    assert "over the limit of 250,000" in problem.message
    assert problem.line is not None
    assert problem.hint


def test_alias_expansion_is_counted_as_the_careful_loader_counts_it():
    """Just at the alias limit the fast path reads the file; one value more, it gives up."""
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"  # each alias adds 4 values: the list, 3 items
    assert agrees_with_pyyaml(text, Limits(max_alias_expansion=8)) is not None
    assert _fastyaml.fast_load(text, Limits(max_alias_expansion=7)) is None
    scenario = "cio_framework: 1\nname: x\nx-a: &a [1, 2, 3]\nx-b: [*a, *a]\n"
    assert not isinstance(agree(scenario, Limits(max_alias_expansion=8)), list)
    assert [p[0] for p in agree(scenario, Limits(max_alias_expansion=7))] == ["limit"]
