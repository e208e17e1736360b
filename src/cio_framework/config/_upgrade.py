"""Rewriting scenario files to the current format version.

Version 2 of the format adds nested jurisdictions and changes nothing else:
a version-1 file is a version-2 file without them. Upgrading a file is
therefore rewriting the number after ``cio_framework:``, in place in the
text, so that every comment, key order, quoting style and line break the
author wrote stays as it was. :func:`upgrade_text` does that for one text;
the command ``cio-framework upgrade`` for a file or a folder, checking that
the upgraded scenario equals the original before it writes anything.

Complexity
----------
O(n) in the length of the text: one composition of its node tree.

Examples
--------
>>> print(upgrade_text("# the pilot\\ncio_framework: 1   # format\\nname: Pilot\\n"), end="")
# the pilot
cio_framework: 2   # format
name: Pilot
"""

from __future__ import annotations

import yaml

from ..model import FORMAT_VERSION
from ._yaml import _SKIP, JsonText, NotJson, _Loader

__all__ = ["upgrade_text"]

#: The key that holds a file's format version.
VERSION_KEY = "cio_framework"
_NO_VERSION = f"the text has no top-level '{VERSION_KEY}: <number>' to upgrade"


def upgrade_text(text: str) -> str:
    """``text`` with its format version set to
    :data:`~cio_framework.model.FORMAT_VERSION`.

    Only the version number's characters change. A text already at the
    current version comes back unchanged.

    Parameters
    ----------
    text
        A scenario file's text that loads (its version key is a top-level
        key holding a whole number).

    Raises
    ------
    ValueError
        When the text has no top-level ``cio_framework`` key holding a
        plain number.
    """
    span = _json_version_span(text)
    if span is None:
        span = _yaml_version_span(text)
    start, end = span
    if text[start:end] == str(FORMAT_VERSION):
        return text
    return text[:start] + str(FORMAT_VERSION) + text[end:]


def _json_version_span(text: str) -> tuple[int, int] | None:
    """Where the version number is in a JSON text, as ``(start, end)``
    offsets; ``None`` when the text is not one JSON document (the loader
    reads such a text as YAML, and so does :func:`_yaml_version_span`).

    A JSON text is read as JSON, as the loader reads it: the same
    characters can mean otherwise in YAML (a U+2028 in a string is a line
    break there).
    """
    try:
        doc = JsonText(text)
    except NotJson:
        return None
    start = doc.offset((VERSION_KEY,))
    if start == doc.root:  # no such key: the offset stays at the object
        raise ValueError(_NO_VERSION)
    end = _SKIP(text, start)[1]
    if not text[start:end].isdigit():
        raise ValueError(_NO_VERSION)
    return start, end


def _yaml_version_span(text: str) -> tuple[int, int]:
    """Where the version number is in a YAML text, as ``(start, end)`` offsets."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    value = None
    if isinstance(root, yaml.MappingNode):
        for key, found in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == VERSION_KEY:
                value = found
                break
    # plain (style "" or None), or a quoted number tagged as one
    if not isinstance(value, yaml.ScalarNode) or (value.style and not _quoted_int(value)):
        raise ValueError(_NO_VERSION)
    # PyYAML's reader drops a leading byte-order mark before it counts
    skipped = 1 if text.startswith("\ufeff") else 0
    start, end = value.start_mark.index + skipped, value.end_mark.index + skipped
    # the node starts at its tag or anchor (``!!int 1``, ``&v 1``): the
    # number is the last word; an anchor's aliases would change with it
    properties = text[start:end].split()[:-1]
    if any(word.startswith("&") for word in properties):
        raise ValueError(
            f"the version number carries an anchor ({text[start:end]}); aliases of it "
            "would change with it: write the number without the anchor, then upgrade"
        )
    number = text[start:end].split()[-1]
    if value.style:  # the digits inside the quotes of ``!!int "1"``
        return end - len(number) + 1, end - 1
    return end - len(number), end


def _quoted_int(node: yaml.ScalarNode) -> bool:
    """Whether ``node`` is a quoted number tagged as one (``!!int "1"``), the
    quotes holding nothing but its digits."""
    return node.tag == "tag:yaml.org,2002:int" and node.value.isdigit() and node.value.isascii()
