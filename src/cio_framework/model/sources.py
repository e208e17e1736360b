"""Sources: the documents a scenario's facts come from.

A scenario lists its sources once, each with an id; an element cites them in
its ``source`` text, ``"<source id> <locator>"`` (``"article ¶12"``), several
citations joined by ``;``. An element is *sourced*, *inferred* or
*illustrative* (:class:`~cio_framework.model.EvidenceStatus`), and every
finding of the analyses carries the grade of the elements it rests on.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ._base import Element, checked, meta, own_fields_first

__all__ = ["Source"]


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Source(Element):
    """A document the scenario's facts come from.

    Parameters
    ----------
    id
        What elements cite it by, the first word of their ``source``.
    title
        Title, in the source's own language.
    publisher
        Who published it (a newspaper, a ministry, a standards body).
    date
        Date of publication, when known to the day.
    year
        Year of publication, when only the year is known.
    url
        Where it can be read.
    language
        Language of the text cited, as a BCP 47 tag (``zh``, ``en``).
    locator
        How places in it are cited, e.g. ``"¶N: the N-th paragraph"``.
    translation_of
        Id of the source this one translates.

    Examples
    --------
    >>> Source(id="article", title="Pudong's CIO pilot", language="en",
    ...        translation_of="liaowang-2016").translation_of
    'liaowang-2016'
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id, cited first in a source.", is_id=True)
    )
    title: str = attrs.field(metadata=meta(doc="Title."))
    publisher: str | None = attrs.field(default=None, metadata=meta(doc="Who published it."))
    date: dt.date | None = attrs.field(
        default=None, metadata=meta(doc="Date of publication (YYYY-MM-DD).")
    )
    year: int | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(
            doc="Year of publication, when only the year is known.", minimum=1, maximum=9999
        ),
    )
    url: str | None = attrs.field(default=None, metadata=meta(doc="Where it can be read."))
    language: str | None = attrs.field(
        default=None, metadata=meta(doc="Language of the text cited (BCP 47, e.g. zh, en).")
    )
    locator: str | None = attrs.field(
        default=None, metadata=meta(doc="How places in it are cited, e.g. '¶N: N-th paragraph'.")
    )
    translation_of: str | None = attrs.field(
        default=None, metadata=meta(doc="Id of the source this one translates.", ref="sources")
    )
