"""Work in a second process: results and failures come back as if the work ran here."""
from __future__ import annotations

import os

import pytest

from pipeline.disclosure.parallel import in_background


def _pid_and_sum(values):
    return os.getpid(), sum(values)


def _fails(message):
    raise ValueError(message)


def test_background_work_returns_its_result_from_another_process():
    result = in_background(_pid_and_sum, [1, 2, 3])
    pid, total = result()
    assert total == 6
    if (os.cpu_count() or 1) >= 2:
        assert pid != os.getpid()


def test_background_work_raises_its_own_error_here():
    result = in_background(_fails, "no identities")
    with pytest.raises(ValueError, match="no identities"):
        result()
