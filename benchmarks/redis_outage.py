"""Redis killed or paused under load: what readers and the log see (issue 18). Prints one line per case.

    DTSEN_RELEASE_DIR=<release dir> .venv/bin/python benchmarks/redis_outage.py

The load of tests/test_redis_outage.py: gunicorn (2 workers x 4 threads) with DTSEN_CACHE_TYPE=RedisCache on a
throwaway redis-server, 4 readers for 9 s; Redis killed at 1.5 s and started again empty at 7.5 s, or paused
(kill -STOP) from 1.5 s to 7.5 s. Needs Debian's redis-server (scripts/setup.sh).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.redis_server import RedisServer  # noqa: E402
from tests.test_redis_outage import OUTAGE, load, redis_warnings, serving  # noqa: E402


def case(name: str) -> str:
    folder = Path(tempfile.mkdtemp(prefix="dtsen-redis-outage-"))
    redis_server = RedisServer(folder)
    try:
        with serving(redis_server.url, folder / "gunicorn.log") as base:
            away, back = {"up": (None, None), "killed": (redis_server.kill, redis_server.start),
                          "paused": (redis_server.pause, redis_server.resume)}[name]
            results = load(base, {OUTAGE[0]: away, OUTAGE[1]: back} if away else {})
        text = (folder / "gunicorn.log").read_text()
    finally:
        redis_server.stop()
    seconds = sorted(d for _, d, _ in results)
    during = sum(1 for start, _, _ in results if OUTAGE[0] + 0.5 <= start < OUTAGE[1])
    not_ok = sum(1 for _, _, status in results if status != 200)
    return (f"{name:7} requests {len(results):4}  started while away {during:4}  p50 {seconds[len(seconds) // 2]:.2f} s  "
            f"slowest {seconds[-1]:.2f} s  not 200: {not_ok}  redis warnings {len(redis_warnings(folder / 'gunicorn.log'))}  "
            f"tracebacks {text.count('Traceback')}")


if __name__ == "__main__":
    if "DTSEN_RELEASE_DIR" not in os.environ:
        sys.exit("set DTSEN_RELEASE_DIR to a release folder (e.g. data/releases)")
    print(f"{os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name in ("up", "killed", "paused"):
        print(case(name), flush=True)
