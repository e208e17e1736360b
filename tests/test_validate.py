"""Safe to embed: scenarios built in Python are validated, arguments checked."""

from __future__ import annotations

import gc
import importlib
import math

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import WhatIfError
from cio_framework.exceptions import ConfigError
from cio_framework.model import (
    Change,
    Department,
    Exchange,
    Platform,
    Role,
    System,
    SystemStatus,
    WhatIf,
)
from cio_framework.testing import landscapes, make_scenario, scenarios


def landscape(**changes):
    """A small valid scenario with a landscape, built in Python."""
    parts = {
        "platforms": [Platform(id="cloud", name="Cloud")],
        "systems": [
            System(id="a", name="A", department="epb"),
            System(id="b", name="B", department="district"),
        ],
        "exchanges": [Exchange(id="a-cloud", from_="a", to="cloud")],
    }
    parts.update(changes)
    return make_scenario(**parts)


def _duplicate_ids():
    s = landscape()
    return attrs.evolve(s, systems=[*s.systems, System(id="a", name="A again", department="epb")])


def _unknown_system():
    s = landscape()
    return attrs.evolve(s, exchanges=[*s.exchanges, Exchange(from_="a", to="nowhere")])


def _dangling_department():
    return landscape(systems=[System(id="a", name="A", department="epd")])


def _bad_id():
    with attrs.validators.disabled():
        system = System(id=" a", name="A", department="epb")
    return landscape(systems=[system], exchanges=[])


def _evolved_away():
    # the departments change, the roles and systems still name the old ones
    s = landscape()
    return attrs.evolve(s, departments=[Department(id="other", name="Other")])


def _wrong_type():
    return landscape(systems=[System(id="a", name="A", department="epb", status="retired")])


#: Inconsistent scenarios built in Python, with the (code, path) of one problem each has.
BROKEN = {
    "duplicate-ids": (_duplicate_ids, ("duplicate-id", "$.systems[2].id")),
    "exchange-to-unknown-system": (
        _unknown_system,
        ("dangling-reference", "$.exchanges[1].to"),
    ),
    "dangling-department": (
        _dangling_department,
        ("dangling-reference", "$.systems[0].department"),
    ),
    "invalid-id": (_bad_id, ("bad-value", "$.systems[0].id")),
    "evolve-inconsistent": (_evolved_away, ("dangling-reference", "$.roles[0].department")),
    "string-for-enum": (_wrong_type, ("wrong-type", "$.systems[0].status")),
}

#: Every public analysis, called on one scenario.
ANALYSES = {
    "islands": cio_framework.islands,
    "barriers": cio_framework.barriers,
    "priorities": cio_framework.priorities,
    "roadmap": cio_framework.roadmap,
    "agenda": cio_framework.agenda,
    "check": cio_framework.check,
    "summarize": cio_framework.summarize,
    "fault_zones": cio_framework.fault_zones,
    "indicators": cio_framework.indicators,
    "brokers": cio_framework.brokers,
    "single_points_of_failure": cio_framework.single_points_of_failure,
    "whatif": lambda s: cio_framework.whatif(s, WhatIf(id="nothing", changes=[])),
    "compare_variant": lambda s: cio_framework.compare_variant(s, s),
    "to_networkx": cio_framework.to_networkx,
    "assess_candidates": cio_framework.analysis.assess_candidates,
    "compare_jurisdictions": lambda s: cio_framework.analysis.compare_jurisdictions([s]),
}


def _validate_module():
    from cio_framework.config import _validate

    return _validate


@pytest.fixture
def count_validations(monkeypatch):
    """Count the validations that actually run (not those a mark skips)."""
    module = _validate_module()
    calls = []
    real = module._problems

    def counting(scenario):
        calls.append(scenario)
        return real(scenario)

    monkeypatch.setattr(module, "_problems", counting)
    return calls


@pytest.mark.parametrize("case", BROKEN)
def test_validate_finds_each_inconsistency_by_path(case):
    """validate() reports the problem of a scenario built in Python, located by path."""
    build, (code, path) = BROKEN[case]
    problems = cio_framework.validate(build())
    assert (code, path) in {(p.code, p.path) for p in problems}
    assert all(p.file is None and p.line is None for p in problems)


@pytest.mark.parametrize("analysis", ANALYSES)
@pytest.mark.parametrize("case", BROKEN)
def test_every_analysis_refuses_an_inconsistent_scenario(case, analysis):
    """Each public analysis raises InvalidScenarioError rather than compute on it."""
    from cio_framework import InvalidScenarioError

    build, (code, path) = BROKEN[case]
    with pytest.raises(InvalidScenarioError) as caught:
        ANALYSES[analysis](build())
    assert (code, path) in {(p.code, p.path) for p in caught.value.problems}


def test_the_error_is_a_config_error_that_names_paths():
    """InvalidScenarioError is a ConfigError (so a ValueError) and shows each path."""
    from cio_framework import InvalidScenarioError

    with pytest.raises(InvalidScenarioError) as caught:
        cio_framework.islands(_dangling_department())
    err = caught.value
    assert isinstance(err, ConfigError)
    assert isinstance(err, ValueError)
    text = str(err)
    assert text.splitlines()[0] == "1 problem in a scenario built in Python"
    assert "$.systems[0].department: error: unknown department 'epd'" in text
    assert "<string>" not in text


def test_a_duplicate_names_the_first_element_by_path():
    """The message of a duplicate id points at the first element's path."""
    problems = cio_framework.validate(_duplicate_ids())
    assert [p.message for p in problems if p.code == "duplicate-id"] == [
        "duplicate id 'a': already used by the system at $.systems[0].id"
    ]


def test_an_exchange_to_an_unknown_system_is_not_dropped():
    """Before, an exchange to an unknown system was silently ignored by islands()."""
    from cio_framework import InvalidScenarioError

    with pytest.raises(InvalidScenarioError):
        cio_framework.indicators(_unknown_system())


def test_a_valid_python_scenario_is_analysed_and_validated_once(count_validations):
    """A valid scenario built in Python works and is validated on first use only."""
    s = landscape()
    assert cio_framework.validate(s) == ()
    first = cio_framework.islands(s)
    cio_framework.priorities(s)
    cio_framework.roadmap(s, budget=2)
    cio_framework.compare_variant(s, s)
    assert cio_framework.islands(s) == first
    assert len(count_validations) == 1


def test_analyses_validate_an_unchecked_scenario_once(count_validations):
    """Without an explicit validate(), the first analysis validates, later ones do not."""
    s = landscape()
    cio_framework.check(s)
    cio_framework.indicators(s)
    cio_framework.to_networkx(s)
    assert len(count_validations) == 1


def test_loaded_scenarios_are_not_validated_again(count_validations):
    """The loader's scenarios are known valid: no analysis validates them."""
    s = cio_framework.loads(cio_framework.dumps(landscape()))
    cio_framework.islands(s)
    cio_framework.roadmap(s)
    cio_framework.check(s)
    built = cio_framework.builtin("pudong-2016")
    cio_framework.compare_variant(built, cio_framework.whatif(built, "connect-epb"))
    assert count_validations == []


def test_evolve_and_a_new_scenario_do_not_carry_the_mark(count_validations):
    """attrs.evolve and Scenario(...) give new, unmarked scenarios, even when equal."""
    s = cio_framework.loads(cio_framework.dumps(landscape()))
    copy = attrs.evolve(s)
    assert copy == s
    cio_framework.islands(copy)
    cio_framework.islands(cio_framework.model.Scenario(**attrs.asdict(s, recurse=False)))
    assert len(count_validations) == 2


def test_an_invalid_scenario_is_validated_each_time(count_validations):
    """An invalid scenario is not marked: asking again reports the problem again."""
    s = _dangling_department()
    assert cio_framework.validate(s)
    assert cio_framework.validate(s)
    assert len(count_validations) == 2


def test_the_marks_go_with_their_scenarios():
    """The registry of valid scenarios holds only live ones: it does not grow."""
    module = _validate_module()
    gc.collect()
    before = len(module._CHECKED)
    base = landscape()
    for position in range(50):
        cio_framework.islands(attrs.evolve(base, name=f"copy {position}"))
    del base
    gc.collect()
    assert len(module._CHECKED) == before


def test_validate_refuses_what_is_not_a_scenario():
    """validate() of something else is a TypeError, not a list of problems."""
    with pytest.raises(TypeError, match="expected a Scenario"):
        cio_framework.validate({"name": "x"})


# -- agreement with the loader --------------------------------------------------------


def _loader_problems(scenario):
    try:
        cio_framework.loads(cio_framework.dumps(scenario))
    except ConfigError as err:
        return err.problems
    return ()


def _key(problem):
    # a duplicate's message names the first element by line (loader) or path (validate)
    message = (
        problem.message.split(" at ")[0] if problem.code == "duplicate-id" else problem.message
    )
    return (problem.code, problem.path, message, problem.hint, problem.expected, problem.got)


@st.composite
def broken(draw):
    """A generated valid scenario, then perhaps broken the way Python code breaks one."""
    s = draw(scenarios() | landscapes())
    how = draw(st.sampled_from(["none", "duplicate", "dangle", "bad-id", "drop"]))
    with_ids = [name for name, _ in s.elements() if name not in ("levels", "scenarios")]
    with_ids = sorted({n for n in with_ids if hasattr(getattr(s, n)[0], "id")})
    if how == "duplicate" and with_ids:
        name = draw(st.sampled_from(with_ids))
        items = getattr(s, name)
        return attrs.evolve(s, **{name: [*items, draw(st.sampled_from(items))]})
    if how == "dangle" and s.systems:
        at = draw(st.integers(0, len(s.systems) - 1))
        systems = list(s.systems)
        systems[at] = attrs.evolve(systems[at], department="no-such-department")
        return attrs.evolve(s, systems=systems)
    if how == "dangle" and s.roles:
        roles = list(s.roles)
        roles[0] = attrs.evolve(roles[0], level="no-such-level")
        return attrs.evolve(s, roles=roles)
    if how == "bad-id" and s.departments:
        with attrs.validators.disabled():
            departments = [attrs.evolve(s.departments[0], id=s.departments[0].id + " ")]
        return attrs.evolve(s, departments=[*departments, *s.departments[1:]])
    if how == "drop" and s.departments:
        return attrs.evolve(s, departments=s.departments[1:])
    return s


@given(broken())
def test_validate_agrees_with_loading_the_dumped_text(scenario):
    """validate(s) finds exactly what loads(dumps(s)) finds, with paths for lines."""
    found = _validate_module()._problems(scenario)
    assert sorted(map(_key, found)) == sorted(map(_key, _loader_problems(scenario)))
    assert (cio_framework.validate(scenario) == ()) == (found == ())


@settings(max_examples=50)
@given(landscapes())
def test_whatif_results_are_valid(scenario):
    """A variant from the scenario itself gives a valid scenario, marked as such."""
    for variant in scenario.scenarios:
        try:
            result = cio_framework.whatif(scenario, variant.id)
        except WhatIfError:
            continue
        assert result.scenarios == ()
        assert _validate_module().is_checked(result)
        assert _validate_module()._problems(result) == ()


def test_the_variant_of_a_builtin_holds_no_variants_and_reloads():
    """whatif() drops the baseline's variants, so the variant dumps and loads back."""
    base = cio_framework.builtin("pudong-2016")
    after = cio_framework.whatif(base, "connect-epb")
    assert after.scenarios == ()
    assert cio_framework.loads(cio_framework.dumps(after)) == after


def test_a_foreign_variant_that_breaks_the_scenario_is_refused():
    """A WhatIf from elsewhere whose result is invalid raises WhatIfError."""
    s = landscape()
    bad = WhatIf(
        id="bad",
        changes=[
            Change(add_exchange=Exchange(id="b-cloud", from_="b", to="cloud", resources=["ghost"]))
        ],
    )
    with pytest.raises(WhatIfError, match=r"\$\.exchanges\[1\]\.resources\[0\]"):
        cio_framework.whatif(s, bad)


def test_a_foreign_variant_that_keeps_it_valid_is_validated(count_validations):
    """A foreign WhatIf's result is validated once, then analysed without again."""
    s = landscape()
    add = WhatIf(
        id="add",
        changes=[Change(add_exchange=Exchange(id="b-cloud", from_="b", to="cloud"))],
    )
    result = cio_framework.whatif(s, add)
    cio_framework.islands(result)
    assert len(count_validations) == 2  # the baseline, then the result


# -- arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"budget": math.nan}, ValueError, "budget must be a finite number, 0 or more, not nan"),
        ({"budget": math.inf}, ValueError, "budget must be a finite number, 0 or more, not inf"),
        ({"budget": -1}, ValueError, "budget must be a finite number, 0 or more, not -1"),
        ({"budget": "3"}, TypeError, "budget must be a number, not str"),
        ({"budget": True}, TypeError, "budget must be a number, not bool"),
        ({"limit": -1}, ValueError, "limit must be 0 or more, not -1"),
        ({"limit": 1.5}, TypeError, "limit must be a whole number, not float"),
        ({"limit": "2"}, TypeError, "limit must be a whole number, not str"),
        ({"limit": False}, TypeError, "limit must be a whole number, not bool"),
    ],
)
def test_roadmap_checks_its_arguments_as_the_cli_does(arguments, error, message):
    """A budget or limit the command line would refuse raises, with a message."""
    with pytest.raises(error, match=message):
        cio_framework.roadmap(landscape(), **arguments)


@pytest.mark.parametrize("arguments", [{"budget": 0}, {"budget": 2.5}, {"limit": 0}, {}])
def test_roadmap_takes_good_arguments(arguments):
    """Zero, whole and fractional budgets and a zero limit are fine."""
    plan = cio_framework.roadmap(landscape(), **arguments)
    assert plan.total_cost <= arguments.get("budget", math.inf)


@pytest.mark.parametrize(
    ("weights", "error"),
    [({"cost": math.nan}, ValueError), ({"cost": "x"}, TypeError), ({"reach": 1}, ValueError)],
)
def test_priorities_checks_its_weights(weights, error):
    """priorities() refuses an unknown factor and a weight that is not a number."""
    with pytest.raises(error):
        cio_framework.priorities(landscape(), weights=weights)


# -- Scenario.get -------------------------------------------------------------------


def test_get_with_a_kind_returns_only_that_kind():
    """get(id, System) gives the system, and None for another kind's id."""
    s = landscape()
    assert s.get("a", System) is s.systems[0]
    assert s.get("epb", System) is None
    assert s.get("epb", Department) is s.departments[1]
    assert s.get("epb-cio", Role).title == "Departmental CIO"
    assert s.get("nothing", System) is None


def test_get_without_a_kind_still_finds_any_element():
    """get(id) keeps working for every kind of element, levels included."""
    s = landscape()
    assert s.get("cloud") is s.platforms[0]
    assert s.get("strategic").id == "strategic"
    assert s.get("nothing") is None
    assert s.get("a-cloud", Exchange) is s.exchanges[0]
    assert s.get("a", SystemStatus) is None  # not an element class: nothing of that kind


def test_the_message_of_a_large_error_stays_small():
    """str() shows the first 100 problems and counts the rest; all stay in .problems."""
    s = landscape()
    systems = [System(id=f"s{i}", name="S", department="nope") for i in range(250)]
    with pytest.raises(cio_framework.InvalidScenarioError) as caught:
        cio_framework.islands(attrs.evolve(s, systems=systems, exchanges=[]))
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 250
    assert len(lines) == 102
    assert lines[-1] == "... and 150 more (all are in .problems)"


@pytest.mark.parametrize("case", BROKEN)
def test_compare_variant_refuses_a_broken_variant_before_analysing(case, monkeypatch):
    """compare_variant checks both scenarios before analysing either: a
    broken variant costs no analysis of the baseline."""
    from cio_framework import InvalidScenarioError

    whatif_module = importlib.import_module("cio_framework.analysis.whatif")
    analysed = []
    monkeypatch.setattr(whatif_module, "landscape", lambda s, **_: analysed.append(s))
    build, (code, path) = BROKEN[case]
    with pytest.raises(InvalidScenarioError) as caught:
        cio_framework.compare_variant(landscape(), build())
    assert (code, path) in {(p.code, p.path) for p in caught.value.problems}
    assert analysed == []
