"""Governance checks: named, checkable rules of a CIO system.

Each check has a stable id, a default severity that a scenario can override
under ``checks:`` (or switch ``off``), and yields findings that name the
elements they concern. Most rules come from the Pudong article; the source of
each is given in its description.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import math
import operator
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .._util import counted, slot_maker, tuple_of
from ..config import require_valid
from ..exceptions import Severity, UnknownNameError
from ..graph.jurisdictions import JurisdictionTree
from ..model import (
    CHECK_INFO,
    COLLECTIONS,
    MEETING_SLACK,
    BodyKind,
    CheckInfo,
    CheckSetting,
    EvidenceStatus,
    PostRank,
    ResourceCategory,
    RoleFunction,
    Scenario,
    ShareType,
)
from ..model._confusable import skeleton
from ._results import Tabular, records_html
from .evidence import SOURCED, Evidence, EvidenceIndex

__all__ = [
    "AVERAGE_MONTH_DAYS",
    "CHECKS",
    "MEETING_SLACK",
    "Check",
    "CheckReport",
    "Finding",
    "check",
]

#: Days in an average month, used to turn meeting intervals into days.
AVERAGE_MONTH_DAYS = 365.2425 / 12


@attrs.frozen(kw_only=True)
class Finding:
    """One result of a governance check.

    Parameters
    ----------
    check
        The id of the check that produced it.
    severity
        After the scenario's overrides.
    message
        A plain sentence a civil servant can act on.
    ids
        The ids of the elements concerned, most relevant first.
    collection, index
        The element the finding is placed at, for locating it in a file:
        ``scenario.<collection>[index]``.
    evidence
        The grade of what it rests on: the elements ``ids`` name and the
        element it is placed at.
    jurisdiction
        The lowest common jurisdiction of the elements ``ids`` name that
        the jurisdiction tree places, at a jurisdiction or at the scenario
        level (:meth:`~cio_framework.graph.jurisdictions.JurisdictionTree.placed`);
        ``None`` at the scenario level, and so whenever one of them is.
    """

    check: str
    severity: Severity
    message: str
    ids: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    collection: str | None = None
    index: int | None = None
    evidence: Evidence
    jurisdiction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "ids": list(self.ids),
            "jurisdiction": self.jurisdiction,
            "evidence": self.evidence.to_dict(),
        }


#: ``Finding(...)`` made through its slots (a million findings at national scale).
_new_finding = slot_maker(Finding)


CheckFunction = Callable[
    [Scenario], Iterator[tuple[str, tuple[str, ...], str | None, int | tuple[int, ...] | None]]
]


@attrs.frozen(kw_only=True)
class Check(CheckInfo):
    """A named governance rule: the model's :class:`~cio_framework.model.CheckInfo`
    (``id``, ``severity``, ``title``, ``description``) with its function.

    Parameters
    ----------
    function
        Yields ``(message, ids, collection, index)`` for each breach:
        ``index`` is the position in ``collection`` of the element the
        breach is placed at, or a tuple of the positions of every element
        it rests on (graded on them all, placed at the first).
    """

    function: CheckFunction = attrs.field(repr=False)


#: Every governance check, by id, in the order they run: the model's
#: ``cio_framework.model.CHECK_INFO``, each with its function.
CHECKS: dict[str, Check] = {}


def _register(id: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as the check ``id`` of the model's registry."""

    def decorate(function: CheckFunction) -> CheckFunction:
        CHECKS[id] = Check(**attrs.asdict(CHECK_INFO[id], recurse=False), function=function)
        return function

    return decorate


def _departmental_cios(scenario: Scenario) -> dict[str, list[str]]:
    """Department id to its departmental chief officers' role ids (CIO,
    CDO, ... of any grade, by :attr:`~cio_framework.model.Role.is_departmental_officer`)."""
    result: dict[str, list[str]] = {}
    for role in scenario.roles:
        if role.is_departmental_officer:
            result.setdefault(role.department or "", []).append(role.id)
    return result


def _label(name: str | None, id: str) -> str:
    return f"{name} ({id})" if name and name != id else id


@_register("pilot-without-cio")
def _pilot_without_cio(scenario: Scenario) -> Iterator[Any]:
    cios = _departmental_cios(scenario)
    for index, department in enumerate(scenario.departments):
        if department.pilot and department.id not in cios:
            yield (
                f"Pilot department {_label(department.name, department.id)} has no departmental "
                "chief officer: add a role for it with function cio (or cdo, cdio, ciso) and "
                "scope department.",
                (department.id,),
                "departments",
                index,
            )


@_register("vacant-role")
def _vacant_role(scenario: Scenario) -> Iterator[Any]:
    for index, role in enumerate(scenario.roles):
        if role.holder is None:
            yield (
                f"Role {_label(role.title, role.id)} is vacant: name its holder.",
                (role.id,),
                "roles",
                index,
            )


def _roles_by_id(scenario: Scenario) -> dict[str, Any]:
    return {role.id: role for role in scenario.roles}


def _cycles(scenario: Scenario) -> list[list[str]]:
    """Each reporting cycle once, as the list of role ids around it."""
    roles = _roles_by_id(scenario)
    state: dict[str, int] = {}  # 1 on the current walk, 2 done
    cycles = []
    for start in roles:
        if state.get(start):
            continue
        walk: list[str] = []
        current: str | None = start
        while current is not None and current in roles and not state.get(current):
            state[current] = 1
            walk.append(current)
            current = roles[current].reports_to
        if current is not None and state.get(current) == 1:
            cycles.append(walk[walk.index(current) :])
        for role_id in walk:
            state[role_id] = 2
    return cycles


@_register("reporting-cycle")
def _reporting_cycle(scenario: Scenario) -> Iterator[Any]:
    positions = {role.id: i for i, role in enumerate(scenario.roles)}
    cycles = []
    for cycle in _cycles(scenario):
        at = cycle.index(min(cycle))  # read from its least id, in any order of the list
        cycles.append(cycle[at:] + cycle[:at])
    for ordered in sorted(cycles):
        first = ordered[0]
        yield (
            "Reporting cycle: " + " → ".join([*ordered, ordered[0]]) + "; break it by making "
            "one of them report upwards.",
            tuple(ordered),
            "roles",
            positions[first],
        )


def _chain_tops(roles: Mapping[str, Any], in_cycle: set[str]) -> dict[str, str | None]:
    """The top of every role's reporting chain: the first role up it that
    reports to no role, or ``None`` for a chain that runs into a cycle.

    Each role is walked once: a walk stops at the first role whose top is
    known and hands that top to every role it passed, so a chain of n roles
    costs O(n), not O(n²).
    """
    tops: dict[str, str | None] = {}
    for start in roles:
        walk: list[str] = []
        current = start
        while current not in tops:
            if current in in_cycle:
                tops[current] = None
                break
            walk.append(current)
            boss = roles[current].reports_to
            if boss not in roles:
                tops[current] = current
                break
            current = boss
        top = tops[current]
        for role_id in walk:
            tops[role_id] = top
    return tops


@_register("reporting-top-not-strategic")
def _reporting_top(scenario: Scenario) -> Iterator[Any]:
    if not scenario.levels:
        return
    top_level = scenario.levels[0].id
    roles = _roles_by_id(scenario)
    in_cycle = {role_id for cycle in _cycles(scenario) for role_id in cycle}
    below: dict[str, int] = {}
    for role_id, top in _chain_tops(roles, in_cycle).items():
        if top is not None and top != role_id:
            below[top] = below.get(top, 0) + 1
    for index, role in enumerate(scenario.roles):
        if role.effective_function is RoleFunction.ADVISOR or role.id in in_cycle:
            continue
        if role.reports_to is None and role.level != top_level:
            count = below.get(role.id, 0)
            extra = (
                f" (nor {'does' if count == 1 else 'do'} the {counted(count, 'role')} under it)"
                if count
                else ""
            )
            yield (
                f"Role {_label(role.title, role.id)} at level {role.level!r} reports to nobody, "
                f"so its chain never reaches the {top_level!r} level{extra}: set reports_to.",
                (role.id,),
                "roles",
                index,
            )


@_register("raci-accountable")
def _raci_accountable(scenario: Scenario) -> Iterator[Any]:
    for index, duty in enumerate(scenario.responsibilities):
        accountable = duty.accountable
        if len(accountable) == 1:
            continue
        if not accountable:
            text = "has no Accountable role: mark exactly one role A"
        else:
            text = (
                f"has {len(accountable)} Accountable roles ({', '.join(accountable)}): keep one A"
            )
        yield (
            f"Responsibility {_label(duty.name, duty.id)} {text}.",
            (duty.id, *accountable),
            "responsibilities",
            index,
        )


@_register("non-delegable-delegated")
def _non_delegable(scenario: Scenario) -> Iterator[Any]:
    roles = {role.id: role for role in scenario.roles}
    for index, duty in enumerate(scenario.responsibilities):
        delegation = duty.delegation
        if duty.delegable and (delegation is None or not delegation.restricted):
            continue
        label = _label(duty.name, duty.id)
        accountable = duty.accountable
        others = [r for r in duty.roles_with("R") if r not in accountable]
        if delegation is None:
            rule, forbidden = "is not delegable", others
            delegated = f"{rule} but is delegated"
        else:
            rule = f"may be delegated only to {delegation.describe()}"
            forbidden = [r for r in others if not duty.may_delegate_to(roles[r])]
            delegated = f"{rule}, but is delegated"
        to = duty.delegated_to
        if to is not None and to not in accountable and not duty.may_delegate_to(roles[to]):
            yield (
                f"Responsibility {label} {delegated} to {to}.",
                (duty.id, to),
                "responsibilities",
                index,
            )
        elif forbidden:
            yield (
                f"Responsibility {label} {rule}, yet "
                f"{', '.join(forbidden)} {'is' if len(forbidden) == 1 else 'are'} Responsible for "
                "it instead of its Accountable role.",
                (duty.id, *forbidden),
                "responsibilities",
                index,
            )


@_register("body-without-chair")
def _body_without_chair(scenario: Scenario) -> Iterator[Any]:
    for index, body in enumerate(scenario.bodies):
        if body.chair is None:
            yield (
                f"Body {_label(body.name, body.id)} has no chair or convenor: set chair.",
                (body.id,),
                "bodies",
                index,
            )


def _meetings_of(scenario: Scenario) -> dict[str, list[tuple[int, Any]]]:
    result: dict[str, list[tuple[int, Any]]] = {}
    for index, meeting in enumerate(scenario.meetings):
        if meeting.body is not None:
            result.setdefault(meeting.body, []).append((index, meeting))
    for meetings in result.values():
        meetings.sort(key=lambda pair: pair[1].date)
    return result


@_register("meeting-interval")
def _meeting_interval(scenario: Scenario) -> Iterator[Any]:
    by_body = _meetings_of(scenario)
    for body in scenario.bodies:
        if body.meets_every_months is None:
            continue
        allowed = body.meets_every_months * AVERAGE_MONTH_DAYS * (1 + MEETING_SLACK)
        meetings = by_body.get(body.id, [])
        for (_, before), (index, after) in itertools.pairwise(meetings):
            gap = (after.date - before.date).days
            if gap > allowed:
                yield (
                    f"{body.name} met on {before.date.isoformat()} and next on "
                    f"{after.date.isoformat()}, {gap} days apart; it should meet every "
                    f"{body.meets_every_months:g} months (at most {allowed:.0f} days).",
                    (body.id, *(m.id for m in (before, after) if m.id)),
                    "meetings",
                    index,
                )
        if scenario.as_of is not None and meetings:
            index, last = meetings[-1]
            gap = (scenario.as_of - last.date).days
            if gap > allowed:
                yield (
                    f"{body.name} last met on {last.date.isoformat()}, {gap} days before "
                    f"{scenario.as_of.isoformat()}: the next meeting is overdue.",
                    (body.id,),
                    "meetings",
                    index,
                )


@_register("meeting-too-many-issues")
def _too_many_issues(scenario: Scenario) -> Iterator[Any]:
    bodies = {body.id: body for body in scenario.bodies}
    for index, meeting in enumerate(scenario.meetings):
        body = bodies.get(meeting.body or "")
        if body is None or body.issues_per_meeting is None:
            continue
        if len(meeting.issues) > body.issues_per_meeting.maximum:
            yield (
                f"The {body.name} meeting of {meeting.date.isoformat()} took "
                f"{len(meeting.issues)} major issues; at most "
                f"{body.issues_per_meeting.maximum} are allowed: move some to the next meeting.",
                (body.id, *((meeting.id,) if meeting.id else ())),
                "meetings",
                index,
            )


@_register("proxy-attendance")
def _proxy_attendance(scenario: Scenario) -> Iterator[Any]:
    for index, meeting in enumerate(scenario.meetings):
        if meeting.proxies:
            who = ", ".join(sorted(set(meeting.proxies)))  # a set: by id, once each
            yield (
                f"At the meeting of {meeting.date.isoformat()} {who} sent a proxy instead of "
                "attending in person.",
                tuple(meeting.proxies),
                "meetings",
                index,
            )


@_register("appraisal-excludes-cio")
def _appraisal(scenario: Scenario) -> Iterator[Any]:
    cios = _departmental_cios(scenario)
    appraisals: dict[str, list[bool]] = {}
    for appraisal in scenario.appraisals:
        appraisals.setdefault(appraisal.department, []).append(appraisal.includes_cio_work)
    for index, department in enumerate(scenario.departments):
        if not (department.pilot or department.id in cios):
            continue
        recorded = appraisals.get(department.id)
        if recorded is None:
            text = "has no performance appraisal recorded that includes CIO work"
        elif not any(recorded):
            text = "has a performance appraisal that leaves out CIO work"
        else:
            continue
        yield (
            f"Department {_label(department.name, department.id)} {text}: add CIO work to it.",
            (department.id,),
            "departments",
            index,
        )


@_register("cio-without-critical-element")
def _critical_element(scenario: Scenario) -> Iterator[Any]:
    if not scenario.performance_elements:
        return
    covered = {element.role for element in scenario.performance_elements if element.critical}
    for index, role in enumerate(scenario.roles):
        if not role.is_departmental_officer or role.holder is None:
            continue
        if role.id not in covered:
            yield (
                f"Role {_label(role.title, role.id)} has no critical element in its holder's "
                "own performance evaluation: add one under performance_elements.",
                (role.id,),
                "roles",
                index,
            )


@_register("cio-not-deputy")
def _cio_not_deputy(scenario: Scenario) -> Iterator[Any]:
    for index, role in enumerate(scenario.roles):
        if not role.is_departmental_officer or role.holder is None:
            continue
        if role.concurrent_rank is PostRank.DEPUTY:
            continue
        if role.concurrent_rank is None:
            text = "is not recorded as held concurrently by a deputy leader (set concurrent_rank: deputy)"
        else:
            text = (
                f"is held concurrently at rank {role.concurrent_rank.value!r}, not by a deputy "
                "leader"
            )
        yield (
            f"Role {_label(role.title, role.id)} {text}.",
            (role.id,),
            "roles",
            index,
        )


@_register("meeting-convenor")
def _meeting_convenor(scenario: Scenario) -> Iterator[Any]:
    bodies = {body.id: body for body in scenario.bodies}
    for index, meeting in enumerate(scenario.meetings):
        body = bodies.get(meeting.body or "")
        if body is None or body.chair is None or meeting.convened_by is None:
            continue
        if meeting.convened_by != body.chair:
            yield (
                f"The {body.name} meeting of {meeting.date.isoformat()} was convened by "
                f"{meeting.convened_by}, not by its chair {body.chair}.",
                (meeting.convened_by, body.id),
                "meetings",
                index,
            )


@_register("regular-meeting-missing")
def _regular_meeting_missing(scenario: Scenario) -> Iterator[Any]:
    if not scenario.roles:
        return
    if any(body.meets_every_months is not None for body in scenario.bodies):
        return
    if any(body.kind is BodyKind.REGULAR_MEETING for body in scenario.bodies):
        return
    yield (
        "No body meets at a regular interval: add one with meets_every_months.",
        (),
        None,
        None,
    )


@_register("point-to-point-exchange")
def _point_to_point(scenario: Scenario) -> Iterator[Any]:
    systems = {s.id for s in scenario.systems}
    if not scenario.platforms:
        return
    for index, exchange in enumerate(scenario.exchanges):
        if (
            exchange.via is None
            and exchange.live
            and exchange.from_ in systems
            and exchange.to in systems
            and exchange.from_ != exchange.to
        ):
            key = exchange.key
            yield (
                f"Exchange {key} runs point to point between two systems: route it "
                "through a shared platform (set via).",
                (key,),
                "exchanges",
                index,
            )


@_register("base-resource-not-unconditional")
def _base_unconditional(scenario: Scenario) -> Iterator[Any]:
    for index, resource in enumerate(scenario.resources):
        if (
            resource.category is ResourceCategory.BASE
            and resource.share is not ShareType.UNCONDITIONAL
        ):
            yield (
                f"Base resource {_label(resource.name, resource.id)} is shared "
                f"'{resource.share.value}'; base resources are shared unconditionally.",
                (resource.id,),
                "resources",
                index,
            )


@_register("share-without-legal-basis")
def _legal_basis(scenario: Scenario) -> Iterator[Any]:
    for index, resource in enumerate(scenario.resources):
        if resource.share is not ShareType.UNCONDITIONAL and not resource.legal_basis:
            yield (
                f"Resource {_label(resource.name, resource.id)} is shared "
                f"'{resource.share.value}' without a legal basis: cite one in legal_basis.",
                (resource.id,),
                "resources",
                index,
            )


@_register("exchange-with-inactive-system")
def _inactive_exchange(scenario: Scenario) -> Iterator[Any]:
    inactive = {s.id: s.status.value for s in scenario.systems if not s.in_use}
    if not inactive:
        return
    for index, exchange in enumerate(scenario.exchanges):
        if not (exchange.from_ in inactive or exchange.to in inactive):
            continue  # most exchanges: no list made for them
        ends = [e for e in (exchange.from_, exchange.to) if e in inactive]
        if exchange.live:
            states = ", ".join(f"{e} is {inactive[e]}" for e in ends)
            yield (
                f"Exchange {exchange.key} is live but {states}.",
                (exchange.key, *ends),
                "exchanges",
                index,
            )


def _parent_cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Each cycle of a parent relation once, from its least id, sorted."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 done
    cycles = []
    for start in sorted(parents):
        walk: list[str] = []
        current: str | None = start
        while current is not None and current in parents and not state.get(current):
            state[current] = 1
            walk.append(current)
            current = parents[current]
        if current is not None and state.get(current) == 1:
            cycle = walk[walk.index(current) :]
            at = cycle.index(min(cycle))  # named from its least id, in any order of the list
            cycles.append(cycle[at:] + cycle[:at])
        for item in walk:
            state[item] = 2
    return sorted(cycles)


@_register("department-cycle")
def _department_cycle(scenario: Scenario) -> Iterator[Any]:
    positions = {d.id: i for i, d in enumerate(scenario.departments)}
    for cycle in _parent_cycles({d.id: d.parent for d in scenario.departments}):
        yield (
            "Department parent cycle: " + " → ".join([*cycle, cycle[0]]) + "; break it by giving "
            "one of them its true parent, or none if it is at the top.",
            tuple(cycle),
            "departments",
            positions[cycle[0]],
        )


@_register("jurisdiction-cycle")
def _jurisdiction_cycle(scenario: Scenario) -> Iterator[Any]:
    positions = {j.id: i for i, j in enumerate(scenario.jurisdictions)}
    for cycle in _parent_cycles({j.id: j.parent for j in scenario.jurisdictions}):
        yield (
            "Jurisdiction parent cycle: " + " → ".join([*cycle, cycle[0]]) + "; break it by "
            "giving one of them the jurisdiction it lies within, or none if it is at the top "
            "(until then each is taken as a top).",
            tuple(cycle),
            "jurisdictions",
            positions[cycle[0]],
        )


@_register("dotted-line-to-self")
def _dotted_to_self(scenario: Scenario) -> Iterator[Any]:
    for index, role in enumerate(scenario.roles):
        if role.id in role.dotted_lines:
            yield (
                f"Role {_label(role.title, role.id)} has a dotted line to itself: remove "
                f"{role.id} from its dotted_lines, or name the role it was meant to be.",
                (role.id,),
                "roles",
                index,
            )


#: Unicode categories that show nothing: separators, controls and format
#: characters (zero-width space, joiners, direction marks ...).
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def _blank(text: str) -> bool:
    """Whether ``text`` shows nothing: empty, or only white space and
    invisible characters."""
    if text.isprintable() and text.strip(" "):
        return False  # printable (no separator but the space) with a non-space: it shows
    return all(unicodedata.category(ch) in _INVISIBLE for ch in text)


@_register("empty-name")
def _empty_name(scenario: Scenario) -> Iterator[Any]:
    if _blank(scenario.name):
        yield "The scenario's name is empty: give it one.", (), None, None
    required: dict[type, tuple[str, ...]] = {}  # looked up once per class
    for collection in COLLECTIONS:
        for index, element in enumerate(getattr(scenario, collection)):
            cls = type(element)
            names = required.get(cls)
            if names is None:
                names = required[cls] = _required_names(cls)
            for field in names:
                value = getattr(element, field)
                if isinstance(value, str) and _blank(value):
                    kind = type(element).__name__.lower()
                    element_id = getattr(element, "id", None)
                    yield (
                        f"The {field} of {kind} {element_id} is empty"
                        + (" or invisible" if value else "")
                        + f": give it a {field} that reports can show.",
                        (element_id,) if element_id else (),
                        collection,
                        index,
                    )


def _required_names(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` among ``name`` and ``title`` that have no
    default: names an element cannot leave out."""
    fields = attrs.fields(cls)
    return tuple(
        field
        for field in ("name", "title")
        if getattr(fields, field, None) is not None
        and getattr(fields, field).default is attrs.NOTHING
    )


@_register("exchange-self-loop")
def _self_loop(scenario: Scenario) -> Iterator[Any]:
    for index, exchange in enumerate(scenario.exchanges):
        if exchange.from_ == exchange.to:
            yield (
                f"Exchange {exchange.key} runs from {exchange.from_} to itself, so it connects "
                "nothing: set from or to to the other end, or remove it.",
                (exchange.key, exchange.from_),
                "exchanges",
                index,
            )


@_register("exchange-via-end")
def _via_end(scenario: Scenario) -> Iterator[Any]:
    for index, exchange in enumerate(scenario.exchanges):
        if exchange.via is not None and exchange.via in (exchange.from_, exchange.to):
            yield (
                f"Exchange {exchange.key} runs via {exchange.via}, which is one of its own ends: "
                "leave out via, or name the platform it passes through.",
                (exchange.key, exchange.via),
                "exchanges",
                index,
            )


@_register("duplicate-demand")
def _duplicate_demand(scenario: Scenario) -> Iterator[Any]:
    groups: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for index, demand in enumerate(scenario.demands):
        groups.setdefault((demand.by, demand.resource), []).append((index, demand))
    departments = {d.id: d for d in scenario.departments}
    resources = {r.id: r for r in scenario.resources}
    for (by, resource), found in sorted(groups.items()):
        if len(found) < 2:
            continue
        demands = [demand for _, demand in found]
        purposes = sorted({d.purpose for d in demands if d.purpose})
        why = f" (for {'; '.join(purposes)})" if purposes else ""
        total = math.fsum(d.weight for d in demands)
        department = departments.get(by)
        wanted = resources.get(resource)
        yield (
            f"Department {_label(department.name if department else None, by)} has "
            f"{len(demands)} demands for resource "
            f"{_label(wanted.name if wanted else None, resource)}{why}: the priorities add "
            f"their weights into one need of weight {total:g}, and the barriers list each "
            "demand apart: merge them into one demand.",
            (*sorted({d.key for d in demands}), by, resource),
            "demands",
            max(index for index, _ in found),
        )


@_register("duplicate-candidacy")
def _duplicate_candidacy(scenario: Scenario) -> Iterator[Any]:
    places: dict[tuple[str, str], list[int]] = {}
    for index, candidate in enumerate(scenario.candidates):
        places.setdefault((candidate.person, candidate.role), []).append(index)
    people = {p.id: p.name for p in scenario.people}
    roles = {r.id: r.title for r in scenario.roles}
    for (person, role), found in sorted(places.items()):
        if len(found) > 1:
            yield (
                f"Person {_label(people.get(person), person)} is a candidate for role "
                f"{_label(roles.get(role), role)} {len(found)} times, and the ranking lists "
                "each candidacy apart: keep one, with its scores.",
                (person, role),
                "candidates",
                (found[-1], *found[:-1]),  # graded on every candidacy, placed at the last
            )


@_register("appraisals-disagree")
def _appraisals_disagree(scenario: Scenario) -> Iterator[Any]:
    places: dict[str, list[int]] = {}
    for index, appraisal in enumerate(scenario.appraisals):
        places.setdefault(appraisal.department, []).append(index)
    departments = {d.id: d for d in scenario.departments}
    for department_id, found in sorted(places.items()):
        including = sum(scenario.appraisals[i].includes_cio_work for i in found)
        if 0 < including < len(found):
            department = departments.get(department_id)
            name = _label(department.name if department else None, department_id)
            yield (
                f"Department {name} has {len(found)} appraisals: {_some(including, 'includes')} "
                f"CIO work and {_some(len(found) - including, 'leaves')} it out: keep the one "
                "in force.",
                (department_id,),
                "appraisals",
                (found[-1], *found[:-1]),  # graded on every appraisal, placed at the last
            )


def _some(count: int, verb: str) -> str:
    """``"1 includes"``, ``"2 include"``: a count and a verb agreeing with it."""
    return f"{count} {verb if count == 1 else verb.removesuffix('s')}"


@_register("confusable-ids")
def _confusable_ids(scenario: Scenario) -> Iterator[Any]:
    # ids are unique and an ASCII id is its own skeleton, so ids look alike
    # only where one is not ASCII: those are grouped by skeleton first, then
    # the ASCII ids that are such a skeleton join them; every id with its
    # (last) place
    places: dict[str, dict[str, tuple[str, int]]] = {}
    every = [(collection, _ids_of(scenario, collection)) for collection in COLLECTIONS]
    for collection, found in every:
        for index, id in enumerate(found):
            if id is not None and not id.isascii():
                places.setdefault(skeleton(id), {})[id] = (collection, index)
    if not places:
        return
    for collection, found in every:
        for index, id in enumerate(found):
            if id is not None and id in places and id.isascii():
                places[id][id] = (collection, index)
    for same in sorted(places.values(), key=min):
        if len(same) < 2:
            continue
        ids = sorted(same)
        letters = sorted({ch for id in ids for ch in id if not ch.isascii()})
        named = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in letters[:3])
        more = f" and {len(letters) - 3} more" if len(letters) > 3 else ""
        collection, index = same[ids[-1]]
        yield (
            f"Ids {', '.join(repr(id) for id in ids)} look alike but are different ids "
            f"(they differ in {named}{more}): a reader cannot tell them apart and a "
            "reference may name the wrong one. Rename all but one.",
            tuple(ids),
            collection,
            index,
        )


def _ids_of(scenario: Scenario, collection: str) -> list[str | None]:
    """The id of each element of a collection, ``None`` where it has none."""
    return [
        found if isinstance(found := getattr(element, "id", None), str) else None
        for element in getattr(scenario, collection)
    ]


def _span(tenure: Any) -> str:
    start = tenure.start.isoformat() if tenure.start else "the start"
    end = f"until {tenure.end.isoformat()} (exclusive)" if tenure.end else "on"
    return f"{tenure.holder} from {start} {end}"


def _tenure_key(tenure: Any) -> tuple[Any, ...]:
    return (
        tenure.start is not None,
        tenure.start or dt.date.min,
        tenure.end is None,
        tenure.end or dt.date.max,
        tenure.holder,
        tenure.acting,
    )


def _ends_later(tenure: Any, than: Any) -> bool:
    """Whether ``tenure`` ends after ``than`` (an open end is the latest)."""
    if than.end is None:
        return False
    return tenure.end is None or tenure.end > than.end


@_register("tenure-overlap")
def _tenure_overlap(scenario: Scenario) -> Iterator[Any]:
    # Tenures in order of start (an open start first): one overlaps an
    # earlier tenure exactly when it overlaps the earlier one that ends last
    # (a tenure starts before it ends). Each such tenure is one finding, with
    # that earlier tenure: n tenures make at most n - 1 findings, in
    # O(n log n), however many of them share a day.
    for index, role in enumerate(scenario.roles):
        reach = None  # the earlier tenure that ends last (the first of those)
        for tenure in sorted(role.tenures, key=_tenure_key):
            if reach is not None and reach.overlaps(tenure):
                yield (
                    f"Role {_label(role.title, role.id)} has overlapping tenures: "
                    f"{_span(reach)} and {_span(tenure)}. A post has one holder at a "
                    "time: correct a start or an end.",
                    (role.id, reach.holder, tenure.holder),
                    "roles",
                    index,
                )
            if reach is None or _ends_later(tenure, reach):
                reach = tenure


def _held(holder: str | None, acting: bool) -> str:
    """Who holds a post, in words: ``vacant``, ``held by lead``, ``held by lead (acting)``."""
    if holder is None:
        return "vacant"
    return f"held by {holder} (acting)" if acting else f"held by {holder}"


@_register("holder-not-tenure")
def _holder_not_tenure(scenario: Scenario) -> Iterator[Any]:
    as_of = scenario.as_of
    if as_of is None:
        return
    for index, role in enumerate(scenario.roles):
        if not role.tenures:
            continue
        holder, acting = role.holder_at(as_of), role.acting_at(as_of)
        if (role.holder, role.acting and role.holder is not None) == (holder, acting):
            continue
        yield (
            f"Role {_label(role.title, role.id)}: its holder says {_held(role.holder, role.acting)}"
            f"; its tenures say {_held(holder, acting)} on the scenario's date "
            f"{as_of.isoformat()}: make them agree (at_date, or --as-of, applies the tenures).",
            tuple(i for i in (role.id, role.holder, holder) if i is not None),
            "roles",
            index,
        )


@attrs.frozen(kw_only=True)
class CheckReport(Tabular):
    """All findings of a run of the governance checks.

    Examples
    --------
    >>> import cio_framework
    >>> report = cio_framework.check(cio_framework.builtin("pudong-2016"))
    >>> report.ok
    True
    >>> report.counts()
    {'error': 0, 'warning': 4, 'info': 0}
    """

    findings: tuple[Finding, ...] = attrs.field(converter=tuple_of)
    checks_run: tuple[str, ...] = attrs.field(converter=tuple_of)

    def by_severity(self, severity: Severity | str) -> tuple[Finding, ...]:
        """Findings of one severity."""
        wanted = Severity(severity)
        return tuple(f for f in self.findings if f.severity is wanted)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity error."""
        return self.by_severity(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity warning."""
        return self.by_severity(Severity.WARNING)

    @property
    def ok(self) -> bool:
        """``True`` when no finding is an error."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present."""
        found = collections.Counter(map(_SEVERITY_VALUE, self.findings))  # read in C
        return {severity.value: found[severity.value] for severity in Severity}

    def counts_by_jurisdiction(self) -> dict[str | None, dict[str, int]]:
        """:meth:`counts` for each jurisdiction that has findings (``None``:
        the scenario level), keyed in the order of the jurisdictions'
        first findings' ids; the totals are :meth:`counts`."""
        result: dict[str | None, dict[str, int]] = {}
        for finding in sorted(self.findings, key=lambda f: (f.jurisdiction or "", f.ids)):
            row = result.setdefault(
                finding.jurisdiction, {severity.value: 0 for severity in Severity}
            )
            row[finding.severity.value] += 1
        return result

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per finding, ready for ``pandas.DataFrame``."""
        return [
            {**finding.to_dict(), "ids": list(finding.ids), "evidence": str(finding.evidence)}
            for finding in self.findings
        ]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(), ["severity", "check", "message", "ids"], "No findings."
        )

    def __len__(self) -> int:
        return len(self.findings)


def _run_check(
    name: str,
    rule: Check,
    scenario: Scenario,
    tree: JurisdictionTree,
    settings: _Settings,
    grades: EvidenceIndex,
    jurisdiction: str | None,
) -> dict[str, list[Finding]]:
    """The findings of one check, by severity value, each list in the order found."""
    found: dict[str, list[Finding]] = {}
    # a finding's severity depends on its place alone: decided once for each
    decided: dict[str | None, Severity | None] = {}
    for message, ids, collection, index in rule.function(scenario):
        place = tree.placed(ids)
        severity = decided.get(place, _UNDECIDED)
        if severity is _UNDECIDED:
            severity = decided[place] = _severity_at(name, rule, settings, place, jurisdiction)
        if severity is None:
            continue
        if isinstance(index, tuple):  # several elements: graded on all, placed at the first
            at: Any = [(collection, position) for position in index]
            index = index[0]
        else:
            at = () if collection is None or index is None else ((collection, index),)
        evidence = grades.of(ids=ids, at=at)
        if evidence is not SOURCED:  # most findings: nothing to cap
            severity = _invented_capped(severity, rule.severity, evidence)
        finding = _new_finding(
            check=name,
            severity=severity,
            message=message,
            ids=ids if type(ids) is tuple else tuple_of(ids),  # what the converter makes
            collection=collection,
            index=index,
            evidence=evidence,
            jurisdiction=place,
        )
        bucket = found.get(severity._value_)
        if bucket is None:
            bucket = found[severity._value_] = []
        bucket.append(finding)
    return found


def _severity_at(
    name: str, rule: Check, settings: _Settings, place: str | None, jurisdiction: str | None
) -> Severity | None:
    """The severity of a finding of check ``name`` placed at ``place``, as
    the settings decide; ``None`` when it is not given (the check is off
    there, or ``place`` is not the ``jurisdiction`` asked for)."""
    setting = settings.of(name, place)
    if setting is _OFF or (jurisdiction is not None and place != jurisdiction):
        return None
    return rule.severity if setting is None else Severity(setting.value)


#: Not decided yet (``None`` means decided: not given).
_UNDECIDED: Any = object()


#: Read once: an enum member looked up on its class costs a Python-level call.
_OFF = CheckSetting.OFF
_SEVERITY_VALUE = operator.attrgetter("severity._value_")
_ILLUSTRATIVE = EvidenceStatus.ILLUSTRATIVE
_SEVERITY_RANK = {severity._value_: severity.rank for severity in Severity}


def _invented_capped(severity: Severity, default: Severity, evidence: Evidence) -> Severity:
    """An override never raises a finding on illustrative data above the
    check's own severity: invented data cannot make a scenario invalid."""
    if evidence.grade is _ILLUSTRATIVE and severity.rank > default.rank:
        return default
    return severity


class _Settings:
    """Check settings by jurisdiction: the call's, then the nearest
    jurisdiction's up the tree, then the scenario's."""

    def __init__(
        self,
        scenario: Scenario,
        tree: JurisdictionTree,
        severities: Mapping[str, str | Severity | CheckSetting],
    ) -> None:
        self.call = {
            name: CheckSetting(
                value.value if isinstance(value, (Severity, CheckSetting)) else value
            )
            for name, value in severities.items()
        }
        self.top = dict(scenario.checks)
        #: Jurisdiction to its own settings merged over those above it.
        self.merged: dict[str, dict[str, CheckSetting]] = {}
        own = {j.id: j.checks for j in scenario.jurisdictions}
        for j in tree.jurisdictions:  # top down
            up = tree.parent[j]
            self.merged[j] = {**(self.merged[up] if up is not None else {}), **own[j]}
        #: Checks some jurisdiction sets to other than off.
        self.somewhere = {
            name
            for settings in self.merged.values()
            for name, value in settings.items()
            if value is not CheckSetting.OFF
        }

    def runs(self, name: str) -> bool:
        """Whether the check can give a finding anywhere."""
        if name in self.call:
            return self.call[name] is not CheckSetting.OFF
        return self.top.get(name) is not CheckSetting.OFF or name in self.somewhere

    def of(self, name: str, place: str | None) -> CheckSetting | None:
        """The setting for a finding in ``place``; ``None``: the check's own."""
        if name in self.call:
            return self.call[name]
        if place is not None and name in self.merged[place]:
            return self.merged[place][name]
        return self.top.get(name)


def check(
    scenario: Scenario,
    *,
    only: Iterable[str] | None = None,
    severities: Mapping[str, str | Severity | CheckSetting] | None = None,
    jurisdiction: str | None = None,
) -> CheckReport:
    """Run the governance checks on a scenario.

    Parameters
    ----------
    scenario
        The scenario to check.
    only
        Check ids to run; all by default.
    severities
        Overrides of check severities (``"error"``, ``"warning"``, ``"info"``
        or ``"off"``), applied after the scenario's own ``checks:`` overrides.
        No override raises a finding graded illustrative above the check's
        own severity: invented data cannot make a scenario invalid.
    jurisdiction
        A jurisdiction's id: keep the findings that belong to it (not to a
        jurisdiction below it). By default, every finding.


    Returns
    -------
    CheckReport
        Findings sorted by severity (errors first), then by check order,
        then by the ids they name and their message: in the same order
        whatever the order of the scenario's lists.

    Raises
    ------
    UnknownNameError
        When ``only`` or ``severities`` names an unknown check.

    Notes
    -----
    The severity of a finding is, first found: ``severities``; the
    ``checks`` setting of its jurisdiction, then of each jurisdiction above
    it; the scenario's ``checks`` setting; the check's own.

    Every check runs in O(n log n) time or better for a scenario of n
    elements and references: reporting and parent chains are walked once
    in all (each walk stops at the first role or department already seen),
    however long they are.

    Examples
    --------
    >>> import cio_framework
    >>> from cio_framework.model import Scenario, Role
    >>> s = Scenario(name="x", roles=[Role(id="cio", title="CIO", level="strategic")])
    >>> [f.check for f in cio_framework.check(s).findings]
    ['vacant-role', 'regular-meeting-missing']
    >>> cio_framework.check(s, severities={"vacant-role": "error"}).ok
    False
    """
    require_valid(scenario)
    selected = list(CHECKS) if only is None else list(only)
    for name in [*selected, *(severities or {})]:
        if name not in CHECKS:
            raise UnknownNameError(kind="check", name=name, known=tuple(CHECKS))
    tree = JurisdictionTree(scenario)
    if jurisdiction is not None and jurisdiction not in tree.parent:
        raise UnknownNameError(kind="jurisdiction", name=jurisdiction, known=tree.jurisdictions)
    settings = _Settings(scenario, tree, severities or {})
    grades = EvidenceIndex(scenario)
    # findings by severity (errors first), then check order, then what each
    # is about: a bucket's order found follows the scenario's lists
    buckets: dict[tuple[int, int], list[Finding]] = {}
    run = []
    order = {name: i for i, name in enumerate(CHECKS)}
    for name in selected:
        if not settings.runs(name):
            continue
        run.append(name)
        found = _run_check(name, CHECKS[name], scenario, tree, settings, grades, jurisdiction)
        for severity, bucket in found.items():
            buckets.setdefault((-_SEVERITY_RANK[severity], order[name]), []).extend(bucket)
    about = operator.attrgetter("ids", "message")  # what each finding is about
    findings = itertools.chain.from_iterable(
        sorted(buckets[key], key=about) for key in sorted(buckets)
    )
    return CheckReport(findings=findings, checks_run=run)
