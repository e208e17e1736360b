"""Hostile values (issue 12): unbounded integers, control characters,
surrogates, invisible characters and ids that look alike, drawn by
Hypothesis and written into otherwise valid scenarios.

Whatever the value, loading either succeeds or raises ConfigError whose
every problem is located; what loads goes through reports and dumps without
an exception; ids that look alike are reported by ``confusable-ids``.
"""

from __future__ import annotations

import json
import random
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError
from cio_framework.analysis import check
from cio_framework.model import Department, valid_id
from cio_framework.report import render_report

# -- strategies ------------------------------------------------------------------------

#: Any code point at all: controls, format characters, lone surrogates,
#: private use, unassigned.
any_character = st.integers(min_value=0, max_value=0x10FFFF).map(chr)
#: Characters chosen from the classes that broke something before.
hostile_character = st.sampled_from(
    "\x00\x1b\x7f\x85\x9b\u200b\u200d\u202e\u2066\u2028\ufeff\u00a0\u3000\u3164\ufe0f"
    "\ud800\udfff\ue000\U000e0001e\u0301\u0435\uff45"
)
hostile_text = st.text(any_character | hostile_character, min_size=1, max_size=12)
#: Integers of any size: past 64 bits, past a float's range (309 digits),
#: past Python's 4,300-digit limit on converting text.
#: Written as text, since Python itself refuses to convert the longest.
unbounded_integers = st.integers().map(str) | st.integers(min_value=1, max_value=4400).map(
    lambda digits: "-" * (digits % 2) + "9" * digits
)

#: For Latin letters, letters of other scripts drawn the same (a few pairs
#: from Unicode's confusables.txt, written out here independently of the
#: library's table).
LOOKALIKE = {
    "a": "\u0430",  # CYRILLIC SMALL LETTER A
    "c": "\u0441",  # CYRILLIC SMALL LETTER ES
    "e": "\u0435",  # CYRILLIC SMALL LETTER IE
    "o": "\u03bf",  # GREEK SMALL LETTER OMICRON
    "p": "\u0440",  # CYRILLIC SMALL LETTER ER
    "x": "\u0445",  # CYRILLIC SMALL LETTER HA
}


@st.composite
def confusable_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """An ASCII id and a different id that looks the same: some of its
    letters swapped for look-alikes of other scripts, or written fullwidth."""
    base = draw(st.text("acepox-0123", min_size=1, max_size=10).filter(lambda s: s[0] != "-"))
    if draw(st.booleans()) and any(ch in LOOKALIKE for ch in base):
        at = draw(st.sampled_from([i for i, ch in enumerate(base) if ch in LOOKALIKE]))
        return base, base[:at] + LOOKALIKE[base[at]] + base[at + 1 :]
    at = draw(st.integers(min_value=0, max_value=len(base) - 1))
    fullwidth = chr(ord(base[at]) + 0xFEE0)  # U+FF01..U+FF5E mirror ASCII 0x21..0x7E
    return base, base[:at] + fullwidth + base[at + 1 :]


# -- helpers ---------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "cio_framework": 1,
    "name": "Hostile",
    "departments": [{"id": "epb", "name": "EPB"}, {"id": "msb", "name": "MSB"}],
    "systems": [
        {"id": "s1", "name": "One", "department": "epb", "users": 10},
        {"id": "s2", "name": "Two", "department": "msb"},
    ],
    "exchanges": [{"from": "s1", "to": "s2"}],
    "resources": [{"id": "r", "name": "R", "owner": "epb"}],
    "demands": [{"by": "msb", "resource": "r", "weight": 2}],
}


def load_or_problems(data: dict[str, Any], number: str = "") -> cio_framework.Scenario | None:
    """The scenario of ``data`` written as JSON (lone surrogates as ``\\ud800``
    escapes, the string ``"NUMBER"`` as ``number``), or None after checking
    that every problem is located."""
    text = json.dumps(data, ensure_ascii=True).replace('"NUMBER"', number)
    problems: tuple[cio_framework.Problem, ...] = ()
    try:
        return cio_framework.loads(text, name="hostile.json")
    except ConfigError as err:
        problems = err.problems
    assert problems
    for problem in problems:
        assert problem.file == "hostile.json"
        assert problem.line is not None, problem
        assert problem.code
    return None


def through_everything(scenario: cio_framework.Scenario) -> None:
    """Every text form of the scenario is made without an exception."""
    for fmt in ("text", "markdown", "json"):
        render_report(scenario, fmt)
    cio_framework.dumps(scenario)
    check(scenario)


# -- properties ------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    field=st.sampled_from(
        [("systems", 0, "users"), ("demands", 0, "weight"), ("systems", 1, "annual_cost")]
    ),
    value=unbounded_integers,
)
def test_unbounded_integers_load_or_are_located(field, value):
    collection, index, key = field
    data = json.loads(json.dumps(BASE))
    data[collection][index][key] = "NUMBER"
    scenario = load_or_problems(data, value)
    if scenario is not None:
        through_everything(scenario)


@settings(max_examples=150, deadline=None)
@given(
    where=st.sampled_from(
        [
            ("departments", 0, "name"),
            ("departments", 1, "id"),
            ("systems", 0, "id"),
            ("systems", 1, "name"),
            ("resources", 0, "name"),
            ("demands", 0, "purpose"),
        ]
    ),
    text=hostile_text,
)
def test_hostile_text_loads_or_is_located(where, text):
    """Control characters, surrogates and invisible characters anywhere."""
    collection, index, key = where
    data = json.loads(json.dumps(BASE))
    data[collection][index][key] = text
    scenario = load_or_problems(data)
    if scenario is None:
        return
    through_everything(scenario)
    if key == "id":
        loaded = getattr(scenario, collection)[index].id
        assert valid_id(loaded) is None
        assert loaded == unicodedata.normalize("NFC", text)


@settings(max_examples=100, deadline=None)
@given(pair=confusable_pairs(), seed=st.integers(min_value=0, max_value=2**32))
def test_ids_that_look_alike_are_reported_in_any_order(pair, seed):
    plain, lookalike = pair
    assert plain != lookalike
    departments = [
        {"id": plain, "name": "One"},
        {"id": lookalike, "name": "Two"},
        {"id": "msb", "name": "MSB"},
    ]
    findings = []
    for _ in range(2):
        random.Random(seed).shuffle(departments)
        seed += 1
        scenario = cio_framework.loads(
            json.dumps({"cio_framework": 1, "name": "x", "departments": departments})
        )
        (finding,) = [f for f in check(scenario).findings if f.check == "confusable-ids"]
        assert finding.ids == tuple(sorted([plain, lookalike]))
        at = scenario.departments[finding.index]
        assert (finding.collection, at.id) == ("departments", max(plain, lookalike))
        findings.append(finding.message)
    assert findings[0] == findings[1]


@settings(max_examples=100, deadline=None)
@given(ids=st.lists(st.text("abcxyz-019", min_size=1, max_size=6), min_size=2, unique=True))
def test_different_ascii_ids_are_never_confusable(ids):
    departments = [{"id": id, "name": "D"} for id in ids if id == id.strip()]
    scenario = cio_framework.loads(
        json.dumps({"cio_framework": 1, "name": "x", "departments": departments})
    )
    assert not [f for f in check(scenario).findings if f.check == "confusable-ids"]


# -- examples from the issue -----------------------------------------------------------


def test_nfc_and_nfd_spellings_are_one_id():
    """Typed out, an id with a combining accent and the same id with the
    composed letter are one id, and a reference in either form names it."""
    nfd, nfc = "e\u0301pb", "\u00e9pb"
    text = f"cio_framework: 1\nname: x\ndepartments:\n  - {{id: {nfc}, name: A}}\n"
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text + f"  - {{id: {nfd}, name: B}}\n")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("duplicate-id", 5, 10)
    for department, reference in ((nfd, nfc), (nfc, nfd)):
        data = {
            "cio_framework": 1,
            "name": "x",
            "departments": [{"id": department, "name": "A"}],
            "systems": [{"id": "s", "name": "S", "department": reference}],
        }
        scenario = cio_framework.loads(json.dumps(data, ensure_ascii=False))
        assert scenario.departments[0].id == nfc
        assert scenario.systems[0].department == nfc


def test_a_decomposed_id_written_with_escapes_is_the_composed_id():
    """Escapes too: ids and references are normalised after parsing, and
    names keep the form they are written in."""
    text = (
        'cio_framework: 1\nname: x\ndepartments:\n  - {id: "e\\u0301pb", name: "e\\u0301"}\n'
        '  - {id: "\\u00e9pb", name: B}\n'
    )
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("duplicate-id", 5)
    scenario = cio_framework.loads(text.rsplit("  - ", 1)[0])
    assert scenario.departments[0].id == "\u00e9pb"
    assert scenario.departments[0].name == "e\u0301"


def test_references_in_keys_are_normalised_too():
    text = (
        "cio_framework: 1\nname: x\n"
        "people: [{id: p, name: P}]\n"
        "departments: [{id: d, name: D}]\n"
        "roles: [{id: r, title: R, level: strategic, department: d}]\n"
        'criteria: [{id: "\u00e9", name: E, weight: 1}]\n'
        'candidates: [{person: p, role: r, scores: {"e\\u0301": 3}}]\n'
    )
    scenario = cio_framework.loads(text)
    assert dict(scenario.candidates[0].scores) == {"\u00e9": 3}


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u00a0", "U+00A0 NO-BREAK SPACE"),
        ("\u3164", "U+3164 HANGUL FILLER"),
        ("\ufe0f", "U+FE0F VARIATION SELECTOR-16"),
        ("\ue000", "U+E000 without a name"),
    ],
)
def test_invisible_characters_in_ids_are_located_problems(character, name):
    text = f'cio_framework: 1\nname: x\ndepartments:\n  - {{id: "ep{character}b", name: E}}\n'
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("bad-value", 4, 10)
    assert problem.message.endswith(f"such as {name}")
    with pytest.raises(ValueError, match=name.replace("+", r"\+")):
        Department(id=f"ep{character}b", name="E")


def test_a_decomposed_id_built_in_python_is_refused_with_its_composed_form():
    with pytest.raises(ValueError, match="normal form NFC"):
        Department(id="e\u0301pb", name="E")


def test_a_decomposed_reference_built_in_python_is_refused_by_validate():
    """The model accepts any text in a reference; validate() and so every
    analysis refuse one that names an id in another form, which the
    analyses would otherwise miss."""
    from cio_framework.model import System
    from cio_framework.testing import make_scenario

    base = make_scenario()
    scenario = make_scenario(
        departments=[*base.departments, Department(id="\u00e9pb", name="E")],
        systems=[System(id="s", name="S", department="e\u0301pb")],
    )
    (problem,) = cio_framework.validate(scenario)
    assert (problem.path, problem.code) == ("$.systems[0].department", "bad-value")
    assert problem.hint == "write '\u00e9pb', the form the id takes"
    with pytest.raises(cio_framework.InvalidScenarioError):
        cio_framework.islands(scenario)


# -- the Python API given the wrong things ---------------------------------------


def test_agenda_items_is_checked_as_top_is():
    scenario = cio_framework.builtin("pudong-2016")
    with pytest.raises(ValueError, match="items must be 0 or more"):
        cio_framework.agenda(scenario, items=-1)
    with pytest.raises(TypeError, match="items must be a whole number"):
        cio_framework.agenda(scenario, items=2.5)
    assert len(cio_framework.agenda(scenario, items=1).items) == 1


def test_a_budget_beyond_the_bound_of_a_scenarios_budget_is_refused(capsys):
    from cio_framework.cli import main

    scenario = cio_framework.builtin("pudong-2016")
    assert cio_framework.roadmap(scenario, budget=float(2**53)).total_cost >= 0
    with pytest.raises(ValueError, match=r"at most 2\*\*53"):
        cio_framework.roadmap(scenario, budget=1e300)
    assert main(["priorities", "pudong-2016", "--budget", "1e300"]) == 2
    assert "at most 2**53" in capsys.readouterr().err


@pytest.mark.parametrize(
    "call",
    [
        lambda: cio_framework.dumps({}),
        lambda: cio_framework.dumps(None, format="json"),
        lambda: cio_framework.unstructure(None),
        lambda: cio_framework.unstructure({"name": "x"}),
        lambda: cio_framework.agenda({}),
    ],
)
def test_a_value_that_is_no_scenario_is_a_clear_type_error(call):
    with pytest.raises(TypeError, match="Scenario"):
        call()


def test_an_unknown_name_that_is_not_text_is_still_reported():
    """``whatif(s, None)``: the error's text is made, not a second error."""
    with pytest.raises(cio_framework.UnknownNameError) as caught:
        cio_framework.whatif(cio_framework.builtin("pudong-2016"), None)
    assert str(caught.value).startswith("unknown what-if scenario None; known: connect-epb")
