"""Ids that look alike: a skeleton in the manner of Unicode's UTS #39.

Definition
----------
Two ids are *confusable* when they differ but have the same skeleton. The
skeleton of an id is its compatibility normal form (NFKC: fullwidth
``ｅｐｂ`` becomes ``epb``, ``ℯ`` becomes ``e``) in which every Cyrillic,
Greek or Armenian letter that looks like a Latin letter is replaced by that
Latin letter (Cyrillic ``е`` U+0435 becomes ``e``). The table is the part
of Unicode's ``confusables.txt`` that maps letters of those scripts to
single Latin letters; confusions within one script (``l`` and ``1``,
``O`` and ``0``) are left alone, since ids such as ``s1`` and ``sl`` are
written on purpose.

Complexity
----------
O(L) for an id of L characters.

Examples
--------
>>> skeleton("\\u0435pb") == skeleton("epb") == skeleton("\\uff45\\uff50\\uff42")
True
>>> skeleton("epb") == skeleton("epd")
False
"""

from __future__ import annotations

import unicodedata

__all__ = ["skeleton"]

#: For each Latin letter, the Cyrillic, Greek and Armenian letters drawn
#: like it (``python -c "import unicodedata as u; print(u.name('\u0430'))"``
#: names any of them).
_LOOKALIKES = {
    "a": "\u0430\u03b1",  # CYRILLIC SMALL LETTER A, GREEK SMALL LETTER ALPHA
    "c": "\u0441\u03f2",  # CYRILLIC SMALL LETTER ES, GREEK LUNATE SIGMA SYMBOL
    "d": "\u0501",  # CYRILLIC SMALL LETTER KOMI DE
    "e": "\u0435",  # CYRILLIC SMALL LETTER IE
    "g": "\u0581",  # ARMENIAN SMALL LETTER CO
    "h": "\u04bb\u0570",  # CYRILLIC SMALL LETTER SHHA, ARMENIAN SMALL LETTER HO
    "i": "\u0456\u03b9",  # CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, GREEK IOTA
    "j": "\u0458\u03f3",  # CYRILLIC SMALL LETTER JE, GREEK LETTER YOT
    "l": "\u04cf",  # CYRILLIC SMALL LETTER PALOCHKA
    "n": "\u0578",  # ARMENIAN SMALL LETTER VO
    "o": "\u043e\u03bf\u0585",  # CYRILLIC O, GREEK OMICRON, ARMENIAN OH
    "p": "\u0440\u03c1",  # CYRILLIC SMALL LETTER ER, GREEK SMALL LETTER RHO
    "q": "\u051b\u0566",  # CYRILLIC SMALL LETTER QA, ARMENIAN SMALL LETTER ZA
    "s": "\u0455",  # CYRILLIC SMALL LETTER DZE
    "u": "\u057d\u03c5",  # ARMENIAN SMALL LETTER SEH, GREEK SMALL LETTER UPSILON
    "v": "\u03bd",  # GREEK SMALL LETTER NU
    "w": "\u051d",  # CYRILLIC SMALL LETTER WE
    "x": "\u0445\u03c7",  # CYRILLIC SMALL LETTER HA, GREEK SMALL LETTER CHI
    "y": "\u0443\u04af\u03b3",  # CYRILLIC U, CYRILLIC STRAIGHT U, GREEK GAMMA
    "A": "\u0410\u0391",
    "B": "\u0412\u0392",
    "C": "\u0421\u03f9",
    "E": "\u0415\u0395",
    "H": "\u041d\u0397",
    "I": "\u0406\u0399\u04c0",
    "J": "\u0408\u037f",
    "K": "\u041a\u039a",
    "M": "\u041c\u039c",
    "N": "\u039d",
    "O": "\u041e\u039f\u0555",
    "P": "\u0420\u03a1",
    "S": "\u0405\u054f",
    "T": "\u0422\u03a4",
    "U": "\u054d",
    "W": "\u051c",
    "X": "\u0425\u03a7",
    "Y": "\u04ae\u03a5",
    "Z": "\u0396",
}

_TABLE = {ord(letter): latin for latin, letters in _LOOKALIKES.items() for letter in letters}


def skeleton(text: str) -> str:
    """The skeleton of ``text``: what it looks like, as the module defines it."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_TABLE)
