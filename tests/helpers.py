"""Small helpers shared by tests."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def release_dir() -> Path:
    return Path(os.environ["DTSEN_RELEASE_DIR"])


def current_release() -> Path:
    return (release_dir() / "current").resolve()


def public_cells() -> pd.DataFrame:
    return pd.read_parquet(current_release() / "indicators.parquet")
