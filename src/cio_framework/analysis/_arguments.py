"""Checks of the arguments of the analyses, with the command line's words.

The command line refuses a bad ``--budget`` or ``--top`` before it calls
the library; a notebook calls the library directly, so the analyses check
the same things themselves and raise :class:`TypeError` or
:class:`ValueError` instead of computing on nonsense (a budget of NaN
refuses nothing; a negative one, everything).
"""

from __future__ import annotations

import math
import numbers

__all__ = ["check_roadmap_arguments"]


def check_roadmap_arguments(budget: object, limit: object) -> None:
    """Raise unless ``budget`` is ``None`` or a finite number of 0 or more,
    and ``limit`` is ``None`` or a whole number of 0 or more.

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
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, numbers.Integral):
            raise TypeError(f"limit must be a whole number, not {_shown(limit)}")
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit!r}")


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} ({text})"
