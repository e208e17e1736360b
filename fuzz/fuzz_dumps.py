"""Coverage-guided fuzzing of ``cio_framework.dumps`` with atheris.

Run for a bounded time (the ``fuzz`` extra installs atheris)::

    mkdir -p /tmp/corpus-dumps
    python fuzz/fuzz_dumps.py -max_total_time=60 -rss_limit_mb=2048 /tmp/corpus-dumps fuzz/seeds/dumps

Each input is a scenario text and the bytes that mutate it. A structured
input (the seeds in ``fuzz/seeds/dumps``) is the text, the line
``#~~ dumps ~~``, then the mutation bytes; any other input is both at once.
The scenario to start from is one of ``BASES`` (two small scenarios, one
read from JSON with lone surrogates and control characters in its texts)
or, for half of the inputs, the text (at most ``MAX_TEXT`` bytes) when it
loads. Then a few mutations are made in Python, as a program builds a
scenario, with ``attrs.evolve`` on the scenario and on elements anywhere in
it (the fields are found from the model's plans, not listed here):

* a text field gets fuzzed text: fragments YAML treats specially (``yes``,
  ``: ``, ``#``, ``&a``, quotes, a leading space), control characters, line
  breaks of every kind, bidi overrides, combining marks, lone surrogates
  (a JSON escape makes them) and arbitrary code points;
* a number field a number at the edges (0, -0.0, subnormals, 2**53 + 1,
  huge integers), a date field any date, a flag its opposite, an
  enumeration any member;
* a list gains, loses or changes an item; an element collection loses or
  duplicates an element; a mapping gains or loses a key;
* extension data (``x-`` keys) gets arbitrary YAML-safe data: None, flags,
  numbers, texts, bytes, dates, date-times, lists and mappings, nested.

A ``ValueError`` or ``TypeError`` from the model's own validators is a
refusal (``Department(id="")``), not a crash. For every scenario the model
accepts, the invariant is:

* ``dumps(s)`` returns text and never raises, and the text is UTF-8: a
  lone surrogate is written as the six characters ``\\ud800`` (the
  docstring of ``config._dump.to_yaml``; tests/test_no_traceback.py);
* ``loads(dumps(s)) == expected(s)``, where ``expected`` writes each lone
  surrogate of a text, key or extension value as that escape, and gives
  references (fields that name ids) in Unicode normal form NFC, as the
  loader reads them; every other text keeps its form, control characters,
  line breaks and combining marks included;
* except that, when a mutation changed an id or a reference, removed or
  duplicated an element, or set a field or key that the loader checks
  beyond the model (RACI letters, criteria of scores, priority factors,
  check ids), ``loads`` may refuse the text with a ``ConfigError`` whose
  problems are all ``REFUSALS`` (a dangling reference, a duplicate id, a
  bad value, an unknown check); never a syntax error, for instance;
* where ``expected`` merges two keys of a mapping (``"x-\\ud800"`` written,
  and ``"x-\\\\ud800"`` already there), ``loads`` may refuse the text for
  that duplicate key; where it reads it, as where a NaN makes equality
  fail, the text is stable instead: ``dumps(loads(t)) == t`` for ``t`` the
  text of the loaded scenario.

``KNOWN_ISSUES`` lists the open findings this target skips while they reproduce.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import sys
import unicodedata
from typing import Any

import atheris
import attrs

with atheris.instrument_imports():
    import cio_framework
    from cio_framework import ConfigError
    from cio_framework.config._plan import FieldPlan, TypeSpec, plan_of
    from cio_framework.model import Candidate, Department, Scenario, System
    from cio_framework.model._frozenmap import FrozenMap

#: Between the scenario text and the mutation bytes, in a structured input.
SEPARATOR = b"\n#~~ dumps ~~\n"
#: Longest scenario text loaded, in bytes.
MAX_TEXT = 4096
#: Most mutations per input, and how deep extension data nests.
MAX_MUTATIONS = 6
MAX_DEPTH = 3

#: What loads may answer once a mutation changed ids, references or checked
#: fields: the text is read, and the scenario it describes is refused.
#: (``unknown-key``: a check the scenario's ``checks`` names that does not exist.)
REFUSALS = frozenset({"dangling-reference", "duplicate-id", "bad-value", "unknown-key"})

#: What loads may answer when two keys of a mapping became one once written.
MERGED = frozenset({"duplicate-key"})

#: Stands in when the fuzzed text does not load.
BASE_TEXT = """\
cio_framework: 1
name: Base
as_of: 2016-05-16
people: [{id: wang, name: Wang Jing}]
departments: [{id: epb, name: EPB, pilot: true}, {id: msb, name: MSB}]
roles:
  - {id: district-cio, title: District CIO, level: strategic, holder: wang}
  - {id: epb-cio, title: CIO, level: support, kind: departmental_cio, department: epb,
     reports_to: district-cio}
bodies: [{id: committee, name: Committee, chair: district-cio, members: [epb-cio],
          meets_every_months: 2, issues_per_meeting: [1, 2]}]
responsibilities: [{id: catalogue, name: Catalogue, raci: {epb-cio: A}}]
criteria: [{id: strategy, name: Strategy, weight: 3}]
candidates: [{person: wang, role: epb-cio, scores: {strategy: 4}}]
platforms: [{id: cloud, name: Cloud, operator: epb}]
systems: [{id: mon, name: Monitoring, department: epb, users: 5, annual_cost: 1.5}]
resources: [{id: emissions, name: Emissions, owner: epb, held_in: mon}]
exchanges: [{id: mon-cloud, from: mon, to: cloud, resources: [emissions]}]
demands: [{by: msb, resource: emissions, purpose: credit}]
meetings: [{id: m1, body: committee, date: 2016-07-15, convened_by: district-cio,
            attendees: [epb-cio], issues: [Sharing]}]
appraisals: [{department: epb, includes_cio_work: true, weight: 0.1}]
matters: [{id: approval, name: Approval, approved_by: epb, supervised_by: msb,
           needs: [emissions]}]
scenarios: [{id: w, changes: [{add_exchange: {id: x, from: mon, to: cloud}}]}]
notes: [{id: n1, text: A note}]
priorities: {weights: {cost: 2}}
checks: {raci-accountable: warning}
x-data: {a: [1, 2.5, true, null, 2016-01-01]}
"""
#: Another, in JSON: lone surrogates and control characters in its texts.
BASE_JSON = r"""{"cio_framework": 1, "name": "J\ud800 \u001b[31m\u202e\u0085",
 "departments": [{"id": "a", "name": "A\udfff\r\n", "pilot": true}],
 "roles": [{"id": "a-cio", "title": "CIO\u0007", "level": "support", "department": "a"}],
 "systems": [{"id": "a1", "name": "\u2028A1", "department": "a"}],
 "x-k\ud83d": ["\udc80", {"\udfff": "x"}]}"""
BASES = (cio_framework.loads(BASE_TEXT), cio_framework.loads(BASE_JSON))

#: Text fragments that YAML, terminals or Unicode treat specially.
FRAGMENTS = (
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x07",
    "\x1b[2J",
    "\x7f",
    "\x9b",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u0301",
    "e\u0301",
    "\u212b",
    "\uff21",
    "\U0001f600",
    "\U0010ffff",
    "\ud800",
    "\udfff",
    "\udc80",
    "\ud83d\ude00",
    "\\",
    "\\u0041",
    "\\x41",
    "'",
    '"',
    "#",
    " #",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!",
    "!!python/object:os.system",
    "|",
    ">",
    "%",
    "@",
    "`",
    "---",
    "...",
    "<<",
    "~",
    "null",
    "yes",
    "No",
    "on",
    "true",
    "1",
    "-1",
    "0x1F",
    "0o17",
    "1_000",
    "1:30",
    "1e3",
    ".nan",
    "-.inf",
    "2016-05-16",
    "2016-05-16 10:00:00",
    "x-",
    "local",
    "a" * 90,
)
INTEGERS = (
    0,
    1,
    -1,
    2,
    255,
    2**31,
    2**53,
    2**53 + 1,
    2**63,
    -(2**63),
    2**64,
    10**308,
    10**309,
    -(10**400),
    10**4299,
    10**4300,  # one digit beyond Python's limit for int <-> decimal text
)
FLOATS = (
    0.0,
    -0.0,
    0.1,
    0.5,
    1.0,
    1.5,
    100.0,
    1e16,
    1e22,
    2.0**53,
    2.0**53 + 2,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1e-9,
    math.nan,
    math.inf,
    -math.inf,
)
_SURROGATE = re.compile("[\ud800-\udfff]")


# -- open findings ---------------------------------------------------------------


def _huge_int() -> bool:
    """dumps raises ValueError on an int of more than 4,300 digits the model accepts."""
    try:
        scenario = Scenario(name="n", extensions={"x-a": 10**4300})
    except (ValueError, TypeError):
        return False
    try:
        cio_framework.dumps(scenario)
    except ValueError:
        return True
    return False


def _int_in_float_field() -> bool:
    """A float field keeps an int beyond 2**53; loads reads back another number."""
    try:
        system = System(id="s", name="S", department="d", annual_cost=2**53 + 1)
    except (ValueError, TypeError):
        return False
    scenario = Scenario(name="n", departments=[Department(id="d", name="D")], systems=[system])
    try:
        return cio_framework.loads(cio_framework.dumps(scenario)) != scenario
    except ConfigError:
        return True


def _validator_overflow() -> bool:
    """A score of 10**309 makes the model raise OverflowError, not ValueError."""
    try:
        Candidate(person="p", role="r", scores={"c": 10**309})
    except OverflowError:
        return True
    except (ValueError, TypeError):
        return False
    return False


#: Open findings, each with its test in tests/test_fuzz_regressions.py and a
#: probe: while the probe reproduces it, the target skips that case so that
#: fuzzing goes on past it; once it is fixed, the case is fuzzed again.
#: Delete an entry once its test passes.
KNOWN_ISSUES = {
    name: probe.__doc__
    for name, probe in {
        # test_dumps_integer_beyond_decimal_limit
        "huge-int": _huge_int,
        # test_float_field_integer_beyond_2_53 (and _beyond_float_range)
        "int-in-float-field": _int_in_float_field,
        # test_score_and_weight_validators_overflow
        "validator-overflow": _validator_overflow,
    }.items()
    if probe()
}


class Fuzz:
    """The choices of one input."""

    def __init__(self, data: bytes) -> None:
        self.provider = atheris.FuzzedDataProvider(data)

    def int(self, low: int, high: int) -> int:
        return self.provider.ConsumeIntInRange(low, high)

    def bool(self) -> bool:
        return self.provider.ConsumeBool()

    def pick(self, values: Any) -> Any:
        return values[self.int(0, len(values) - 1)]

    @atheris.instrument_func
    def text(self) -> str:
        """Up to four pieces, each a fragment or arbitrary code points."""
        parts = []
        for _ in range(self.int(0, 4)):
            if self.bool():
                parts.append(self.pick(FRAGMENTS))
            else:  # may hold lone surrogates
                parts.append(self.provider.ConsumeUnicode(self.int(0, 12)))
        return "".join(parts)

    def integer(self) -> int:
        if self.bool():
            return int(self.pick(INTEGERS))
        return self.provider.ConsumeIntInRange(-(2**63), 2**63)

    def number(self) -> float:
        choice = self.int(0, 3)
        if choice == 0:
            return self.integer()  # an int in a float field: the loader accepts it
        if choice == 1:
            return float(self.pick(FLOATS))
        return self.provider.ConsumeFloat()

    def date(self) -> dt.date:
        return dt.date.fromordinal(self.int(1, dt.date.max.toordinal()))

    @atheris.instrument_func
    def any(self, depth: int = 0) -> Any:
        """Extension data: what a YAML file may hold."""
        kind = self.int(0, 10 if depth < MAX_DEPTH else 8)
        if kind == 0:
            return None
        if kind == 1:
            return self.bool()
        if kind == 2:
            return self.integer()
        if kind == 3:
            return self.number()
        if kind in (4, 5):
            return self.text()
        if kind == 6:
            return self.provider.ConsumeBytes(self.int(0, 8))
        if kind == 7:
            return self.date()
        if kind == 8:
            tz = None if self.bool() else dt.timezone(dt.timedelta(minutes=self.int(-1439, 1439)))
            moment = dt.datetime.combine(self.date(), dt.time(self.int(0, 23), self.int(0, 59)))
            return moment.replace(
                second=self.int(0, 59), microsecond=self.int(0, 999999), tzinfo=tz
            )
        if kind == 9:
            return [self.any(depth + 1) for _ in range(self.int(0, 3))]
        return {self.key(): self.any(depth + 1) for _ in range(self.int(0, 3))}

    def key(self) -> Any:
        return self.integer() if self.int(0, 7) == 0 else self.text()


@attrs.define
class Flags:
    """What the mutations of one input did."""

    #: An id, a reference or a field the loader checks changed: loads may refuse.
    constrained: bool = False


def _checked_by_loader(plan: FieldPlan) -> bool:
    """Whether the loader checks ``plan``'s field beyond the model's validators."""
    return bool(
        plan.is_id or plan.ref or plan.key_ref or plan.check or plan.key_check or plan.literals
    )


@atheris.instrument_func
def _mutate(obj: Any, fuzz: Fuzz, flags: Flags, depth: int = 0) -> Any:
    """``obj`` (an attrs value of the model) with one field changed."""
    plans = [p for p in plan_of(type(obj)) if p.key != "cio_framework"]
    if not plans:
        return obj
    plan = fuzz.pick(plans)
    old = getattr(obj, plan.name)
    new = _value(old, plan.spec, plan, fuzz, flags, depth)
    if new is old:
        return obj
    if _checked_by_loader(plan):
        flags.constrained = True
    return attrs.evolve(obj, **{plan.name: new})


@atheris.instrument_func
def _value(old: Any, spec: TypeSpec, plan: FieldPlan, fuzz: Fuzz, flags: Flags, depth: int) -> Any:
    """A new value for a field (or an item) of type ``spec``, in place of ``old``."""
    if spec.optional and fuzz.int(0, 7) == 0:
        return None
    kind = spec.kind
    if kind == "object":
        if old is None or depth > MAX_DEPTH:
            return old
        return _mutate(old, fuzz, flags, depth + 1)
    if kind == "tuple":
        assert spec.item is not None
        return _tuple(tuple(old or ()), spec.item, plan, fuzz, flags, depth)
    if kind == "map":
        assert spec.item is not None
        return _map(dict(old or {}), spec.item, plan, fuzz, flags, depth)
    if kind == "str":
        return fuzz.text()
    if kind == "int":
        return fuzz.integer()
    if kind == "float":
        return fuzz.number()
    if kind == "bool":
        return not old
    if kind == "date":
        return fuzz.date()
    if kind == "enum":
        return fuzz.pick(list(spec.cls))
    return fuzz.any()


@atheris.instrument_func
def _tuple(
    items: tuple[Any, ...], item: TypeSpec, plan: FieldPlan, fuzz: Fuzz, flags: Flags, depth: int
) -> tuple[Any, ...]:
    values = list(items)
    if item.kind == "object":  # an element: mostly changed, rarely removed or doubled
        if not values:
            return items
        index = fuzz.int(0, len(values) - 1)
        operation = fuzz.int(0, 7)
        if operation == 0:
            flags.constrained = True  # what named it now dangles
            del values[index]
        elif operation == 1:
            flags.constrained = True  # the same id twice
            values.insert(fuzz.int(0, len(values)), values[index])
        else:
            values[index] = _mutate(values[index], fuzz, flags, depth + 1)
        return tuple(values)
    operation = fuzz.int(0, 3)
    if operation == 0 or not values:
        values.insert(fuzz.int(0, len(values)), _value(None, item, plan, fuzz, flags, depth))
    elif operation == 1:
        del values[fuzz.int(0, len(values) - 1)]
    else:
        index = fuzz.int(0, len(values) - 1)
        values[index] = _value(values[index], item, plan, fuzz, flags, depth)
    return tuple(values)


@atheris.instrument_func
def _map(
    mapping: dict[Any, Any], item: TypeSpec, plan: FieldPlan, fuzz: Fuzz, flags: Flags, depth: int
) -> dict[Any, Any]:
    extensions = plan.name == "extensions"
    if mapping and fuzz.int(0, 3) == 0:
        del mapping[fuzz.pick(list(mapping))]
        return mapping
    if mapping and fuzz.bool():
        key = fuzz.pick(list(mapping))
    elif extensions:
        key = "x-" + fuzz.text()
    else:
        key = fuzz.text()
        flags.constrained = True  # a key the loader may not know
    mapping[key] = fuzz.any() if extensions else _value(None, item, plan, fuzz, flags, depth)
    return mapping


# -- what loads gives back ------------------------------------------------------


class _Merged(Exception):
    """Two keys of a mapping become one once written."""


def _escaped(text: str) -> str:
    """``text`` as dumps writes it: each lone surrogate as its escape."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plain(value: Any) -> Any:
    """Extension data as it reads back: texts and keys escaped."""
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, FrozenMap):
        items = [(_plain(k), _plain(v)) for k, v in value.items()]
        if len({k for k, _ in items}) != len(items):
            raise _Merged
        return FrozenMap(items)
    return value


def _reference(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _escaped(value))
    if isinstance(value, tuple):
        return tuple(_reference(v) for v in value)
    return value


def expected(obj: Any) -> Any:
    """What ``loads(dumps(obj))`` gives for the model value ``obj``."""
    changes = {}
    for plan in plan_of(type(obj)):
        old = getattr(obj, plan.name)
        if old is None:
            continue
        if plan.spec.kind == "object":
            new = expected(old)
        elif plan.spec.kind == "tuple" and plan.spec.item and plan.spec.item.kind == "object":
            new = tuple(expected(v) for v in old)
        elif plan.spec.kind == "map":
            new = _plain(old)
            if plan.key_ref:
                new = FrozenMap((_reference(k), v) for k, v in new.items())
                if len(new) != len(old):
                    raise _Merged
            if plan.ref:
                new = FrozenMap((k, _reference(v)) for k, v in new.items())
        elif plan.ref:
            new = _reference(old)
        else:
            new = _plain(old)
        if new != old:
            changes[plan.name] = new
    return attrs.evolve(obj, **changes) if changes else obj


def _known_issue(scenario: Scenario) -> str | None:
    """The open finding ``scenario`` runs into, if any (see KNOWN_ISSUES)."""
    found: list[str] = []

    def visit(value: Any, spec: TypeSpec | None) -> None:
        if found:
            return
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) >= 10**4300:
                found.append("huge-int")
            elif spec is not None and spec.kind == "float" and abs(value) > 2**53:
                found.append("int-in-float-field")
            found[:] = [name for name in found if name in KNOWN_ISSUES]
        elif isinstance(value, tuple):
            for item in value:
                visit(item, spec.item if spec is not None else None)
        elif isinstance(value, FrozenMap):
            for key, item in value.items():
                visit(key, None)
                visit(item, spec.item if spec is not None else None)
        elif attrs.has(type(value)):
            for field in plan_of(type(value)):
                visit(getattr(value, field.name), field.spec)

    visit(scenario, None)
    return found[0] if found else None


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, tuple):
        return any(_has_nan(v) for v in value)
    if isinstance(value, FrozenMap):
        return any(_has_nan(k) or _has_nan(v) for k, v in value.items())
    if attrs.has(type(value)):
        return any(_has_nan(getattr(value, a.name)) for a in attrs.fields(type(value)))
    return False


# -- the target -----------------------------------------------------------------


def _build(data: bytes) -> tuple[Scenario, Flags]:
    text, found, mutations = data.partition(SEPARATOR)
    fuzz = Fuzz(mutations if found else data)
    scenario = fuzz.pick(BASES)
    if fuzz.bool():  # the fuzzed text, when it loads
        with contextlib.suppress(ConfigError):
            scenario = cio_framework.loads(text[:MAX_TEXT])
    flags = Flags()
    for _ in range(fuzz.int(1, MAX_MUTATIONS)):
        try:
            scenario = _mutate(scenario, fuzz, flags)
        except (ValueError, TypeError):  # the model refuses the value
            continue
        except OverflowError:
            if "validator-overflow" not in KNOWN_ISSUES:
                raise
    return scenario, flags


def target(data: bytes) -> None:
    scenario, flags = _build(data)
    if _known_issue(scenario) is not None:
        return
    text = cio_framework.dumps(scenario)
    assert isinstance(text, str), "dumps returns text"
    text.encode("utf-8")  # no lone surrogate left: a UnicodeEncodeError is a crash
    try:
        want: Scenario | None = expected(scenario)
    except _Merged:
        want = None
    try:
        loaded = cio_framework.loads(text)
    except ConfigError as err:
        codes = {p.code for p in err.problems}
        allowed = (REFUSALS if flags.constrained else set()) | (MERGED if want is None else set())
        if codes <= allowed:
            return
        raise AssertionError(
            f"dumps wrote text that loads refuses ({sorted(codes)}):\n{text}"
        ) from err
    if want is None or _has_nan(scenario):
        again = cio_framework.dumps(loaded)
        assert cio_framework.dumps(cio_framework.loads(again)) == again, (
            "the text written is stable"
        )
        return
    if loaded != want:
        raise AssertionError(
            f"loads(dumps(s)) differs from s:\n{_difference(loaded, want)}\n{text}"
        )


def _difference(loaded: Scenario, want: Scenario) -> str:
    """The first fields that differ, for the crash message."""
    lines = []
    for plan in plan_of(Scenario):
        a, b = getattr(loaded, plan.name), getattr(want, plan.name)
        if a != b:
            lines.append(f"{plan.name}: loaded {a!r}\n{' ' * len(plan.name)}  expected {b!r}")
    return "\n".join(lines[:3])


def main() -> None:
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
