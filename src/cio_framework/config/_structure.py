"""Turn parsed YAML data into model values, collecting every problem.

The structurer is driven by the model's attrs fields (see :mod:`._plan`):
types, required keys, numeric bounds and id references all come from the
field declarations, so adding a field to the model is enough for it to be
read, validated, written and documented.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import sys
from collections.abc import Collection, Iterator, Mapping
from typing import Any

import attrs

from ..model import COLLECTIONS
from ..model._base import canonical_id, cited_ids, id_problem, number_text
from ..model._frozenmap import FrozenMap
from ._plan import FieldPlan, TypeSpec, plan_of
from ._yaml import INVALID, Draft, Path, clip, quote

__all__ = [
    "IdEntry",
    "Structurer",
    "describe_value",
    "format_path",
    "key_hint",
    "key_text",
    "nearest",
]

#: Singular nouns for collections, used in messages.
SINGULAR = {
    "sources": "source",
    "jurisdictions": "jurisdiction",
    "levels": "level",
    "people": "person",
    "departments": "department",
    "roles": "role",
    "bodies": "body",
    "responsibilities": "responsibility",
    "criteria": "criterion",
    "candidates": "candidate",
    "meetings": "meeting",
    "appraisals": "appraisal",
    "performance_elements": "performance element",
    "scorecards": "scorecard",
    "notes": "note",
    "platforms": "platform",
    "systems": "system",
    "resources": "resource",
    "exchanges": "exchange",
    "demands": "demand",
    "matters": "matter",
    "scenarios": "what-if scenario",
}

#: Distinct unknown ids per file that get a "did you mean" hint.
HINTED_VALUES = 25

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The largest integer that converts to a (finite) float.
_MAX_FLOAT = int(sys.float_info.max)


def format_path(path: Path) -> str:
    """Render a path as ``$.roles[3].reports_to``.

    Examples
    --------
    >>> format_path(("roles", 3, "reports_to"))
    '$.roles[3].reports_to'
    >>> format_path(("responsibilities", 0, "raci", "epb-cio"))
    "$.responsibilities[0].raci['epb-cio']"
    >>> format_path(("departments", 0, None))
    '$.departments[0][null]'
    """
    text = "$"
    for segment in path:
        if isinstance(segment, bool) or segment is None:
            text += "[" + ("null" if segment is None else str(segment).lower()) + "]"
        elif isinstance(segment, (int, float)):
            text += f"[{segment}]"
        elif isinstance(segment, str) and _IDENT.match(segment):
            text += f".{segment}"
        else:
            escaped = str(segment).replace("\\", "\\\\").replace("'", "\\'")
            text += f"['{escaped}']"
    return text


def describe_value(value: Any) -> str:
    """Describe a found value for messages: ``"an integer (3)"``.

    Examples
    --------
    >>> describe_value(True), describe_value([1]), describe_value("abc")
    ('a boolean (true)', 'a list', "a string ('abc')")
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        try:
            return f"an integer ({clip(str(value))})"
        except ValueError:  # beyond Python's limit for decimal text
            return number_text(value)
    if isinstance(value, float):
        return f"a number ({clip(repr(value))})"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"a string ({clip(repr(value))})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, (set, frozenset)):
        return "a set"
    return f"a {type(value).__name__}"


#: A number with an exponent that YAML 1.1 reads as text: no ``.`` (``1e3``),
#: or no sign in the exponent (``1.0e3``).
_EXPONENT = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+$")


def yaml_exponent(text: str) -> str:
    """``text``, a number with an exponent, as YAML 1.1 reads a number: a
    ``.`` in the mantissa and a sign in the exponent.

    Examples
    --------
    >>> yaml_exponent("1e3"), yaml_exponent("-2.5E7"), yaml_exponent(".5e-2")
    ('1.0e+3', '-2.5e+7', '0.5e-2')
    """
    mantissa, _, exponent = text.lower().partition("e")
    sign = mantissa[0] if mantissa[0] in "+-" else ""
    mantissa = mantissa.lstrip("+-")
    if "." not in mantissa:
        mantissa += ".0"
    if mantissa.startswith("."):
        mantissa = "0" + mantissa
    if exponent[0] not in "+-":
        exponent = "+" + exponent
    return f"{sign}{mantissa}e{exponent}"


def key_text(key: Any) -> str | None:
    """How YAML writes ``key``, a key it did not read as text (``None`` for
    what it cannot come from, such as a list)."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return str(key).lower()
    if isinstance(key, (int, float, dt.date)):
        return str(key)
    return None


def key_hint(key: Any) -> str | None:
    """The hint for a key YAML did not read as text: quote it.

    Examples
    --------
    >>> key_hint(True)
    "YAML read this key as a boolean; write it in quotes: 'true'"
    >>> key_hint(None)
    "YAML read this key as null; write it in quotes: 'null'"
    >>> key_hint([1]) is None
    True
    """
    shown = key_text(key)
    if shown is None:
        return None
    return (
        f"YAML read this key as {describe_value(key).split(' (')[0]}; write it in quotes: '{shown}'"
    )


def nearest(word: object, candidates: Collection[str]) -> str | None:
    """The candidate closest to ``word``, or ``None`` when none is close.

    Examples
    --------
    >>> nearest("titel", ["title", "kind", "level"])
    'title'
    """
    if not isinstance(word, str) or not candidates:
        return None
    pool = candidates if len(candidates) <= 5000 else list(candidates)[:5000]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            return lowered[word.lower()]
    return found[0] if found else None


@attrs.frozen(kw_only=True)
class IdEntry:
    """Where an id was defined: its collection, file index and path."""

    kind: str
    file_index: int
    path: Path


class Structurer:
    """Structures one file's data, recording problems as drafts with paths."""

    def __init__(
        self,
        ids: Mapping[str, IdEntry],
        known_checks: Collection[str] = (),
        max_depth: int = 64,
        *,
        check_citations: bool = True,
    ) -> None:
        self.ids = ids
        #: Whether citations must name listed sources (the file's scenario,
        #: or the reference pack it is, lists some).
        self.check_citations = check_citations
        self.known_checks = known_checks
        self.max_depth = max_depth
        self.drafts: list[Draft] = []
        self._ids_by_kind: dict[str, list[str]] | None = None
        self._pools: dict[tuple[str, ...], list[str]] = {}
        self._hints: dict[tuple[str, tuple[str, ...]], str | None] = {}

    # -- problems -------------------------------------------------------------

    def problem(
        self,
        path: Path,
        message: str,
        code: str,
        *,
        at: str = "value",
        hint: str | None = None,
        expected: str | None = None,
        got: str | None = None,
        related: tuple[int, Path] | None = None,
        shown: str | None = None,
    ) -> Any:
        """Record a problem and return :data:`INVALID`.

        ``related`` names another place (file index, path) that the message
        refers to as ``{related}``; ``shown`` is the text of the value in a
        hint, replaced by what the file writes (see ``_yaml.written``).
        """
        self.drafts.append(
            Draft(
                message=message,
                code=code,
                path=path,
                at=at,
                hint=hint,
                expected=expected,
                got=got,
                related=related,
                shown=shown,
            )
        )
        return INVALID

    def _wrong_type(self, path: Path, spec: TypeSpec, raw: Any, what: str) -> Any:
        expected = spec.describe()
        hint = shown = None
        if spec.kind == "str" and isinstance(raw, (bool, int, float, dt.date)):
            shown = str(raw).lower() if isinstance(raw, bool) else str(raw)
            hint = f"YAML read this as {describe_value(raw).split(' (')[0]}; write it in quotes: '{shown}'"
        elif spec.kind == "bool" and isinstance(raw, str):
            hint = "write true or false without quotes"
        elif spec.kind in ("int", "float") and isinstance(raw, str) and _EXPONENT.match(raw):
            hint = f"YAML reads this exponent form as text; write {yaml_exponent(raw)}"
            if math.isinf(float(raw)):  # written as YAML reads a number, it would be .inf
                hint = "YAML reads this exponent form as text, and it is beyond any amount: "
                hint += "write a smaller number"
        elif spec.kind == "tuple" and not isinstance(raw, (list, tuple, Mapping)):
            # [x] is a list of what x is: no example for a list of mappings
            if isinstance(raw, (str, int)) and spec.item is not None and spec.item.kind != "object":
                shown = None if isinstance(raw, str) else str(raw)
                hint = f"write a list, e.g. [{clip(str(raw))}]"
        elif spec.kind == "date" and isinstance(raw, str):
            hint = "write the date as YYYY-MM-DD"
        self.drafts.append(
            Draft(
                message=f"{what} must be {expected}, not {describe_value(raw)}",
                code="wrong-type",
                path=path,
                hint=hint,
                expected=expected,
                got=describe_value(raw),
                shown=shown,
            )
        )
        return INVALID

    # -- values -----------------------------------------------------------------

    def value(self, spec: TypeSpec, raw: Any, path: Path, plan: FieldPlan | None) -> Any:
        """Structure ``raw`` according to ``spec``; ``INVALID`` on a problem."""
        if raw is INVALID:
            return INVALID
        if spec.kind == "any":  # extension data: kept as it is, frozen
            try:
                # each segment of the path is a list or mapping around raw
                return _freeze_plain(raw, len(path) + 1, self.max_depth)
            except (_TooDeep, RecursionError):
                return self.problem(
                    path,
                    f"the document is nested more than {self.max_depth} levels deep",
                    "limit",
                    hint="flatten the data; the limit can be raised with Limits(max_depth=...)",
                )
            except TypeError:
                for at_key in _bad_keys(raw, path):
                    self.problem(
                        at_key,
                        "invalid extension data: extension keys must be plain scalars, "
                        f"not {describe_value(at_key[-1])}",
                        "bad-value",
                        at="key",
                        hint=key_hint(at_key[-1]),
                        shown=key_text(at_key[-1]),
                    )
                return INVALID
        what = f"'{clip(path[-1])}'" if path and isinstance(path[-1], str) else "this item"
        if raw is None:
            if spec.optional:
                return None
            return self.problem(
                path,
                f"{what} must be {spec.describe()}, not empty",
                "wrong-type",
                expected=spec.describe(),
                got="null",
                hint="give a value or remove the key" if plan and not plan.required else None,
            )
        kind = spec.kind
        if kind == "str":
            if not isinstance(raw, str):
                return self._wrong_type(path, spec, raw, what)
            if (
                plan is not None
                and plan.check is not None
                and plan.spec.kind == "str"
                and self._apply_check(plan, raw, path) is INVALID
            ):
                return INVALID
            if plan is not None and plan.cites is not None:
                return self._check_citation(raw, path, plan.cites)
            return self._check_ref(raw, path, plan.ref if plan else None, plan)
        if kind == "bool":
            if not isinstance(raw, bool):
                return self._wrong_type(path, spec, raw, what)
            return raw
        if kind in ("int", "float"):
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                return self._wrong_type(path, spec, raw, what)
            if kind == "int" and not isinstance(raw, int):
                if not raw.is_integer():
                    return self._wrong_type(path, spec, raw, what)
                raw = int(raw)
            if (isinstance(raw, float) and not math.isfinite(raw)) or (
                kind == "float" and isinstance(raw, int) and not -_MAX_FLOAT <= raw <= _MAX_FLOAT
            ):
                return self.problem(
                    path,
                    f"{what} must be a finite number, not {number_text(raw)}",
                    "bad-value",
                    expected="a finite number",
                    got=describe_value(raw),
                    hint="write a number of at most 308 digits"
                    if isinstance(raw, int)
                    else "write a finite number; .inf and .nan are not amounts",
                )
            if plan is not None and not self._in_bounds(raw, path, plan, what):
                return INVALID
            return float(raw) if kind == "float" else raw
        if kind == "date":
            return self._date(raw, path, spec, what)
        if kind == "enum":
            values = [m.value for m in spec.cls]
            if isinstance(raw, str) and raw in values:
                return spec.cls(raw)
            if raw is False and "off" in values:  # YAML 1.1 reads a bare off as false
                return spec.cls("off")
            guess = nearest(str(raw).lower().replace("-", "_").replace(" ", "_"), values)
            return self.problem(
                path,
                f"{what} must be {spec.describe()}, not {describe_value(raw)}",
                "bad-value",
                hint=f"did you mean {guess!r}?" if guess else None,
                expected=spec.describe(),
                got=describe_value(raw),
            )
        if kind == "tuple":
            assert spec.item is not None
            if not isinstance(raw, list):
                return self._wrong_type(path, spec, raw, what)
            items = [self.value(spec.item, item, (*path, i), plan) for i, item in enumerate(raw)]
            if any(item is INVALID for item in items):
                return INVALID
            return tuple(items)
        if kind == "map":
            return self._map(spec, raw, path, plan, what)
        if kind == "object":
            return self.obj(spec.cls, raw, path)
        raise AssertionError(f"unhandled type kind {kind!r}")  # pragma: no cover

    def _date(self, raw: Any, path: Path, spec: TypeSpec, what: str) -> Any:
        if isinstance(raw, dt.datetime):
            return self.problem(
                path,
                f"{what} must be a date without a time, not {describe_value(raw)}",
                "wrong-type",
                expected=spec.describe(),
                got=describe_value(raw),
                hint=f"write {raw.date().isoformat()}",
            )
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                return self.problem(
                    path,
                    f"{what} must be a date YYYY-MM-DD, not {describe_value(raw)}",
                    "bad-value",
                    expected=spec.describe(),
                    got=describe_value(raw),
                )
        return self._wrong_type(path, spec, raw, what)

    def _apply_check(self, plan: FieldPlan, value: Any, path: Path) -> Any:
        try:
            plan.check(value)
        except (TypeError, ValueError) as exc:
            return self.problem(path, str(exc), "bad-value", got=describe_value(value))
        return value

    def _in_bounds(self, raw: float, path: Path, plan: FieldPlan, what: str) -> bool:
        low, high = plan.minimum, plan.maximum
        if low is not None and (raw <= low if plan.exclusive_minimum else raw < low):
            word = "greater than" if plan.exclusive_minimum else "at least"
            self.problem(
                path,
                f"{what} must be {word} {low:g}, not {number_text(raw)}",
                "bad-value",
                expected=f"a number {word} {low:g}",
                got=describe_value(raw),
                hint=f"write a number {word} {low:g}",
            )
            return False
        if high is not None and raw > high:
            self.problem(
                path,
                f"{what} must be at most {high:g}, not {number_text(raw)}",
                "bad-value",
                expected=f"a number at most {high:g}",
                got=describe_value(raw),
                hint=f"write a number of at most {high:g}",
            )
            return False
        return True

    def _map(self, spec: TypeSpec, raw: Any, path: Path, plan: FieldPlan | None, what: str) -> Any:
        assert spec.item is not None
        if not isinstance(raw, dict):
            return self._wrong_type(path, spec, raw, what)
        result = {}
        failed = False
        key_ref = plan.key_ref if plan else None
        for key, item in raw.items():
            if not isinstance(key, str):
                self.problem(
                    (*path, key),
                    f"keys of {what} must be strings, not {describe_value(key)}",
                    "wrong-type",
                    at="key",
                    expected="a string key",
                    got=describe_value(key),
                )
                failed = True
                continue
            if key_ref is not None:
                checked = self._check_ref(key, (*path, key), key_ref, None, at="key")
                if checked is INVALID:
                    failed = True
                else:
                    key = checked
            if plan is not None and plan.key_check is not None:
                try:
                    plan.key_check(key)
                except (TypeError, ValueError) as exc:
                    self.problem((*path, key), str(exc), "unknown-key", at="key")
                    failed = True
            if (
                plan is not None
                and plan.name == "checks"
                and self.known_checks
                and key not in self.known_checks
            ):
                guess = nearest(key, self.known_checks)
                self.problem(
                    (*path, key),
                    f"unknown check {quote(key)}",
                    "unknown-key",
                    at="key",
                    hint=f"did you mean {guess!r}?"
                    if guess
                    else "run 'cio-framework checks' for the list",
                )
                failed = True
            value = self.value(spec.item, item, (*path, key), None)
            if value is not INVALID and plan is not None and plan.check is not None:
                value = self._apply_check(plan, value, (*path, key))
            if value is INVALID:
                failed = True
            result[key] = value
        if failed:
            return INVALID
        return FrozenMap(result)

    # -- references ---------------------------------------------------------

    def _check_ref(
        self,
        value: str,
        path: Path,
        kinds: tuple[str, ...] | None,
        plan: FieldPlan | None,
        *,
        at: str = "value",
    ) -> Any:
        if kinds or (plan is not None and plan.is_id):
            value = canonical_id(value)
        if plan is not None and plan.is_id:
            refused = id_problem(value, plan.reserved)
            if refused is not None:
                why, hint = refused
                return self.problem(path, why, "bad-value", hint=hint, got=describe_value(value))
            return value
        if not kinds or (plan is not None and value in plan.literals):
            return value
        entry = self.ids.get(value)
        if entry is not None and entry.kind in kinds:
            return value
        names = " or ".join(SINGULAR[k] for k in kinds)
        if entry is not None:
            found = _article(SINGULAR[entry.kind])
            return self.problem(
                path,
                f"{quote(value)} is {found}, not {_article(names)}",
                "dangling-reference",
                at=at,
                expected=f"the id of {_article(names)}",
                got=f"the id of {found}",
                hint=self._ref_hint(value, kinds),
            )
        return self.problem(
            path,
            f"unknown {names} {quote(value)}",
            "dangling-reference",
            at=at,
            expected=f"the id of {_article(names)}",
            got=describe_value(value),
            hint=self._ref_hint(value, kinds),
        )

    def _check_citation(self, value: str, path: Path, kind: str) -> Any:
        """A citation whose source ids (:func:`cited_ids`) are all of ``kind``,
        once the file's scenario (or pack) lists any; free text before that."""
        if not self.check_citations or not self._has_kind(kind):
            return value
        for cited in cited_ids(value):
            entry = self.ids.get(canonical_id(cited))
            if entry is None or entry.kind != kind:
                hint = self._ref_hint(canonical_id(cited), (kind,))
                return self.problem(
                    path,
                    f"unknown {SINGULAR[kind]} {quote(cited)} in the citation {quote(value)}",
                    "dangling-reference",
                    expected=f"'<{SINGULAR[kind]} id> <where in it>', several joined by ';'",
                    got=describe_value(value),
                    hint=hint or f"list the {SINGULAR[kind]} under '{kind}:' first",
                )
        return value

    def _has_kind(self, kind: str) -> bool:
        """Whether any id of the collection ``kind`` is defined."""
        return kind in self._by_kind()

    def _by_kind(self) -> dict[str, list[str]]:
        """The defined ids by collection, worked out once."""
        if self._ids_by_kind is None:
            self._ids_by_kind = {}
            for id_, entry in self.ids.items():
                self._ids_by_kind.setdefault(entry.kind, []).append(id_)
        return self._ids_by_kind

    def _ref_hint(self, value: str, kinds: tuple[str, ...]) -> str | None:
        """A hint for a dangling reference: the nearest id of the right kind.

        Computed once per unknown value, and for at most
        :data:`HINTED_VALUES` distinct values per file: a renamed system that
        thousands of exchanges name costs one search, and a file full of
        unknown ids is still reported in seconds (without guesses past the
        first ones).
        """
        key = (value, kinds)
        if key in self._hints:
            return self._hints[key]
        by_kind = self._by_kind()
        pool = self._pools.get(kinds)
        if pool is None:
            pool = self._pools[kinds] = [i for k in kinds for i in by_kind.get(k, [])]
        hint = None
        if not pool:
            hint = f"no {SINGULAR[kinds[0]]} is defined; add one under '{kinds[0]}'"
        elif len(self._hints) < HINTED_VALUES:
            guess = nearest(value, pool)
            hint = f"did you mean {guess!r}?" if guess else None
        self._hints[key] = hint
        return hint

    # -- objects --------------------------------------------------------------

    def obj(self, cls: type, raw: Any, path: Path) -> Any:
        """Structure a mapping into an instance of the attrs class ``cls``."""
        if raw is INVALID:  # already reported (a refused tag, say)
            return INVALID
        info = _class_info(cls)
        if info.from_plain is not None:
            try:
                return info.from_plain(raw)
            except (TypeError, ValueError) as exc:
                return self.problem(
                    path,
                    str(exc),
                    "bad-value",
                    expected=getattr(cls, "__config_describe__", None),
                    got=describe_value(raw),
                )
        if not isinstance(raw, dict):
            what = f"'{clip(path[-1])}'" if path and isinstance(path[-1], str) else None
            return self.problem(
                path,
                f"{what or 'each ' + info.noun} must be a mapping of keys to values, "
                f"not {describe_value(raw)}",
                "wrong-type",
                expected="a mapping",
                got=describe_value(raw),
            )
        by_key = info.by_key
        kwargs: dict[str, Any] = {}
        extensions: dict[str, Any] = {}
        failed = False
        for key in raw:
            if key in by_key:
                continue
            if not isinstance(key, str):
                self.problem(
                    (*path, key),
                    f"keys must be strings, not {describe_value(key)}",
                    "wrong-type",
                    at="key",
                    hint=key_hint(key),
                    expected="a string key",
                    got=describe_value(key),
                    shown=key_text(key),
                )
                failed = True
            elif key.startswith("x-") and info.has_extensions:
                frozen = self.value(_ANY, raw[key], (*path, key), None)
                if frozen is INVALID:
                    failed = True
                extensions[key] = frozen
            else:
                known = list(by_key)
                guess = nearest(key, known)
                self.problem(
                    (*path, key),
                    f"unknown key {quote(key)} in {info.noun}",
                    "unknown-key",
                    at="key",
                    hint=f"did you mean {guess!r}?"
                    if guess
                    else "known keys: "
                    + ", ".join(known)
                    + ("; extension keys start with 'x-'" if info.has_extensions else ""),
                    got=quote(key),
                )
                failed = True
        for plan in info.fields:
            key = plan.key
            item = raw.get(key, _MISSING)
            if item is _MISSING:
                if plan.required:
                    self.problem(
                        path,
                        f"{info.noun} is missing the required key {key!r}",
                        "missing-field",
                        expected=f"{key!r}: {plan.spec.describe()}",
                        hint=f"add '{key}: ...' ({plan.doc.rstrip('.').lower()})",
                    )
                    failed = True
                continue
            value = self.value(plan.spec, item, (*path, key), plan)
            if value is INVALID:
                failed = True
            else:
                kwargs[plan.name] = value
        if failed:
            return INVALID
        if extensions:
            kwargs["extensions"] = extensions
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            return self.problem(path, f"invalid {info.noun}: {exc}", "bad-value")


@attrs.frozen
class _ClassInfo:
    """What :meth:`Structurer.obj` needs of a class, computed once."""

    fields: tuple[FieldPlan, ...]
    by_key: dict[str, FieldPlan]
    has_extensions: bool
    from_plain: Any
    noun: str


_INFO: dict[type, _ClassInfo] = {}


def _class_info(cls: type) -> _ClassInfo:
    info = _INFO.get(cls)
    if info is None:
        plans = plan_of(cls)
        fields = tuple(p for p in plans if p.name != "extensions")
        info = _INFO[cls] = _ClassInfo(
            fields=fields,
            by_key={p.key: p for p in fields},
            has_extensions=len(fields) != len(plans),
            from_plain=getattr(cls, "from_plain", None),
            noun=_noun_for(cls),
        )
    return info


_ANY = TypeSpec(kind="any")
_MISSING: Any = object()


def _article(noun: str) -> str:
    """``"a role"``, ``"an exchange"``.

    Examples
    --------
    >>> _article("exchange"), _article("role or person")
    ('an exchange', 'a role or person')
    """
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _noun_for(cls: type) -> str:
    for collection, element_cls in COLLECTIONS.items():
        if element_cls is cls:
            return SINGULAR[collection]
    name = cls.__name__
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


class _TooDeep(Exception):
    """Extension data nested deeper than the limit."""


def _bad_keys(value: Any, path: Path) -> Iterator[Path]:
    """The paths of the keys in ``value`` (at ``path``) that are no plain
    scalars, in document order; a list or mapping an alias repeats (or
    holds itself) is looked into once."""
    stack: list[tuple[Path, Any]] = [(path, value)]
    seen: set[int] = set()
    while stack:
        path, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, dict):
            yield from ((*path, k) for k in value if not isinstance(k, (str, int, float, bool)))
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def _freeze_plain(value: Any, depth: int, limit: int) -> Any:
    """Freeze plain data; ``depth`` is the nesting ``value`` would have as a
    list or mapping, counted as the YAML loaders count it (lists and
    mappings, the document's own included; scalars do not count)."""
    if isinstance(value, dict):
        if depth > limit:
            raise _TooDeep
        for k in value:
            if not isinstance(k, (str, int, float, bool)):
                raise TypeError(f"extension keys must be plain scalars, not {describe_value(k)}")
        return FrozenMap((k, _freeze_plain(v, depth + 1, limit)) for k, v in value.items())
    if isinstance(value, list):
        if depth > limit:
            raise _TooDeep
        return tuple(_freeze_plain(v, depth + 1, limit) for v in value)
    return value
