"""The fast paths agree with the careful ones, and take the plain cases.

Written from the docstrings of ``config._fast`` and ``config._fastyaml``:

- ``_fastyaml.fast_load`` builds what ``yaml.load(text, Loader=CSafeLoader)``
  builds, or gives up (``None``) on anything unusual: a tag, a merge key, a
  recursive, duplicate or undefined anchor, a duplicate or non-scalar key, a
  syntax error, several documents, a document over a limit. It counts the
  limits as the careful loader does: depth is the number of lists and
  mappings enclosing a value, the document's own mapping included; an alias
  counts where it stands plus the depth of its anchored value; the values an
  alias adds are every scalar, key, list and mapping of its anchored value.
  Plain documents within the limits are built, not given up on: that is
  what the fast path is for.
- ``_fast.fast_path(cls)`` accepts exactly a plain mapping (known keys,
  strings naming existing ids, enum values spelled right, numbers within
  bounds) and builds the instance the class builds, or returns ``MISS``;
  it builds instances field by field only for classes whose validators and
  converters it applies itself, with no post-init and no slot but fields,
  and calls the class otherwise; ``None`` for classes read with
  ``from_plain``. Plain elements take the fast path.
"""

from __future__ import annotations

import copy
import math
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

import cio_framework
from cio_framework import ConfigError, Limits
from cio_framework.config import _fastyaml, _load
from cio_framework.config._fast import MISS, Refs, fast_path
from cio_framework.config._structure import Structurer
from cio_framework.config._yaml import INVALID
from cio_framework.data import builtin_path
from cio_framework.model import COLLECTIONS
from cio_framework.model._base import extension_map
from cio_framework.model._frozenmap import FrozenMap

pytestmark = pytest.mark.skipif(not _fastyaml.AVAILABLE, reason="PyYAML without libyaml")

BIG = Limits()


def fast(text: str, **limits: int) -> Any:
    return _fastyaml.fast_load(text, Limits(**limits) if limits else BIG)


def safe(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def same_tree(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (1 is not 1.0 nor True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


# -- _fastyaml: the documents it builds ------------------------------------------

BUILT = [
    "a: 1\nb: two\nc: [x, y]\n",
    "a:\n  b:\n    - 1\n    - {c: d, e: [f]}\n  g: h\n",
    "- 1\n- [2, [3, []]]\n- {}\n",
    "just text\n",
    "42\n",
    "a:\nb: ~\nc: null\n'': empty key\n",
    "~: null key\n1: int key\n1.5: float key\n",
    "true: bool key\nfalse: another\n",
    "a: '1'\nb: \"true\"\nc: '~'\nd: ''\ne: 'yes'\n",
    "a: 1\nb: -0x1F\nc: 0o17\nd: 1_000\ne: 1:20\nf: 0b101\n",
    "a: 1.5\nb: .inf\nc: -.inf\nd: 1e3\ne: 1.0e+3\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: False\n",
    "a: 2016-05-16\nb: 2016-05-16T10:00:00Z\nc: 2016-05-16 10:00:00.5\n",
    "a: &x 1\nb: *x\nc: &y [1, {d: 2}]\ne: *y\nf: &z {g: h}\ng: [*z, *z]\n",
    "a: [&x 1, *x, &y two, *y]\n",
    "a: x y z\nb: 'it''s'\nc: |\n  line\n  another\nd: >\n  folded\n  text\n",
    "a: -x\nb: =x\nc: <x\nd: <<<\n",
    "---\na: 1\n...\n",
]


@pytest.mark.parametrize("text", BUILT)
def test_plain_documents_are_built_as_pyyaml_builds_them(text: str) -> None:
    built = fast(text)
    assert built is not None
    assert same_tree(built, safe(text)), (built, safe(text))


def test_nan_is_built() -> None:
    built = fast("a: .nan\nb: .NaN\n")
    assert built is not None
    assert math.isnan(built["a"])
    assert math.isnan(built["b"])


def test_empty_plain_scalars_are_null() -> None:
    assert fast("a:\nb: [~, ]\n") == {"a": None, "b": [None]}
    assert fast("a: ''\n") == {"a": ""}


def test_aliases_give_the_anchored_object_itself() -> None:
    built = fast("a: &x [1, 2]\nb: *x\nc: &m {k: v}\nd: [*m]\n")
    assert built["b"] is built["a"]
    assert built["d"][0] is built["c"]
    assert built == {"a": [1, 2], "b": [1, 2], "c": {"k": "v"}, "d": [{"k": "v"}]}


def test_long_numbers() -> None:
    long_float = "1." + "0" * 5000
    assert fast(f"a: {long_float}\n") == {"a": 1.0}
    assert fast("a: " + "9" * 300 + "\n") == {"a": int("9" * 300)}
    # a hexadecimal integer of 4,000 digits has more than 4,300 decimal ones:
    # it is not built (the careful loader reports it)
    assert fast("a: 0x" + "f" * 4000 + "\n") is None
    assert fast("a: " + "9" * 5000 + "\n") is None


# -- _fastyaml: giving up ------------------------------------------------------------

GIVE_UP = {
    "empty stream": "",
    "comments only": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a tag": "a: !!str 1\n",
    "a tag on a mapping": "a: !!map {b: 1}\n",
    "a python tag": "a: !!python/object:os.system x\n",
    "a merge key": "a: &x {b: 1}\nc:\n  <<: *x\n",
    "a value key": "a: {=: 1}\n",
    "a duplicate key": "a: 1\na: 2\n",
    "a duplicate key after others": "a: 1\nb: 2\nc: 3\nb: 4\n",
    "a duplicate scalar anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "a duplicate list anchor": "a: &x [1]\nb: &x [2]\n",
    "an anchor inside its own namesake": "a: &x [&x 1]\n",
    "a mapping anchor redefined inside": "a: &x {b: &x 1}\n",
    "an undefined alias": "a: *nope\n",
    "a recursive alias": "a: &x [1, *x]\n",
    "a mapping key": "? {a: 1}\n: v\n",
    "a list key": "? [a]\n: v\n",
    "an aliased mapping key": "a: &x {b: 1}\n? *x\n: v\n",
    "an aliased list key": "a: &x [1]\n? *x\n: v\n",
    "an impossible date": "a: 2016-02-30\n",
    "a syntax error": "a: [1\n",
}


@pytest.mark.parametrize("text", GIVE_UP.values(), ids=GIVE_UP.keys())
def test_unusual_documents_are_given_up(text: str) -> None:
    assert fast(text) is None


# -- _fastyaml: the limits, counted as the careful loader counts them --------------


def nested(depth: int) -> str:
    """A document whose innermost value is enclosed by ``depth`` mappings."""
    text = "1"
    for level in range(depth - 1, 0, -1):
        text = f"{{k{level}: {text}}}"
    return f"k0: {text}\n" if depth > 1 else "k0: 1\n"


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_depth_limit(limit: int) -> None:
    assert fast(nested(limit), max_depth=limit) == safe(nested(limit))
    assert fast(nested(limit + 1), max_depth=limit) is None
    assert fast("- [[1]]\n", max_depth=3) == [[[1]]]
    assert fast("- [[1]]\n", max_depth=2) is None


def scenario(extra: str) -> str:
    return "cio_framework: 1\nname: A\n" + extra


def loads_within(text: str, **limits: int) -> bool:
    try:
        cio_framework.loads(text, limits=Limits(**limits))
    except ConfigError as error:
        codes = {p.code for p in error.problems}
    else:
        return True
    assert codes == {"limit"}
    return False


@pytest.mark.parametrize(
    "extra",
    [
        "x-a: {b: {c: 1}}\n",
        "x-a: &v {b: {c: 1}}\nx-b: *v\n",
        "x-a: &v {c: 1}\nx-b: {d: *v}\n",
        "x-a: &v [1]\nx-b: [[*v]]\n",
        "x-a: &v 1\nx-b: {c: {d: *v}}\n",
    ],
)
@pytest.mark.parametrize("limit", [2, 3, 4, 5])
def test_depth_of_aliases_agrees_with_the_careful_loader(extra: str, limit: int) -> None:
    text = scenario(extra)
    careful = loads_within(text, max_depth=limit)
    built = fast(text, max_depth=limit)
    assert (built is not None) == careful
    if careful:
        assert same_tree(built, safe(text))


@pytest.mark.parametrize(
    ("extra", "added"),
    [
        # a list of two scalars: the list and its items, 3 values
        ("x-a: &v [1, 2]\nx-b: *v\n", 3),
        ("x-a: &v [1, 2]\nx-b: *v\nx-c: *v\n", 6),
        # a mapping: itself, its keys and values
        ("x-a: &v {k: 1, l: [2, 3]}\nx-b: *v\n", 7),
        # a scalar adds one value
        ("x-a: &v 1\nx-b: [*v, *v, *v]\n", 3),
        # aliases inside an anchored value count expanded
        ("x-a: &v [1, 2]\nx-b: &w [*v, *v]\nx-c: *w\n", 6 + 7),
        ("x-a: &v {k: [1]}\nx-b: &w {m: *v, n: *v}\nx-c: [*w]\n", 4 + 4 + 11),
    ],
)
def test_alias_expansion_limit(extra: str, added: int) -> None:
    text = scenario(extra)
    assert loads_within(text, max_alias_expansion=added)
    assert not loads_within(text, max_alias_expansion=added - 1)
    assert same_tree(fast(text, max_alias_expansion=added), safe(text))
    assert fast(text, max_alias_expansion=added - 1) is None


def test_alias_bomb_is_measured_in_linear_time() -> None:
    # each value is walked once: forty levels of doubling would otherwise
    # take 2**40 steps
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    assert fast(text, max_alias_expansion=10**9) is None
    built = fast(text, max_alias_expansion=2**45)
    assert time.perf_counter() - start < 5
    assert built["a39"][0] is built["a38"]


# -- _fast: plain elements take the fast path --------------------------------------


def careful(cls: type, raw: dict[str, Any], ids: dict[str, Any]) -> Any:
    structurer = Structurer(ids)
    value = structurer.obj(cls, copy.deepcopy(raw), ("x", 0))
    return value, structurer.drafts


def same_instance(a: Any, b: Any) -> bool:
    if a != b or type(a) is not type(b):
        return False
    return all(type(getattr(a, f.name)) is type(getattr(b, f.name)) for f in attrs.fields(type(a)))


def is_simple(raw: dict[str, Any]) -> bool:
    """Known-looking keys and scalar or string-list values: a plain element."""
    scalar = (str, bool, int, float, type(None))
    return not any(k.startswith("x-") for k in raw) and all(
        type(v) in scalar or (type(v) is list and all(type(i) is str for i in v))
        for v in raw.values()
    )


def builtin_datas(name: str) -> dict[int, dict[str, Any]]:
    path = Path(builtin_path(name))
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    return {i: safe(f.read_text(encoding="utf-8")) for i, f in enumerate(files)}


@pytest.mark.parametrize("name", ["pudong-2016", "us-federal"])
def test_plain_elements_of_the_builtin_scenarios_take_the_fast_path(name: str) -> None:
    datas = builtin_datas(name)
    named: dict[str, list[str]] = {}
    drafts: list[Any] = []
    ids = _load._collect_ids(datas, drafts, named)
    assert drafts == []
    refs = Refs(named)
    taken = set()
    for data in datas.values():
        for collection, items in data.items():
            if collection not in COLLECTIONS or not isinstance(items, list):
                continue
            cls = COLLECTIONS[collection]
            make = fast_path(cls)
            assert make is not None
            quick = make(refs)
            for raw in items:
                expected, problems = careful(cls, raw, ids)
                assert problems == []
                built = quick(copy.deepcopy(raw))
                if is_simple(raw):
                    assert built is not MISS, (collection, raw)
                    taken.add(collection)
                if built is not MISS:
                    assert same_instance(built, expected), (raw, built, expected)
    assert {"departments", "people", "roles", "criteria", "notes"} <= taken


LANDSCAPE = {
    "levels": ["strategic", "support"],
    "departments": ["epb", "msb"],
    "people": ["li"],
    "roles": ["cio", "deputy"],
    "platforms": ["cloud"],
    "systems": ["mon", "reg"],
    "resources": ["emissions"],
    "bodies": ["board"],
}


def ids_and_refs() -> tuple[dict[str, Any], Refs]:
    ids = {
        value: _load.IdEntry(kind=kind, file_index=0, path=(kind,))
        for kind, values in LANDSCAPE.items()
        for value in values
    }
    named = {kind: [str(v) for v in values] for kind, values in LANDSCAPE.items()}
    return ids, Refs(named)


PLAIN = [
    ("departments", {"id": "d1", "name": "  Spaced name  ", "parent": "epb", "pilot": True}),
    ("departments", {"id": "d2", "name": "Two\nlines", "kind": "bureau", "local_name": None}),
    ("people", {"id": "p1", "name": "Li", "background": "technical"}),
    (
        "roles",
        {
            "id": "r1",
            "title": "CIO",
            "level": "support",
            "department": "msb",
            "holder": "li",
            "reports_to": "cio",
            "dotted_lines": ["cio", "deputy"],
            "kind": "departmental_cio",
        },
    ),
    ("roles", {"id": "r2", "title": "T", "level": "strategic", "dotted_lines": []}),
    ("bodies", {"id": "b1", "name": "B", "kind": "regular_meeting", "meets_every_months": 2}),
    ("bodies", {"id": "b2", "name": "B", "kind": "regular_meeting", "meets_every_months": 0.5}),
    ("bodies", {"id": "b3", "name": "B", "kind": "regular_meeting", "members": ["li", "cio"]}),
    ("criteria", {"id": "c1", "name": "C", "weight": 0}),
    ("criteria", {"id": "c2", "name": "C", "weight": 2.5, "ability": "technical"}),
    ("appraisals", {"department": "epb", "includes_cio_work": True, "weight": 1}),
    ("appraisals", {"department": "epb", "includes_cio_work": False, "weight": 0.25}),
    ("platforms", {"id": "p9", "name": "P", "operator": "msb"}),
    (
        "systems",
        {"id": "s1", "name": "S", "department": "epb", "hosted_on": "cloud", "users": 0},
    ),
    (
        "systems",
        {"id": "s2", "name": "S", "department": "epb", "hosted_on": "local", "annual_cost": 3},
    ),
    ("systems", {"id": "s3", "name": "S", "department": "epb", "status": "retired"}),
    ("systems", {"id": "s4", "name": "S", "department": "epb", "annual_cost": 2**53}),
    ("systems", {"id": "s5", "name": "S", "department": "epb", "users": None, "note": None}),
    (
        "resources",
        {"id": "e1", "name": "E", "owner": "epb", "held_in": "mon", "open_to_public": False},
    ),
    ("exchanges", {"from": "mon", "to": "cloud", "resources": ["emissions"], "via": "cloud"}),
    ("exchanges", {"id": "x1", "from": "mon", "to": "reg", "resources": []}),
    ("demands", {"by": "msb", "resource": "emissions", "weight": 1, "agreement": True}),
    ("matters", {"id": "m1", "name": "M", "approved_by": "epb", "supervised_by": "msb"}),
    (
        "matters",
        {
            "id": "m2",
            "name": "M",
            "approved_by": "epb",
            "supervised_by": "msb",
            "needs": ["emissions"],
        },
    ),
    ("notes", {"id": "n1", "text": "A note"}),
]


@pytest.mark.parametrize(("collection", "raw"), PLAIN)
def test_plain_element_takes_the_fast_path(collection: str, raw: dict[str, Any]) -> None:
    ids, refs = ids_and_refs()
    cls = COLLECTIONS[collection]
    expected, problems = careful(cls, raw, ids)
    assert problems == []
    assert expected is not INVALID
    built = fast_path(cls)(refs)(copy.deepcopy(raw))
    assert built is not MISS
    assert same_instance(built, expected), (built, expected)
    assert hash(built) == hash(expected)


REFUSED = [
    ("departments", {"id": "d1", "name": "N", "parent": "nope"}),
    ("departments", {"id": "d1", "name": "N", "parent": "li"}),
    ("departments", {"id": " d1", "name": "N"}),
    ("departments", {"id": "d1", "name": 3}),
    ("departments", {"id": "d1", "name": "N", "pilot": "yes"}),
    ("departments", {"id": "d1", "name": "N", "unknown": 1}),
    ("departments", {"name": "N"}),
    ("departments", ["d1"]),
    ("people", {"id": "p1", "background": "Technical"}),
    ("people", {"id": "p1", "background": 3}),
    ("platforms", {"id": "local", "name": "P"}),
    ("roles", {"id": "r1", "title": "T", "level": "support", "dotted_lines": ["cio", "nope"]}),
    ("roles", {"id": "r1", "title": "T", "level": "support", "dotted_lines": "cio"}),
    ("roles", {"id": "r1", "title": "T", "level": "support", "dotted_lines": [3]}),
    ("bodies", {"id": "b1", "name": "B", "kind": "regular_meeting", "meets_every_months": 0}),
    ("bodies", {"id": "b1", "name": "B", "kind": "regular_meeting", "meets_every_months": -1}),
    ("criteria", {"id": "c1", "name": "C", "weight": -0.5}),
    ("criteria", {"id": "c1", "name": "C", "weight": math.inf}),
    ("criteria", {"id": "c1", "name": "C", "weight": "1"}),
    ("criteria", {"id": "c1", "name": "C", "weight": True}),
    ("appraisals", {"department": "epb", "includes_cio_work": True, "weight": 1.5}),
    ("systems", {"id": "s1", "name": "S", "department": "epb", "users": 1.0}),
    ("systems", {"id": "s1", "name": "S", "department": "epb", "users": -1}),
    ("systems", {"id": "s1", "name": "S", "department": "epb", "hosted_on": "mon"}),
    ("systems", {"id": "s1", "name": "S", "department": "epb", "annual_cost": 2**53 + 1}),
    ("exchanges", {"from": "mon", "to": "reg", "resources": ["mon"]}),
]


@pytest.mark.parametrize(("collection", "raw"), REFUSED)
def test_what_the_careful_path_refuses_misses(collection: str, raw: Any) -> None:
    ids, refs = ids_and_refs()
    cls = COLLECTIONS[collection]
    expected, problems = careful(cls, raw, ids)
    built = fast_path(cls)(refs)(copy.deepcopy(raw))
    if expected is INVALID:
        assert problems
        assert built is MISS, built
    else:  # not refused, only unusual: the fast path may take it or not
        assert built is MISS or same_instance(built, expected)


def test_classes_read_from_plain_values_have_no_fast_path() -> None:
    from cio_framework.model import IssueRange

    assert fast_path(IssueRange) is None
    assert fast_path(dict) is None


def test_generated_code_is_kept_for_help() -> None:
    make = fast_path(COLLECTIONS["systems"])
    assert make is not None
    assert make.__doc__ is not None
    assert make.__doc__.startswith("def make(refs):")


# -- _fast: classes that need their own __init__ ------------------------------------


@attrs.frozen(kw_only=True, cache_hash=True)
class _CachedHash:
    id: str = attrs.field(metadata={"cio_framework": {"is_id": True}})
    name: str = attrs.field()


@attrs.frozen(kw_only=True)
class _Converted:
    code: str = attrs.field(converter=str.upper)


def _short(instance: Any, attribute: Any, value: str) -> None:
    if len(value) > 3:
        raise ValueError("too long")


@attrs.frozen(kw_only=True)
class _Validated:
    code: str = attrs.field(validator=_short)


def test_a_class_with_a_slot_that_is_not_a_field_is_built_by_its_init() -> None:
    make = fast_path(_CachedHash)
    assert make is not None
    built = make(Refs({}))({"id": "a", "name": "A"})
    expected = _CachedHash(id="a", name="A")
    assert built == expected
    assert hash(built) == hash(expected)


def test_a_class_with_its_own_converter_is_built_by_its_init() -> None:
    make = fast_path(_Converted)
    assert make is not None
    assert make(Refs({}))({"code": "abc"}) == _Converted(code="ABC")
    assert make(Refs({}))({"code": "abc"}).code == "ABC"


def test_a_class_with_its_own_validator_misses_what_it_refuses() -> None:
    make = fast_path(_Validated)
    assert make is not None
    fast_ = make(Refs({}))
    assert fast_({"code": "abc"}) == _Validated(code="abc")
    assert fast_({"code": "abcd"}) is MISS


def _upper_only(value: str) -> None:
    if value != value.upper():
        raise ValueError("write it in capitals")


@attrs.frozen(kw_only=True)
class _Checked:
    code: str = attrs.field(metadata={"cio_framework": {"check": _upper_only}})


@attrs.frozen(kw_only=True)
class _Nullable:
    tag: str | None = attrs.field()
    label: str | None = attrs.field(default="none")
    count: int | None = attrs.field(default=1)


def test_a_field_checked_by_a_function_takes_the_careful_path() -> None:
    structurer = Structurer({})
    assert structurer.obj(_Checked, {"code": "abc"}, ("x", 0)) is INVALID
    assert structurer.drafts[0].message == "write it in capitals"
    make = fast_path(_Checked)
    assert make is not None
    assert make(Refs({}))({"code": "abc"}) is MISS


def test_null_in_a_field_that_allows_it_takes_the_fast_path() -> None:
    make = fast_path(_Nullable)
    assert make is not None
    fast_ = make(Refs({}))
    for raw in ({"tag": None}, {"tag": None, "label": None, "count": None}, {"tag": "t"}):
        expected = Structurer({}).obj(_Nullable, dict(raw), ("x", 0))
        assert expected is not INVALID
        built = fast_(dict(raw))
        assert built is not MISS, raw
        assert same_instance(built, expected)
    assert fast_({"tag": None, "count": "1"}) is MISS


@attrs.frozen(kw_only=True)
class _ExtensionsFirst:
    extensions: FrozenMap[str, Any] = attrs.field(factory=dict, converter=extension_map)
    name: str = attrs.field()


def test_extension_default_is_converted_and_later_fields_are_read() -> None:
    # the default of extensions is used converted (an empty FrozenMap, not a
    # dict), and fields after it are read like any other
    make = fast_path(_ExtensionsFirst)
    assert make is not None
    built = make(Refs({}))({"name": "N"})
    assert built is not MISS
    assert same_instance(built, _ExtensionsFirst(name="N"))
    assert make(Refs({}))({"name": "N", "x-a": 1}) is MISS
