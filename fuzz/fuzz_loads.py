"""Coverage-guided fuzzing of cio_framework.loads with atheris.

Run for a bounded time (the ``fuzz`` extra installs atheris)::

    cp -r fuzz/seeds /tmp/corpus
    python fuzz/fuzz_loads.py -max_total_time=60 /tmp/corpus

The target feeds arbitrary bytes (and, through them, arbitrary text) to
``cio_framework.loads``; anything but a loaded scenario or a ConfigError is a
crash. Every crash found becomes a regression test in tests/test_hostile.py.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    import cio_framework
    from cio_framework import ConfigError


#: How dumps writes a lone surrogate: as the escape's text.
WRITTEN_SURROGATE = re.compile(r"\\ud[89a-f][0-9a-f]{2}")


def target(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    as_text = provider.ConsumeBool()
    payload = provider.ConsumeUnicodeNoSurrogates(4096) if as_text else provider.ConsumeBytes(4096)
    try:
        scenario = cio_framework.loads(payload)
    except ConfigError as err:
        if not err.problems:
            raise AssertionError("a ConfigError always carries its problems") from err
        return
    text = cio_framework.dumps(scenario)
    again = cio_framework.loads(text)
    assert cio_framework.dumps(again) == text, "what dumps writes must read back the same"
    # a lone surrogate (from a JSON escape) is written as the text \udXXX
    if not WRITTEN_SURROGATE.search(text):
        assert again == scenario, "what loads must round-trip"


def main() -> None:
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
