"""pytest plugin of the mutation runs (tools/mutation.py loads it with ``-p``).

Not used by the ordinary test runs. It

* registers the Hypothesis profile ``mutation``: derandomized (the same
  examples in every run, and so no example database), with
  ``CIO_MUTATION_EXAMPLES`` examples per property test (20 unless set),
  and no shrinking: a mutant is killed by the first failing example, and
  shrinking it (building scenario after scenario) took longer than the
  mutant's time limit, which made killed mutants count as timeouts and the
  run several times slower;
* empties the fast path cache of ``cio_framework.config._fast`` before each
  test. The cache lives as long as the process, so without this only the
  first test that loads a class would run ``_compile`` and its helpers: the
  traced run would give those functions one test each, and a mutant of them
  would be checked against code compiled before it was switched on.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "mutation",
    deadline=None,
    derandomize=True,
    max_examples=int(os.environ.get("CIO_MUTATION_EXAMPLES", "20")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
    print_blob=False,
)


@pytest.fixture(autouse=True)
def _fresh_fast_paths() -> None:
    from cio_framework.config import _fast

    _fast._CACHE.clear()
