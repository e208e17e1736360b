"""The JSON documents the library writes: their kinds, versions and schemas.

Definition
----------
Every JSON document the command line prints (and the ``to_dict()`` of the
result it prints, which is the same document) starts with two keys:
``kind`` names what it is (``"islands"``, ``"priorities"`` ...) and
``version`` the version of that kind's format, a whole number. The JSON
Schema (draft 2020-12) of each kind ships with the package and is what
``cio-framework schema KIND`` prints. A scenario file is the one document
without these keys: its version key, ``cio_framework``, says both (see
:func:`~cio_framework.config.json_schema`).

The version of a kind changes when a key is removed or renamed, when a
value changes its type or meaning, or when a key that was always present
may be missing. Adding a key does not change it: a reader ignores the keys
it does not know, and the published schemas allow them (the tests check
every document against the schemas closed to unknown keys, so that no key
is added without its schema).

Complexity
----------
:func:`document` is O(1) on top of building the body; :func:`output_schema`
reads one small file.

Examples
--------
>>> document("islands", {"groups": []})
{'kind': 'islands', 'version': 1, 'groups': []}
>>> output_schema("islands")["properties"]["kind"]
{'const': 'islands'}
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .exceptions import UnknownNameError

__all__ = ["OUTPUT_KINDS", "document", "output_schema"]

#: Each kind of JSON document and the version of its format.
OUTPUT_KINDS: dict[str, int] = {
    "agenda": 1,
    "brokers": 1,
    "candidates": 1,
    "checks": 1,
    "comparison": 1,
    "diff": 1,
    "graph": 1,
    "islands": 1,
    "priorities": 1,
    "report": 1,
    "roadmap": 1,
    "validation": 1,
    "whatif": 1,
}


def document(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` as a document of ``kind``: ``kind`` and ``version`` first.

    Raises
    ------
    KeyError
        When ``kind`` is not one of :data:`OUTPUT_KINDS`.
    """
    return {"kind": kind, "version": OUTPUT_KINDS[kind], **body}


def output_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the documents of ``kind``.

    Raises
    ------
    UnknownNameError
        When ``kind`` is not one of :data:`OUTPUT_KINDS` (a
        :class:`LookupError`, naming the nearest kind).

    Examples
    --------
    >>> output_schema("islands")["properties"]["kind"]
    {'const': 'islands'}
    >>> output_schema("island")
    Traceback (most recent call last):
    ...
    cio_framework.exceptions.UnknownNameError: unknown output kind 'island'; did you mean 'islands'?
    """
    if kind not in OUTPUT_KINDS:
        raise UnknownNameError(kind="output kind", name=kind, known=sorted(OUTPUT_KINDS))
    text = resources.files("cio_framework").joinpath(f"schemas/{kind}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
