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

import attrs

from ._util import tuple_of

__all__ = [
    "CioFrameworkError",
    "ConfigError",
    "MissingDependencyError",
    "Problem",
    "Severity",
    "TooLargeError",
    "UnknownNameError",
]


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


@attrs.frozen(kw_only=True)
class Problem:
    """One located problem in a scenario file.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    code
        A stable identifier of the kind of problem, such as ``unknown-key``,
        ``duplicate-key``, ``duplicate-id``, ``dangling-reference``,
        ``wrong-type``, ``bad-value``, ``missing-field``, ``syntax``,
        ``version``, ``encoding``, ``unsafe-tag``, ``conflict`` or ``io``.
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
        The text of the offending line, shown with a caret by :meth:`render`.
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

    message: str
    code: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = "$"
    hint: str | None = None
    expected: str | None = None
    got: str | None = None
    source_line: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        """``file:line:column`` (parts that are unknown are left out)."""
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def render(self) -> str:
        """The one-line form followed by the source line and a caret.

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
            text += f"\n    {self.source_line}\n    {' ' * (self.column - 1)}^"
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
        All problems, in file and line order.

    Notes
    -----
    ``str()`` shows each problem with its source line and a caret. The first
    problem's position is also available as :attr:`file`, :attr:`line`,
    :attr:`column` and :attr:`path`.
    """

    problems: tuple[Problem, ...] = attrs.field(converter=tuple_of)

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
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in scenario"
        return "\n".join([head, *(p.render() for p in self.problems)])


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
