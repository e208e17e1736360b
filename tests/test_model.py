"""The typed model: immutability, validation, conveniences."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from cio_framework.model import (
    DEFAULT_LEVELS,
    Body,
    Department,
    FrozenMap,
    IssueRange,
    Level,
    Meeting,
    Person,
    Responsibility,
    Role,
    RoleKind,
    Scenario,
    normalize_raci,
    valid_id,
)
from cio_framework.testing import make_scenario


def test_elements_are_frozen():
    """Assigning to a field of a model value raises."""
    role = Role(id="a", title="A", level="strategic")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        role.title = "B"  # type: ignore[misc]


def test_fields_are_keyword_only():
    """Positional construction is refused."""
    with pytest.raises(TypeError):
        Level("strategic", "Strategic")  # type: ignore[misc]


def test_collections_become_tuples_and_values_hash():
    """Lists are converted to tuples so scenarios hash and compare."""
    s1 = make_scenario()
    s2 = make_scenario()
    assert isinstance(s1.roles, tuple)
    assert s1 == s2
    assert hash(s1) == hash(s2)
    assert {s1, s2} == {s1}


def test_role_list_fields_reject_a_bare_string():
    """A string is not silently split into characters."""
    with pytest.raises(TypeError):
        Role(id="a", title="A", level="strategic", dotted_lines="cio-office")


def test_default_levels_are_the_articles_four():
    """Without levels, a scenario has strategic, executive, support, advisory."""
    assert Scenario(name="x").level_ids() == ("strategic", "executive", "support", "advisory")
    assert Scenario(name="x", levels=[]).levels == DEFAULT_LEVELS


def test_custom_levels_replace_the_defaults():
    """Levels given replace the four defaults."""
    s = Scenario(name="x", levels=[Level(id="agency", name="Agency")])
    assert s.level_ids() == ("agency",)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "empty"),
        (" a", "white space"),
        ("a\nb", "control"),
        ("x" * 201, "at most 200"),
    ],
)
def test_invalid_ids_are_refused(value, problem):
    """Ids must be non-empty, trimmed, single-line and not too long."""
    assert problem in (valid_id(value) or "")
    with pytest.raises(ValueError, match=problem):
        Department(id=value, name="D")


def test_ids_in_other_scripts_are_valid():
    """Chinese ids are accepted."""
    assert Department(id="环保局", name="环境保护局").id == "环保局"


def test_raci_letters_are_normalised():
    """RACI letters are upper-cased and put in R, A, C, I order."""
    duty = Responsibility(id="d", name="D", raci={"x": "ar", "y": "i/c"})
    assert duty.raci == {"x": "RA", "y": "CI"}
    assert duty.accountable == ("x",)


def test_raci_rejects_unknown_letters():
    """Letters other than R, A, C, I are an error."""
    with pytest.raises(ValueError, match="among R, A, C, I"):
        normalize_raci("RZ")


def test_issue_range_bounds():
    """An issue range's minimum may not exceed its maximum."""
    assert 2 in IssueRange(minimum=1, maximum=2)
    assert 3 not in IssueRange(minimum=1, maximum=2)
    with pytest.raises(ValueError, match="above its maximum"):
        IssueRange(minimum=2, maximum=1)


def test_numeric_bounds_are_enforced():
    """A non-positive meeting interval and a non-finite number are refused."""
    with pytest.raises(ValueError, match="greater than 0"):
        Body(id="b", name="B", meets_every_months=0)
    with pytest.raises(ValueError, match="finite"):
        Body(id="b", name="B", meets_every_months=float("inf"))


def test_extensions_must_use_x_prefix():
    """Extension keys that do not start with x- are refused."""
    with pytest.raises(ValueError, match="x-"):
        Person(id="p", extensions={"budget": 1})
    assert Person(id="p", extensions={"x-budget": [1, 2]}).extensions == {"x-budget": (1, 2)}


def test_short_repr_shows_only_non_defaults():
    """The repr leaves out fields equal to their defaults."""
    assert repr(Role(id="a", title="A", level="strategic")) == (
        "Role(id='a', title='A', level='strategic')"
    )


def test_scenario_repr_counts_collections():
    """A scenario's repr names it and counts its elements."""
    assert repr(make_scenario()) == (
        "<Scenario 'Test scenario': people=2, departments=2, roles=2, bodies=1, "
        "responsibilities=1, appraisals=1>"
    )


def test_scenario_get_finds_any_element_by_id():
    """Scenario.get looks ids up across every collection."""
    s = make_scenario()
    assert s.get("epb").name == "Environmental Protection Bureau"
    assert s.get("epb-cio").kind is RoleKind.DEPARTMENTAL_CIO
    assert s.get("missing") is None


def test_unsupported_format_version_is_refused():
    """Format versions 1 and 2 exist; the default is 2."""
    assert Scenario(name="x").format_version == 2
    assert Scenario(name="x", format_version=1).format_version == 1
    for version in (0, 3):
        with pytest.raises(ValueError, match="unsupported format version"):
            Scenario(name="x", format_version=version)
    # a string or a bool that compares equal to a version is not one, and the
    # message shows what was given as Python writes it
    for version, shown in (("2", "'2'"), (True, "True"), (2.0, "2.0")):
        with pytest.raises(ValueError, match=f"unsupported format version {shown};"):
            Scenario(name="x", format_version=version)


def test_person_display_name_for_unnamed_person():
    """An unnamed person shows as unnamed with the id."""
    assert Person(id="epb-deputy").display_name == "(unnamed: epb-deputy)"
    assert Person(id="p", name="Min Qingfeng").display_name == "Min Qingfeng"


def test_frozenmap_is_immutable_and_compares_like_dict():
    """FrozenMap equals dicts with the same items and cannot be changed."""
    m = FrozenMap({"a": 1, "b": 2})
    assert m == {"b": 2, "a": 1}
    assert m != {"a": 1}
    assert list(m) == ["a", "b"]
    with pytest.raises(AttributeError):
        m.x = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        m["a"] = 3  # type: ignore[index]


def test_meeting_dates_are_dates():
    """Meetings keep their date as a datetime.date."""
    m = Meeting(date=dt.date(2016, 8, 10), proxies=["x"])
    assert m.date.year == 2016
    assert m.proxies == ("x",)
