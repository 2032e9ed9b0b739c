"""The small example extract in tests/data/ekstrak_contoh/: the generator's register written as an
extract would arrive (CSV, the documented columns only), with a descriptor saying it is synthetic.

`python -m pipeline write-example DIR` writes it; the tests build a release from the checked-in copy
through `--input`, exactly as a data officer would from a real one.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.calibration import province_targets
from pipeline.extract import DESCRIPTOR
from pipeline.generate import generate
from pipeline.reference import read_statistik, read_wilayah
from pipeline.schema import TABLES

# One small province (Gorontalo, 77 kecamatan) at one record per 1,000 people, two years:
# about 330 households and 1,160 persons a year, ~330 KB of CSV.
PROVINCES = ("75",)
YEARS = (2024, 2025)
SCALE = 0.001
SEED = 19  # the issue that asked for it


def write_example(folder: Path, reference_dir: Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wilayah = read_wilayah(reference_dir, PROVINCES)
    targets = province_targets(read_statistik(reference_dir), list(PROVINCES), YEARS)
    register = generate(wilayah, targets, SCALE, SEED, YEARS)
    paths = []
    for table, df in (("households", register.households), ("persons", register.persons)):
        columns = [c.name for c in TABLES[table][0]]  # the schema's columns in its order, nothing of the generator's own
        path = folder / f"{table}.csv"
        df[columns].to_csv(path, index=False)
        paths.append(path)
    descriptor = {
        "sintetis": True,
        "keterangan": "Ekstrak contoh: register sintetis dari generator portal, bukan data DTSEN sungguhan.",
        "description": "Example extract: a synthetic register from the portal's generator, not real DTSEN data.",
        "dibuat_dengan": "python -m pipeline write-example",
        "generator": {"provinsi": list(PROVINCES), "tahun": list(YEARS), "skala": SCALE, "seed": SEED},
        "skema": "docs/skema_ekstrak/datapackage.json",
    }
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths + [folder / DESCRIPTOR]
