"""The scenario at a date: role holders from their tenures.

A role may record who held it when (:class:`~cio_framework.model.Tenure`:
holder, start, end, acting). :func:`at_date` gives the scenario as it stood
on one date, so that every analysis can be run for that date: before and
after an appointment, say.

Definition
----------
For a scenario *S* and a date *d*, ``at_date(S, d)`` is *S* with

- every role that has tenures holding, as ``holder``, the holder of the
  tenure that covers *d* (``start <= d < end``; a missing start or end
  is open), and ``acting`` as that tenure says; a role none of whose
  tenures covers *d* is vacant. Where tenures overlap (a finding of the
  ``tenure-overlap`` check) the one that started last wins, then the least
  holder id (:meth:`~cio_framework.model.Role.tenure_at`). A role without
  tenures keeps its ``holder``: it is taken to hold the post at every date;
- the meetings held, and the scorecards issued, after *d* left out (those
  on *d* itself are kept); no other element carries a date, so every other
  element is kept as it is;
- ``as_of`` set to *d*.

The result is independent of the order of every list of the scenario.

Complexity
----------
O(V + T) for V elements and T tenures: each role's tenures are read once.

Example
-------
>>> import datetime as dt
>>> from cio_framework.model import Role, Scenario, Person, Tenure
>>> role = Role(id="cio", title="District CIO", level="strategic", tenures=[
...     Tenure(holder="wang", end=dt.date(2018, 1, 1)),
...     Tenure(holder="li", start=dt.date(2018, 1, 1), acting=True)])
>>> s = Scenario(name="Tiny", people=[Person(id="wang"), Person(id="li")], roles=[role])
>>> before = at_date(s, dt.date(2017, 6, 1))
>>> before.roles[0].holder, before.as_of
('wang', datetime.date(2017, 6, 1))
>>> after = at_date(s, dt.date(2018, 1, 1)).roles[0]
>>> after.holder, after.acting
('li', True)
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..config import require_valid
from ..config._validate import mark_checked
from ..model import Role, Scenario

__all__ = ["at_date"]


def _role_at(role: Role, date: dt.date) -> Role:
    if not role.tenures:
        return role
    tenure = role.tenure_at(date)
    holder = None if tenure is None else tenure.holder
    acting = tenure is not None and tenure.acting
    if role.holder == holder and role.acting == acting:
        return role
    return attrs.evolve(role, holder=holder, acting=acting)


def at_date(scenario: Scenario, date: dt.date) -> Scenario:
    """The scenario as it stood on ``date``.

    Parameters
    ----------
    scenario
        The scenario; it is not changed.
    date
        The date (a :class:`datetime.date`, not a ``datetime``).

    Returns
    -------
    Scenario
        Each role with tenures held by the holder of the tenure covering
        ``date`` (vacant when none does), with ``acting`` from it; meetings
        and scorecards dated after ``date`` left out; ``as_of`` set to
        ``date``. See the module's definition.

    Raises
    ------
    TypeError
        When ``date`` is not a date.
    InvalidScenarioError
        When the scenario is invalid (see :func:`cio_framework.validate`).

    Notes
    -----
    O(V + T) for V elements and T tenures. The result is valid whenever
    the scenario is: it changes holders to people the tenures name (which
    the scenario's validation checked) and leaves out elements nothing
    names.

    Examples
    --------
    >>> import datetime as dt, cio_framework
    >>> base = cio_framework.builtin("pudong-2016")
    >>> at_date(base, dt.date(2016, 6, 1)).as_of
    datetime.date(2016, 6, 1)
    """
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise TypeError(f"at_date() takes a datetime.date, not {type(date).__name__}")
    require_valid(scenario)
    result = attrs.evolve(
        scenario,
        as_of=date,
        roles=tuple(_role_at(role, date) for role in scenario.roles),
        meetings=tuple(m for m in scenario.meetings if m.date <= date),
        scorecards=tuple(c for c in scenario.scorecards if c.date <= date),
    )
    mark_checked(result)
    return result
