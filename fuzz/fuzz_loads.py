"""Coverage-guided fuzzing of cio_framework.loads with atheris.

Run for a bounded time (the ``fuzz`` extra installs atheris)::

    cp -r fuzz/seeds /tmp/corpus
    python fuzz/fuzz_loads.py -max_total_time=60 /tmp/corpus

The target feeds arbitrary bytes (and, through them, arbitrary text) to
``cio_framework.loads``; anything but a loaded scenario or a ConfigError is a
crash. Every crash found becomes a regression test in tests/test_hostile.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import cio_framework
    from cio_framework import ConfigError


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
    assert cio_framework.loads(text) == scenario, "what loads must round-trip"


def main() -> None:
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
