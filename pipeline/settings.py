"""Every knob of a pipeline run in one place: presets, disclosure parameters, paths."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
YEARS = (2023, 2024, 2025)


def reference_dir() -> Path:
    """The folder holding geo/ and reference/ (read in place, never copied)."""
    return Path(os.environ.get("DTSEN_REFERENCE_DIR", REPO_ROOT.parent / "shared")).resolve()


def release_dir() -> Path:
    return Path(os.environ.get("DTSEN_RELEASE_DIR", REPO_ROOT / "data" / "releases")).resolve()


def duckdb_memory_limit() -> str:
    """The build's DuckDB memory cap (DTSEN_DUCKDB_MEMORY, DuckDB's notation: '4GB', '500MB');
    past it DuckDB spills to the work folder."""
    return os.environ.get("DTSEN_DUCKDB_MEMORY", "4GB")


@dataclass(frozen=True)
class DisclosureParams:
    """Primary rules of ARCHITECTURE §6, counted on records (never on weighted estimates)."""

    k: int = 10  # minimum contributing units for a count, a denominator, a numerator and its complement
    k_stat: int = 30  # minimum units for Gini, means and poverty-gap statistics
    p: float = 0.15  # protection level share (used by complementary suppression)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Preset:
    name: str
    scale: float
    provinces: tuple[str, ...] | None  # None = the whole country
    seed: int = 20250101
    years: tuple[int, ...] = YEARS
    corrupt_rate: float = 0.0
    disclosure: DisclosureParams = field(default_factory=DisclosureParams)
    protection: str = "primer"  # "komplementer" adds complementary suppression and the LP audit


PRESETS = {
    # Two provinces at the demo's density (one record per 100 people), fully protected:
    # about a minute, for the test suite.
    "test": Preset("test", scale=0.01, provinces=("34", "75"), protection="komplementer"),
    # The whole country at one synthetic person per 100 real, fully protected: the portal's
    # default release (about 6 minutes on 2 cores; `--protection primer` skips the
    # complementary suppression for a quicker, unsafe-by-differencing build).
    "demo": Preset("demo", scale=0.01, provinces=None, protection="komplementer"),
}
