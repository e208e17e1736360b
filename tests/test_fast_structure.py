"""The compiled fast paths build exactly what the careful structurer builds,
and never accept what it refuses."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.config import _load
from cio_framework.config._dump import to_yaml
from cio_framework.config._fast import MISS, Refs, _bypass_init, fast_path
from cio_framework.config._plan import plan_of
from cio_framework.config._structure import Structurer
from cio_framework.config._yaml import INVALID, parse_text
from cio_framework.data import builtin_path
from cio_framework.model import COLLECTIONS, Exchange, Role, System
from cio_framework.model._base import valid_id
from cio_framework.synth import synth_text
from cio_framework.testing import landscapes, scenarios


def same(a: object, b: object) -> bool:
    """Equal, and every field of the same type (1 and 1.0 are equal, not the same)."""
    if a != b or type(a) is not type(b):
        return False
    return all(type(getattr(a, f.name)) is type(getattr(b, f.name)) for f in attrs.fields(type(a)))


def scenario_to_plain(scenario) -> dict:
    """The scenario's data as the loader really produces it: its YAML, parsed.

    (The dumper's own plain data holds a list subclass that marks flow style;
    no file ever reads back as one.)
    """
    parsed = parse_text(to_yaml(scenario))
    assert parsed.drafts == ()
    assert parsed.syntax_error is None
    return parsed.data


def elements(plain: dict):
    for name, cls in COLLECTIONS.items():
        for position, raw in enumerate(plain.get(name) or []):
            yield name, cls, position, raw


def careful_and_fast(cls, raw, ids, path):
    structurer = Structurer(ids)
    careful = structurer.obj(cls, copy.deepcopy(raw), path)
    make = fast_path(cls)
    quick = make(refs_of(ids))(copy.deepcopy(raw)) if make is not None else MISS
    return careful, structurer.drafts, quick


def refs_of(ids):
    named: dict[str, list[str]] = {}
    for id_, entry in ids.items():
        named.setdefault(entry.kind, []).append(id_)
    return Refs(named)


def ids_of(plain: dict):
    drafts: list = []
    ids = _load._collect_ids({0: plain}, drafts)
    assert drafts == []
    return ids


def test_every_collection_has_a_fast_path():
    for cls in COLLECTIONS.values():
        assert fast_path(cls) is not None, cls


def test_init_is_skipped_only_for_plain_classes():
    assert all(_bypass_init(cls) for cls in (Exchange, System, Role))
    assert not _bypass_init(cio_framework.model.Scenario)  # cached hash, post-init


@settings(max_examples=60)
@given(st.one_of(scenarios(max_elements=4), landscapes(max_systems=6)))
def test_fast_path_builds_what_the_careful_path_builds(scenario):
    plain = scenario_to_plain(scenario)
    ids = ids_of(plain)
    for name, cls, position, raw in elements(plain):
        careful, drafts, quick = careful_and_fast(cls, raw, ids, (name, position))
        assert drafts == []
        assert careful is not INVALID
        assert same(careful, getattr(scenario, name)[position])
        if quick is not MISS:
            assert same(quick, careful), (raw, quick, careful)
        elif cls in (System, Exchange):
            # plain systems and exchanges take the fast path, ids in any script
            assert any(k.startswith("x-") for k in raw) or not raw.get("id", "").isprintable(), raw


HIDDEN_OR_DECOMPOSED = [
    "环保局",
    "a\u00a0",
    "\u3000a",
    "a\u200b",
    "x" * 201,
    "e\u0301pb",  # NFD
    "\u00e9pb",  # NFC
    "ep\u202eb",
    "a\u3164",
    "a\ufe0f",
    "\u0435pb",  # Cyrillic, confusable but a valid id
    "\uff45\uff50\uff42",  # fullwidth, likewise
]


@settings(max_examples=500)
@given(st.text(max_size=8) | st.sampled_from(HIDDEN_OR_DECOMPOSED))
def test_the_fast_id_rule_is_valid_ids_rule(text):
    """The fast path builds exactly the ids valid_id accepts, in any script."""
    fast = fast_path(System)(Refs({"departments": ["d"]}))
    built = fast({"id": text, "name": "n", "department": "d"})
    assert (built is MISS) == (valid_id(text) is not None)
    if built is not MISS:
        assert built.id == text


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(),
    st.sampled_from(["", " a", "a ", "a\nb", "x" * 201, "环保局", "local", "off", "live", "-1"]),
    st.text(max_size=6),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def mutated_elements(draw):
    scenario = draw(st.one_of(scenarios(max_elements=4), landscapes(max_systems=6)))
    plain = scenario_to_plain(scenario)
    found = list(elements(plain))
    if not found:
        return plain, None
    name, cls, position, raw = draw(st.sampled_from(found))
    raw = copy.deepcopy(raw)
    ids = sorted(ids_of(plain))
    keys = [
        attrs.fields_dict(cls)[n].metadata.get("cio_framework", {}).get("key") or n
        for n in attrs.fields_dict(cls)
    ]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        action = draw(st.sampled_from(["set", "set-id", "drop", "add"]))
        key = draw(st.sampled_from(keys + list(raw)))
        if action == "set":
            raw[key] = draw(ODD_VALUES)
        elif action == "set-id" and ids:
            value = draw(st.sampled_from(ids))
            raw[key] = draw(st.sampled_from([value, [value], [value, value]]))
        elif action == "drop":
            raw.pop(key, None)
        else:
            raw[draw(st.sampled_from(["x-extra", "unknown", f"{key}s", 3]))] = 1
    return plain, (name, cls, position, raw)


@settings(max_examples=300)
@given(mutated_elements())
def test_fast_path_never_accepts_what_the_careful_path_refuses(case):
    plain, element = case
    if element is None:
        return
    name, cls, position, raw = element
    ids = ids_of(plain)
    careful, drafts, quick = careful_and_fast(cls, raw, ids, (name, position))
    if careful is INVALID:
        assert drafts
        assert quick is MISS, (raw, quick)
    elif quick is not MISS:
        assert same(quick, careful), (raw, quick, careful)


@pytest.mark.parametrize("name", ["pudong-2016", "us-federal"])
def test_builtin_scenarios_load_the_same_without_fast_paths(name, monkeypatch):
    quick = cio_framework.load(builtin_path(name))
    monkeypatch.setattr(_load, "fast_path", lambda cls: None)
    careful = cio_framework.load(builtin_path(name))
    assert quick == careful
    for collection in COLLECTIONS:
        for a, b in zip(getattr(quick, collection), getattr(careful, collection), strict=True):
            assert same(a, b)


def test_synthetic_scenario_loads_the_same_without_fast_paths(monkeypatch):
    text = synth_text(300, seed=5)
    quick = cio_framework.loads(text)
    monkeypatch.setattr(_load, "fast_path", lambda cls: None)
    assert cio_framework.loads(text) == quick


def test_instances_built_without_init_behave_like_any_other():
    raw = {"id": "e1", "from": "a", "to": "b", "resources": ["r"], "status": "planned"}
    ids = {
        "a": _load.IdEntry(kind="systems", file_index=0, path=("systems",)),
        "b": _load.IdEntry(kind="systems", file_index=0, path=("systems",)),
        "r": _load.IdEntry(kind="resources", file_index=0, path=("resources",)),
    }
    fast = fast_path(Exchange)(refs_of(ids))
    quick = fast(raw)
    built = Exchange(
        id="e1",
        from_="a",
        to="b",
        resources=("r",),
        status=cio_framework.model.ExchangeStatus.PLANNED,
    )
    assert quick is not MISS
    assert same(quick, built)
    assert hash(quick) == hash(built)
    assert repr(quick) == repr(built)
    assert pickle.loads(pickle.dumps(quick)) == built
    assert attrs.evolve(quick, to="a") == attrs.evolve(built, to="a")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        quick.to = "a"  # type: ignore[misc]
    # a reference of the wrong kind, or an unknown one, is not for the fast path
    assert fast({**raw, "to": "r"}) is MISS
    assert fast({**raw, "to": "zz"}) is MISS


@settings(max_examples=100)
@given(st.one_of(scenarios(max_elements=4), landscapes(max_systems=6)), st.data())
def test_a_reference_to_the_wrong_kind_of_element_misses(scenario, data):
    plain = scenario_to_plain(scenario)
    ids = ids_of(plain)
    for name, cls, position, raw in elements(plain):
        for plan in plan_of(cls):
            if not plan.ref or plan.spec.kind not in ("str", "tuple"):
                continue
            wrong = sorted(i for i, e in ids.items() if e.kind not in plan.ref)
            if not wrong:
                continue
            value = data.draw(st.sampled_from(wrong))
            if value in plan.literals:
                continue
            bad = {**raw, plan.key: value if plan.spec.kind == "str" else [value]}
            careful, _, quick = careful_and_fast(cls, bad, ids, (name, position))
            assert careful is INVALID
            assert quick is MISS, (bad, quick)


def test_a_class_that_refuses_in_its_own_init_makes_the_fast_path_miss():
    """Change checks in __attrs_post_init__ that it holds exactly one change:
    its fast path calls the class and turns the refusal into a miss."""
    from cio_framework.model import Change

    assert not _bypass_init(Change)
    fast = fast_path(Change)(Refs({"systems": ["s1"], "exchanges": ["e1"]}))
    assert fast({"retire_system": "s1", "remove_exchange": "e1"}) is MISS
    assert fast({"retire_system": "s1"}) == Change(retire_system="s1")
