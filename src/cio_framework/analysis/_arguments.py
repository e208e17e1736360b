"""Checks of the arguments of the analyses, with the command line's words.

The command line refuses a bad ``--budget``, ``--limit`` or ``--top`` before it calls
the library; a notebook calls the library directly, so the analyses check
the same things themselves and raise :class:`TypeError` or
:class:`ValueError` instead of computing on nonsense (a budget of NaN
refuses nothing; a negative one, everything).
"""

from __future__ import annotations

import math
import numbers

from ..model.landscape import MAX_AMOUNT

__all__ = ["check_count", "check_roadmap_arguments"]


def check_roadmap_arguments(budget: object, limit: object) -> None:
    """Raise unless ``budget`` is ``None`` or a number from 0 to 2**53 (the
    bound of a scenario's own budget), and ``limit`` is ``None`` or a whole
    number of 0 or more.

    Booleans and text are refused, though Python counts ``True`` as 1.

    Examples
    --------
    >>> check_roadmap_arguments(2.5, None)
    >>> check_roadmap_arguments(float("nan"), None)
    Traceback (most recent call last):
    ...
    ValueError: budget must be a finite number, 0 or more, not nan
    >>> check_roadmap_arguments("3", None)
    Traceback (most recent call last):
    ...
    TypeError: budget must be a number, not str ('3')
    >>> check_roadmap_arguments(None, 1.5)
    Traceback (most recent call last):
    ...
    TypeError: limit must be a whole number, not float (1.5)
    """
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
            raise TypeError(f"budget must be a number, not {_shown(budget)}")
        if not math.isfinite(budget) or budget < 0:
            raise ValueError(f"budget must be a finite number, 0 or more, not {budget!r}")
        if float(budget) > MAX_AMOUNT:  # as a scenario's own budget is bounded
            raise ValueError(f"budget must be at most 2**53 ({MAX_AMOUNT:,.0f}), not {budget!r}")
    check_count("limit", limit)


def check_count(name: str, value: object) -> None:
    """Raise unless ``value`` is ``None`` or a whole number of 0 or more.

    Examples
    --------
    >>> check_count("top", 3)
    >>> check_count("top", -1)
    Traceback (most recent call last):
    ...
    ValueError: top must be 0 or more, not -1
    >>> check_count("top", True)
    Traceback (most recent call last):
    ...
    TypeError: top must be a whole number, not bool (True)
    """
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, not {_shown(value)}")
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value!r}")


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} ({text})"
