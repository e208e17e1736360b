"""The exception hierarchy of cio_framework.

Every exception the library raises on purpose derives from
:class:`CioFrameworkError`; each subclass also inherits the builtin it
resembles, so ``except ValueError`` keeps working in code that does not know
this library.

Examples
--------
>>> import cio_framework
>>> try:
...     cio_framework.loads("cio_framework: 1\\nname: x\\nroles: 3\\n")
... except cio_framework.ConfigError as err:
...     print(err.problems[0].line, err.problems[0].message)
3 'roles' must be a list, not an integer (3)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from ._escape import one_line
from ._util import tuple_of

__all__ = [
    "EXCERPT_WIDTH",
    "MAX_TEXT",
    "PROBLEMS_PER_FILE",
    "CioFrameworkError",
    "ConfigError",
    "MissingDependencyError",
    "Problem",
    "Severity",
    "TooLargeError",
    "UnknownNameError",
]

#: Most problems a :class:`ConfigError` lists for one file; a last line counts the rest.
PROBLEMS_PER_FILE = 100
#: Characters of a long source line that :meth:`Problem.render` shows on each
#: side of the problem's column.
EXCERPT_WIDTH = 60
#: Most characters of a problem's message, hint, expected, got or path: longer
#: texts keep their start and end around a "…".
MAX_TEXT = 500


class Severity(enum.Enum):
    """How serious a problem or finding is.

    Examples
    --------
    >>> Severity("warning") is Severity.WARNING
    True
    >>> Severity.ERROR.rank > Severity.INFO.rank
    True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """The sort order of the severity, highest first (error 2, warning 1, info 0)."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class CioFrameworkError(Exception):
    """Root of every exception raised by cio_framework."""


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """``text``, or its start and end around a "…" when longer than ``limit``.

    Examples
    --------
    >>> shorten("abcdefghij", 7)
    'abc…hij'
    >>> shorten("short")
    'short'
    """
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def _short(text: str | None) -> str | None:
    """attrs converter: :func:`shorten`, passing ``None`` through."""
    return None if text is None else shorten(text)


def excerpt(line: str, column: int, width: int = EXCERPT_WIDTH) -> tuple[str, int]:
    """At most ``2 * width + 1`` characters of ``line`` around 1-based
    ``column``, with "…" where the line goes on, and the caret's 0-based
    offset in the excerpt.

    Examples
    --------
    >>> excerpt("level: nowhere", 8)
    ('level: nowhere', 7)
    >>> excerpt("x" * 50 + "HERE" + "y" * 50, 51, width=5)
    ('…xxxxxHEREyy…', 6)
    """
    size = 2 * width + 1
    if len(line) <= size:
        return line, column - 1
    start = min(max(column - 1 - width, 0), len(line) - size)
    text = line[start : start + size]
    offset = column - 1 - start
    if start > 0:
        text, offset = "…" + text, offset + 1
    if start + size < len(line):
        text += "…"
    return text, offset


def location(file: str | None, line: int | None, column: int | None) -> str:
    """``file:line:column``, the parts that are unknown left out.

    Examples
    --------
    >>> location("a.yaml", 3, 5), location(None, 3, None)
    ('a.yaml:3:5', '<string>:3')
    """
    parts = [file or "<string>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)


@attrs.frozen(kw_only=True)
class Problem:
    """One located problem in a scenario file.

    Parameters
    ----------
    message
        What is wrong, in plain words. Values it quotes are shortened, and
        it (like ``hint``, ``expected``, ``got`` and ``path``) is cut to
        :data:`MAX_TEXT` characters, keeping its start and end.
    code
        A stable identifier of the kind of problem, such as ``unknown-key``,
        ``duplicate-key``, ``duplicate-id``, ``dangling-reference``,
        ``wrong-type``, ``bad-value``, ``missing-field``, ``syntax``,
        ``version``, ``encoding``, ``unsafe-tag``, ``conflict``, ``io``,
        ``limit``, or ``truncated`` for the line that counts the problems of
        a file beyond ``PROBLEMS_PER_FILE``.
    file
        The file the problem is in, or ``None`` for text given directly.
    line, column
        1-based position of the offending key or value, when known.
    path
        Where in the document, as a JSONPath-like string: ``$.roles[3].level``.
    hint
        A suggestion: the nearest known key or id, or how to fix it.
    expected, got
        What the format wants at this place and what was found.
    source_line
        The text of the offending line, shown with a caret by :meth:`render`
        (a long line only around the column, see ``excerpt``).
    severity
        Always :attr:`Severity.ERROR` for configuration problems.

    Examples
    --------
    >>> p = Problem(message="unknown key 'titel'", code="unknown-key",
    ...             file="a.yaml", line=4, column=5, path="$.roles[0].titel",
    ...             hint="did you mean 'title'?")
    >>> str(p)
    "a.yaml:4:5: error: unknown key 'titel' [unknown-key] (did you mean 'title'?)"
    """

    message: str = attrs.field(converter=shorten)
    code: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = attrs.field(default="$", converter=shorten)
    hint: str | None = attrs.field(default=None, converter=_short)
    expected: str | None = attrs.field(default=None, converter=_short)
    got: str | None = attrs.field(default=None, converter=_short)
    source_line: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        """``file:line:column`` (parts that are unknown are left out)."""
        return location(self.file, self.line, self.column)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f" ({self.hint})"
        return one_line(text)  # one problem, one line, whatever a name holds

    def render(self) -> str:
        """The one-line form followed by the source line and a caret.

        A line longer than ``2 * EXCERPT_WIDTH + 1`` characters is shown
        only around the column, with "…" where it goes on.

        Examples
        --------
        >>> p = Problem(message="bad", code="bad-value", line=1, column=7,
        ...             source_line="level: nowhere")
        >>> print(p.render())
        <string>:1:7: error: bad [bad-value]
            level: nowhere
                   ^
        """
        text = str(self)
        if self.source_line is not None and self.column is not None:
            shown, caret = excerpt(self.source_line, self.column)
            text += f"\n    {shown}\n    {' ' * caret}^"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with ``file``, ``line``, ``column``, ``path``,
        ``severity``, ``code``, ``message``, ``hint``, ``expected``, ``got``."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "expected": self.expected,
            "got": self.got,
        }


@attrs.define(auto_exc=True, eq=False)
class ConfigError(CioFrameworkError, ValueError):
    """A scenario could not be loaded; carries every problem found.

    Parameters
    ----------
    problems
        The problems, in file and line order. The loader lists at most
        ``PROBLEMS_PER_FILE`` of each file, followed by a ``truncated``
        line that counts the rest (see :meth:`from_problems`).
    total
        How many problems were found, the ones not listed included (the
        ``truncated`` lines themselves not counted); by default the number
        of ``problems``.

    Notes
    -----
    ``str()`` shows each problem with its source line and a caret. The first
    problem's position is also available as :attr:`file`, :attr:`line`,
    :attr:`column` and :attr:`path`.

    Examples
    --------
    >>> err = ConfigError.from_problems(
    ...     [Problem(message="bad", code="bad-value", file="a.yaml", line=n) for n in range(150)])
    >>> err.total, len(err.problems), str(err.problems[-1])
    (150, 101, 'a.yaml: error: and 50 more problems in this file [truncated] (only the first 100 problems of a file are listed; fix them and load it again)')
    """

    problems: tuple[Problem, ...] = attrs.field(converter=tuple_of)
    total: int = attrs.field(
        default=attrs.Factory(lambda self: len(self.problems), takes_self=True)
    )

    @classmethod
    def from_problems(
        cls, problems: Iterable[Problem], *, per_file: int = PROBLEMS_PER_FILE
    ) -> ConfigError:
        """The error for ``problems``, bounded: duplicates merged, at most
        ``per_file`` problems of each file listed and the rest counted.

        Problems with the same file, line, column, code and message are one
        problem (a value that YAML aliases use in many places has one
        position): the first is kept, its message saying in how many places
        the value is used. ``problems`` come in file order; ``total``
        counts the problems after merging.

        Examples
        --------
        >>> same = Problem(message="bad", code="bad-value", file="a.yaml", line=3, column=5)
        >>> err = ConfigError.from_problems([same, same, same])
        >>> err.total, err.problems[0].message
        (1, 'bad (the value is used in 3 places, through YAML aliases)')
        """
        merged = _merge(problems)
        totals: dict[str | None, int] = {}
        for problem in merged:
            totals[problem.file] = totals.get(problem.file, 0) + 1
        shown: list[Problem] = []
        listed: dict[str | None, int] = {}
        for problem in merged:
            n = listed[problem.file] = listed.get(problem.file, 0) + 1
            if n <= per_file:
                shown.append(problem)
            if n == per_file < totals[problem.file]:  # the rest counted after the last listed
                shown.append(_more(problem.file, totals[problem.file] - per_file, per_file))
        return cls(shown, len(merged))

    @property
    def file(self) -> str | None:
        """File of the first problem."""
        return self.problems[0].file if self.problems else None

    @property
    def line(self) -> int | None:
        """Line of the first problem."""
        return self.problems[0].line if self.problems else None

    @property
    def column(self) -> int | None:
        """Column of the first problem."""
        return self.problems[0].column if self.problems else None

    @property
    def path(self) -> str | None:
        """YAML path of the first problem."""
        return self.problems[0].path if self.problems else None

    def __str__(self) -> str:
        count = self.total
        head = f"{count:,} problem{'s' if count != 1 else ''} in scenario"
        return "\n".join([head, *(p.render() for p in self.problems)])


def _merge(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` with those at one place and of one text merged, counted."""
    first: dict[tuple[object, ...], int] = {}
    counts: list[int] = []
    kept: list[Problem] = []
    for problem in problems:
        key = (problem.file, problem.line, problem.column, problem.code, problem.message)
        at = first.setdefault(key, len(kept))
        if at == len(kept):
            kept.append(problem)
            counts.append(1)
        else:
            counts[at] += 1
    for at, count in enumerate(counts):
        if count > 1:
            file = (kept[at].file or "").lower()
            if file.endswith((".xml", ".csv", ".xlsx", ".json")):  # no aliases there
                note = f" ({count:,} times here)"
            else:
                note = f" (the value is used in {count:,} places, through YAML aliases)"
            kept[at] = attrs.evolve(kept[at], message=kept[at].message + note)
    return kept


def _more(file: str | None, count: int, per_file: int) -> Problem:
    """The line that counts the problems of ``file`` not listed."""
    return Problem(
        message=f"and {count:,} more problem{'s' if count != 1 else ''} in this file",
        code="truncated",
        file=file,
        hint=f"only the first {per_file} problems of a file are listed; fix them and load it again",
    )


@attrs.define(auto_exc=True, eq=False)
class MissingDependencyError(CioFrameworkError, ImportError):
    """An optional dependency is needed for this feature.

    Examples
    --------
    >>> print(MissingDependencyError(module="matplotlib", extra="plot"))
    this needs matplotlib: pip install 'cio_framework[plot]'
    """

    module: str
    extra: str

    def __str__(self) -> str:
        return f"this needs {self.module}: pip install 'cio_framework[{self.extra}]'"


@attrs.define(auto_exc=True, eq=False)
class UnknownNameError(CioFrameworkError, LookupError):
    """A name (built-in scenario, check id, element id) is not known.

    Parameters
    ----------
    kind
        What was looked up, such as ``"built-in scenario"``.
    name
        The name asked for.
    known
        The names that exist.
    """

    kind: str
    name: str
    known: tuple[str, ...] = attrs.field(converter=tuple_of, default=())

    def __str__(self) -> str:
        import difflib

        text = f"unknown {self.kind} {self.name!r}"
        if not isinstance(self.name, str):  # a caller's mistake: no name to match
            return text + (f"; known: {', '.join(self.known)}" if self.known else "")
        close = difflib.get_close_matches(self.name, self.known, n=1)
        if close:
            text += f"; did you mean {close[0]!r}?"
        elif self.known:
            text += f"; known: {', '.join(self.known)}"
        return text


@attrs.define(auto_exc=True, eq=False)
class TooLargeError(CioFrameworkError, ValueError):
    """An exact analysis was refused because the landscape is too large.

    Examples
    --------
    >>> print(TooLargeError(nodes=25_000, limit=20_000))
    exact betweenness on 25,000 nodes would take hours (the limit is 20,000): pass sample=K (for example 100) to estimate it, or exact=True to run it anyway
    """

    nodes: int
    limit: int

    def __str__(self) -> str:
        return (
            f"exact betweenness on {self.nodes:,} nodes would take hours (the limit is "
            f"{self.limit:,}): pass sample=K (for example 100) to estimate it, "
            "or exact=True to run it anyway"
        )
