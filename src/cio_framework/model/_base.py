"""Shared building blocks of the model: the field helper and the base element.

Every model class is an attrs ``@frozen`` value with keyword-only fields.
Field metadata carries what the configuration layer needs to read and write
the class (the YAML key, which ids a field refers to, numeric bounds, a
one-line description) so that the model itself never imports YAML.
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from typing import Any

import attrs

from .._util import tuple_of
from ._frozenmap import FrozenMap

__all__ = [
    "LOCAL",
    "META",
    "RESERVED_IDS",
    "Element",
    "EvidenceStatus",
    "canonical_id",
    "cited_ids",
    "extension_map",
    "hidden_character",
    "id_problem",
    "number_text",
    "own_fields_first",
    "short_repr",
    "tuple_of",
    "valid_id",
]

#: Key under which cio_framework keeps its own field metadata.
META = "cio_framework"

#: Longest id accepted, in characters.
MAX_ID_LENGTH = 200

#: The ``hosted_on`` value of a system run by its own department.
LOCAL = "local"

#: Words that reference fields accept besides ids (their ``literals``), with
#: what each stands for. An element of a collection such a field refers to
#: may not take one as its id (its id field declares it ``reserved``), or
#: ``hosted_on: local`` would silently name it.
RESERVED_IDS: Mapping[str, str] = {
    LOCAL: "'hosted_on: local', a system on its own department's hosting",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def meta(
    *,
    doc: str,
    key: str | None = None,
    ref: str | tuple[str, ...] | None = None,
    key_ref: str | tuple[str, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
    is_id: bool = False,
    check: Callable[[Any], object] | None = None,
    literals: tuple[str, ...] = (),
    key_check: Callable[[str], object] | None = None,
    reserved: tuple[str, ...] = (),
    cites: str | None = None,
) -> dict[str, Any]:
    """Field metadata that the configuration layer reads.

    Use as ``attrs.field(metadata=meta(doc=...), validator=checked)``.

    Parameters
    ----------
    doc
        One-line description, used by the configuration reference.
    key
        The YAML key when it differs from the attribute name.
    ref
        Collection name(s) whose ids this field (or each item of it) refers to.
    key_ref
        Collection name(s) whose ids the keys of a mapping field refer to.
    minimum, maximum, exclusive_minimum
        Bounds for numbers, enforced by :func:`checked`.
    is_id
        Whether the field is the element's id, checked by :func:`checked`.
    check
        Called by the config layer on each plain value (each mapping value for
        a mapping field); raises ``ValueError`` to report it at its line.
    literals
        Plain values accepted besides references, such as ``"local"``.
    key_check
        Called by the config layer on each key of a mapping field.
    reserved
        For an id field: words of :data:`RESERVED_IDS` it may not be, the
        ``literals`` of the fields that refer to its collection.
    cites
        For a citation field (text such as ``"article ¶12"``): the collection
        whose ids the first word of each ``;``-separated citation must be,
        once the scenario lists any (see :func:`cited_ids`).

    Examples
    --------
    >>> meta(doc="Role id.", ref="roles")[META]["ref"]
    ('roles',)
    """
    return {
        META: {
            "doc": doc,
            "key": key,
            "ref": (ref,) if isinstance(ref, str) else ref,
            "key_ref": (key_ref,) if isinstance(key_ref, str) else key_ref,
            "minimum": minimum,
            "maximum": maximum,
            "exclusive_minimum": exclusive_minimum,
            "is_id": is_id,
            "check": check,
            "literals": literals,
            "key_check": key_check,
            "reserved": reserved,
            "cites": cites,
        }
    }


def checked(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator enforcing the bounds and id rules in a field's :func:`meta`.

    Examples
    --------
    >>> import attrs
    >>> @attrs.frozen
    ... class Weight:
    ...     value: float = attrs.field(validator=checked, metadata=meta(doc="w", minimum=0))
    >>> Weight(-1)
    Traceback (most recent call last):
    ...
    ValueError: value must be at least 0, not -1
    """
    info = attribute.metadata.get(META, {})
    if value is None:
        return
    if info.get("is_id"):
        if not isinstance(value, str):
            raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
        why = valid_id(value, info.get("reserved", ()))
        if why:
            raise ValueError(why)
    minimum, maximum = info.get("minimum"), info.get("maximum")
    if minimum is None and maximum is None:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be a finite number, not {value}")
    name, shown = attribute.name, number_text(value)
    if minimum is not None:
        if info.get("exclusive_minimum") and value <= minimum:
            raise ValueError(f"{name} must be greater than {minimum:g}, not {shown}")
        if not info.get("exclusive_minimum") and value < minimum:
            raise ValueError(f"{name} must be at least {minimum:g}, not {shown}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:g}, not {shown}")


def number_text(value: float) -> str:
    """A number for messages: ``format(value, "g")``, or the digits of an
    integer too large for a float, shortened.

    Examples
    --------
    >>> number_text(0.5), number_text(3), number_text(-(10**400))
    ('0.5', '3', '-1000000000000000000000000...0000000000 (401 digits)')
    >>> number_text(2**20000)
    'an integer of 6021 digits'
    """
    try:
        return f"{value:g}"
    except OverflowError:  # an integer beyond every float
        try:
            digits = str(value)
        except ValueError:  # beyond Python's limit for decimal text
            return f"an integer of {_digit_count(int(value))} digits"
        count = len(digits.lstrip("-"))
        return f"{digits[:26]}...{digits[-10:]} ({count} digits)"


def _digit_count(value: int) -> int:
    """Decimal digits of ``value``, without writing it in decimal."""
    value = abs(value)
    count = max(1, int(value.bit_length() * 0.30102999566398120))
    while 10**count <= value:
        count += 1
    while count > 1 and 10 ** (count - 1) > value:
        count -= 1
    return count


def valid_id(value: str, reserved: Collection[str] = ()) -> str | None:
    """Return why ``value`` is not a usable id, or ``None`` if it is.

    Ids may use any script; they must be non-empty, at most
    :data:`MAX_ID_LENGTH` characters, without control characters, without
    leading or trailing white space, without characters that show nothing or
    change the text's direction (``hidden_character``), in Unicode
    normal form NFC, and none of the ``reserved`` words (``RESERVED_IDS``
    that the id's field declares).

    Examples
    --------
    >>> valid_id("epb-cio") is None
    True
    >>> valid_id("环保局") is None
    True
    >>> valid_id(" epb")
    'an id must not start or end with white space'
    >>> valid_id("local") is None
    True
    >>> valid_id("local", reserved=("local",))
    "the id 'local' is reserved: it stands for 'hosted_on: local', a system on its own department's hosting"
    """
    found = id_problem(value, reserved)
    return None if found is None else found[0]


def id_problem(value: str, reserved: Collection[str] = ()) -> tuple[str, str] | None:
    """``(why, hint)`` when ``value`` is not a usable id, else ``None``.

    The one statement of the id rule: :func:`valid_id` gives its first half,
    and the configuration layer reports both.

    Examples
    --------
    >>> id_problem("epb ")
    ('an id must not start or end with white space', "write 'epb'")
    """
    if (
        value
        and value.isascii()
        and value.isprintable()
        and len(value) <= MAX_ID_LENGTH
        and value[0] != " "
        and value[-1] != " "
        and value not in reserved
    ):
        return None  # the common case, without the regular expression
    if not value:
        return "an id must not be empty", "give the element an id of its own"
    if value in reserved:
        meaning = RESERVED_IDS.get(value, "a word the scenario format uses")
        return (
            f"the id {value!r} is reserved: it stands for {meaning}",
            f"choose another id, such as '{value}-1'",
        )
    if len(value) > MAX_ID_LENGTH:
        return (
            f"an id must be at most {MAX_ID_LENGTH} characters, not {len(value)}",
            "shorten it; the name field holds the long form",
        )
    if value != value.strip():
        return "an id must not start or end with white space", f"write {value.strip()!r}"
    if _CONTROL.search(value):
        return (
            "an id must not contain control characters or line breaks",
            "remove the control characters and line breaks",
        )
    hidden = hidden_character(value)
    if hidden is not None:
        return (
            f"an id must not contain invisible, spacing or direction-changing characters "
            f"such as {hidden}",
            "remove it: people read and type ids, and two ids that look the same must be the same",
        )
    if not unicodedata.is_normalized("NFC", value):
        return (
            "an id must be in Unicode normal form NFC (composed characters)",
            f"write {unicodedata.normalize('NFC', value)!r}",
        )
    return None


#: Characters that print as nothing although Python counts them printable
#: (Hangul fillers, the combining grapheme joiner, Khmer inherent vowels,
#: variation selectors): Unicode's default-ignorable code points that are
#: letters or marks.
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    + "".join(map(chr, range(0x180B, 0x1810)))
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def canonical_id(text: str) -> str:
    """``text`` in Unicode normal form NFC, the one form an id takes.

    An id typed with a combining accent and the same id typed with the
    composed letter look the same, so the loader reads both as this form,
    in ids and in the references to them alike.

    Examples
    --------
    >>> canonical_id("e\u0301pb") == "\u00e9pb"
    True
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that shows nothing or changes the
    direction of what follows, as ``U+XXXX NAME``; ``None`` if there is none.

    These are the characters :meth:`str.isprintable` refuses (format
    characters such as the zero-width space and the bidirectional overrides,
    white space but the ASCII space, private-use, unassigned and surrogate
    code points) and the default-ignorable letters and marks it accepts.

    Examples
    --------
    >>> hidden_character("epb\u200b")
    'U+200B ZERO WIDTH SPACE'
    >>> hidden_character("环保局 cio") is None
    True
    """
    for ch in text:
        if (ch != " " and not ch.isprintable()) or ch in _IGNORABLE:
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'without a name')}"
    return None


#: Integers of extension data are below this in size: 4,300 digits, the most
#: that Python turns into text by default, so that every scenario can be written.
_EXTENSION_INT_LIMIT = 10**4300


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return FrozenMap((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if type(value) is int and not -_EXTENSION_INT_LIMIT < value < _EXTENSION_INT_LIMIT:
        raise ValueError("an integer in extension data has at most 4,300 digits")
    return value


_NO_EXTENSIONS: FrozenMap[str, Any] = FrozenMap()


def extension_map(value: Mapping[Any, Any] | None) -> FrozenMap[str, Any]:
    """Convert extension data (``x-`` keys) into nested immutable values.

    Examples
    --------
    >>> extension_map({"x-budget-code": [1, 2]})
    FrozenMap({'x-budget-code': (1, 2)})
    """
    if not value:
        return _NO_EXTENSIONS
    result: FrozenMap[str, Any] = _freeze(value)
    for k in result:
        if not isinstance(k, str) or not k.startswith("x-"):
            raise ValueError(f"extension keys must start with 'x-', not {k!r}")
    return result


def own_fields_first(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs field transformer: a class's own fields before inherited ones.

    Keeps ``id`` and the element's substance first in ``__init__``, ``repr``
    and written YAML, and the provenance fields of :class:`Element` last.
    """
    own = [f for f in fields if not getattr(f, "inherited", False)]
    return own + [f for f in fields if getattr(f, "inherited", False)]


def short_repr(self: Any) -> str:
    """A ``repr`` that shows only the fields that differ from their defaults."""
    parts = []
    for attribute in attrs.fields(type(self)):
        value = getattr(self, attribute.name)
        default = attribute.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and value == default:
            continue
        parts.append(f"{attribute.name}={value!r}")
    return f"{type(self).__name__}({', '.join(parts)})"


class EvidenceStatus(enum.Enum):
    """How an element of a scenario is supported, from best to worst.

    ``sourced``
        A source states it: the element cites one, or the scenario's own
        ``source`` covers the whole scenario.
    ``inferred``
        Reasoned from what sources state, not stated by them
        (``inferred: true``).
    ``unsourced``
        Neither the element nor its scenario names a source.
    ``illustrative``
        Invented to make the scenario complete (``illustrative: true``).
    """

    SOURCED = "sourced"
    INFERRED = "inferred"
    UNSOURCED = "unsourced"
    ILLUSTRATIVE = "illustrative"

    @property
    def rank(self) -> int:
        """Position from best (0, ``sourced``) to worst (3, ``illustrative``)."""
        return _EVIDENCE_RANK[self]


_EVIDENCE_RANK = {status: rank for rank, status in enumerate(EvidenceStatus)}
#: The statuses, read once: an enum member looked up on its class costs a
#: Python-level call, and every finding asks for its elements' status.
_SOURCED, _INFERRED, _UNSOURCED, _ILLUSTRATIVE = EvidenceStatus


def cited_ids(citation: str) -> tuple[str, ...]:
    """The source ids a citation names: the first word of each ``;`` part.

    A citation is ``"<source id> <locator>"``, several joined by ``;``. The
    id ends at the first space or comma; what follows locates the fact in
    the source.

    Examples
    --------
    >>> cited_ids("article ¶12")
    ('article',)
    >>> cited_ids("liaowang-2016 ¶3; jiefang-2016, page 2")
    ('liaowang-2016', 'jiefang-2016')
    >>> cited_ids(" ; ")
    ()
    """
    found = []
    for part in citation.split(";"):
        word = part.strip().split(None, 1)[0] if part.strip() else ""
        word = word.split(",", 1)[0]
        if word:
            found.append(word)
    return tuple(found)


class CheckSetting(enum.Enum):
    """A scenario's override of a check's severity; ``off`` disables it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


def check_settings(value: Any) -> FrozenMap[str, CheckSetting]:
    """Check id to :class:`CheckSetting`, from a mapping of plain words."""
    return FrozenMap((k, CheckSetting(v)) for k, v in dict(value).items())


@attrs.frozen(kw_only=True, repr=False)
class Element:
    """Fields every element of a scenario shares: where a fact comes from.

    Parameters
    ----------
    source
        Where the fact comes from, for example ``"article ¶11"``. When the
        scenario lists ``sources``, each ``;``-separated citation starts
        with the id of one of them (:func:`cited_ids`).
    note
        Free text: caveats, discrepancies between sources.
    illustrative
        ``True`` when the element is not stated by the source but added to
        make the scenario complete; reports say so.
    inferred
        ``True`` when the element is reasoned from the sources rather than
        stated by them. ``illustrative`` takes precedence when both are set.
    extensions
        Keys starting with ``x-``: kept, written back by ``dump``, ignored
        by the analyses.

    Examples
    --------
    >>> from cio_framework.model import Department
    >>> Department(id="epb", name="EPB", source="article ¶2").evidence_status
    <EvidenceStatus.SOURCED: 'sourced'>
    >>> Department(id="epb", name="EPB", source="article ¶2", inferred=True).evidence_status
    <EvidenceStatus.INFERRED: 'inferred'>
    >>> Department(id="epb", name="EPB").evidence_status
    <EvidenceStatus.UNSOURCED: 'unsourced'>
    """

    source: str | None = attrs.field(
        default=None, metadata=meta(doc="Where the fact comes from.", cites="sources")
    )
    note: str | None = attrs.field(default=None, metadata=meta(doc="Free-text remark or caveat."))
    illustrative: bool = attrs.field(
        default=False,
        metadata=meta(doc="True when not stated by the source but added for completeness."),
    )
    inferred: bool = attrs.field(
        default=False,
        metadata=meta(doc="True when reasoned from the sources rather than stated by them."),
    )
    extensions: FrozenMap[str, Any] = attrs.field(
        factory=FrozenMap,
        converter=extension_map,
        metadata=meta(doc="Extension data under keys that start with 'x-'."),
    )

    @property
    def evidence_status(self) -> EvidenceStatus:
        """How this element is supported, by its own marks and citation alone.

        An ``unsourced`` element of a scenario that names a ``source`` of
        its own counts as sourced by it; the analyses apply that rule.
        """
        if self.illustrative:
            return _ILLUSTRATIVE
        if self.inferred:
            return _INFERRED
        if self.source is not None and self.source.strip():
            return _SOURCED
        return _UNSOURCED

    __repr__ = short_repr
