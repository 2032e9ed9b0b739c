"""Deterministic synthetic DTSEN register: a panel of households and persons, 2023–2025.

The register is a panel: the same households age, move between desil, gain or
lose bansos, have births and deaths, and split. Every yearly attribute is
derived from a household's or person's *persistent latent draws* plus its
state that year, so year-to-year changes are gradual, and the whole register is
a pure function of (seed, scale, provinces).

It is generated province by province (generate_chunks): each province has its own
random stream and ids, so memory is bounded by the largest province; the two national
quantities (welfare desil, bansos quotas) are computed between two runs of each
province from its values kept on disk.

Calibration (see calibration.py): consumption per capita reproduces each
province's published poverty rate (urban and rural) and Gini; unemployment
reproduces the province's open unemployment rate (TPT).
"""
from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.calibration import (
    KABUPATEN_SD,
    StratumTarget,
    mu_from_poverty,
    sigma_from_gini,
    gini_of_sorted,
)
from pipeline.national import SortedParts
from pipeline.schema import HOUSEHOLD_COLUMNS, PERSON_COLUMNS

CONSUMPTION_AR = 0.8  # year-to-year correlation of a household's welfare position
HOUSEHOLD_SIZE_P = np.array([0.10, 0.18, 0.22, 0.22, 0.14, 0.08, 0.04, 0.02])  # sizes 1..8

# Coverage of the programmes as a share of households (of eligible ones for PIP / BLT).
BANSOS_COVERAGE = {"pkh": 0.14, "bpnt": 0.25, "pbi_jkn": 0.38, "pip": 0.45, "blt": 0.07}

EDU_LEVELS = np.array(["tidak_sekolah", "sd", "smp", "sma", "diploma", "sarjana"])
EDU_YEARS = np.array([0, 6, 9, 12, 14, 16])


@dataclass
class Register:
    households: pd.DataFrame  # one row per household and year
    persons: pd.DataFrame  # one row per person and year


def log(msg: str) -> None:
    print(f"[generate] {msg}", file=sys.stderr, flush=True)


class Clock:
    """Wall and CPU seconds since it was made, for the log (a shared machine's wall clock alone misleads)."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __str__(self) -> str:
        return f"{time.perf_counter() - self.wall:.1f} s ({time.process_time() - self.cpu:.1f} s CPU)"


class Labels:
    """A text column's closed vocabulary (the schema's), drawn as small integer codes.

    A column is made from codes as a pandas Categorical: no string per row is ever built,
    which in a province of millions of persons was most of the generator's time and memory.
    The register's files hold the text (build.write_register)."""

    def __init__(self, column: str):
        self.names = next(c.allowed for c in PERSON_COLUMNS + HOUSEHOLD_COLUMNS if c.name == column)
        self.code = {name: np.int8(i) for i, name in enumerate(self.names)}

    def __getitem__(self, name: str) -> np.int8:
        return self.code[name]

    def column(self, codes: np.ndarray) -> pd.Categorical:
        """Codes as labels; -1 is missing."""
        return pd.Categorical.from_codes(codes, categories=list(self.names))


JENIS_KELAMIN, HUBUNGAN, STATUS_KAWIN = Labels("jenis_kelamin"), Labels("hubungan"), Labels("status_kawin")
PENDIDIKAN, PARTISIPASI, JKN = Labels("pendidikan_tertinggi"), Labels("partisipasi_sekolah"), Labels("jkn")
STATUS_KERJA, SEKTOR = Labels("status_kerja"), Labels("sektor")


# ---------------------------------------------------------------------------
# Category draws: a persistent uniform per unit, inverse-CDF over probabilities
# that depend on this year's welfare, so a category changes only when welfare does.
# ---------------------------------------------------------------------------
def pick(u: np.ndarray, probs: np.ndarray, labels) -> pd.Categorical:
    probs = probs / probs.sum(axis=1, keepdims=True)
    idx = (np.cumsum(probs, axis=1) < u[:, None]).sum(axis=1)
    return pd.Categorical.from_codes(np.minimum(idx, probs.shape[1] - 1), categories=list(labels))


def softmax_probs(r: np.ndarray, urban: np.ndarray, spec: list[tuple[float, float, float]]) -> np.ndarray:
    """spec: per category (intercept, slope on welfare rank r in [0,1], urban shift)."""
    a = np.array([s[0] for s in spec])
    b = np.array([s[1] for s in spec])
    c = np.array([s[2] for s in spec])
    logits = a[None, :] + r[:, None] * b[None, :] + urban[:, None] * c[None, :]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e


# ---------------------------------------------------------------------------
# Base population
# ---------------------------------------------------------------------------
def allocate_kecamatan(wilayah: pd.DataFrame, scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic persons per kecamatan: each kabupaten's population spread over its kecamatan."""
    kab = wilayah[wilayah.tingkat == "kabupaten_kota"].set_index("kode")
    kec = wilayah[wilayah.tingkat == "kecamatan"][["kode", "kode_induk", "kode_provinsi", "nama"]].copy()
    kec = kec.rename(columns={"kode": "kode_kecamatan", "kode_induk": "kode_kabupaten"})
    kec["weight"] = rng.gamma(4.0, 1.0, len(kec))
    kec["weight"] = kec["weight"] / kec.groupby("kode_kabupaten")["weight"].transform("sum")
    target = kec["kode_kabupaten"].map(kab["penduduk"]).fillna(0) * scale
    kec["n_persons"] = np.maximum(1, np.round(target * kec["weight"])).astype(int)
    is_kota = kec["kode_kabupaten"].map(kab["nama"]).str.startswith("Kota").fillna(False).to_numpy()
    base = np.where(is_kota, 0.93, 0.32)
    base = np.where(kec["kode_provinsi"].eq("31"), 1.0, base)  # DKI Jakarta is wholly urban
    kec["urban_share"] = np.clip(base + rng.normal(0, 0.15, len(kec)) * (base < 1.0), 0.0, 1.0)
    return kec.reset_index(drop=True)


def new_households(kec: pd.DataFrame, rng: np.random.Generator, start_id: int) -> pd.DataFrame:
    n_hh = np.maximum(1, np.round(kec["n_persons"] / 3.8)).astype(int).to_numpy()
    rows = np.repeat(np.arange(len(kec)), n_hh)
    n = len(rows)
    kab_codes = kec["kode_kabupaten"].to_numpy()
    uniq_kab, kab_idx = np.unique(kab_codes, return_inverse=True)
    kab_effect = rng.normal(0, KABUPATEN_SD, len(uniq_kab))
    hh = pd.DataFrame(
        {
            "id_rt": np.arange(start_id, start_id + n, dtype=np.int64),
            "kode_kecamatan": pd.Categorical.from_codes(rows, categories=kec["kode_kecamatan"]),
            "kode_provinsi": pd.Categorical(kec["kode_provinsi"].to_numpy()[rows]),
            "perkotaan": rng.random(n) < kec["urban_share"].to_numpy()[rows],
            "size": rng.choice(np.arange(1, 9), size=n, p=HOUSEHOLD_SIZE_P),
            "kab_effect": kab_effect[kab_idx[rows]],
            "e": rng.normal(0, 1, n),  # welfare position, evolves as an AR(1)
            "nu": rng.normal(0, 0.8, n),  # persistent targeting noise (inclusion/exclusion error)
        }
    )
    for col in ["u_lantai", "u_dinding", "u_atap", "u_air", "u_sanitasi", "u_listrik", "u_milik", "u_luas",
                "u_pkh", "u_bpnt", "u_pbi", "u_pip", "u_blt"]:
        hh[col] = rng.random(n)
    return hh


def new_persons(hh: pd.DataFrame, rng: np.random.Generator, start_id: int) -> pd.DataFrame:
    size = hh["size"].to_numpy()
    hh_idx = np.repeat(np.arange(len(hh)), size)
    pos = np.arange(len(hh_idx)) - np.repeat(np.cumsum(size) - size, size)
    n = len(hh_idx)
    head_age = np.clip(rng.gamma(9.0, 5.0, len(hh)) + 2, 20, 90).astype(int)
    head_male = rng.random(len(hh)) < 0.85
    H = HUBUNGAN
    role = np.where(pos == 0, H["kepala_rt"], H["anak"])
    spouse = (pos == 1) & (rng.random(n) < 0.82)
    role = np.where(spouse, H["pasangan"], role)
    other = (pos >= 2) & (rng.random(n) < 0.10)
    role = np.where(other, np.where(rng.random(n) < 0.5, H["orang_tua"], H["lainnya"]), role)
    h_age = head_age[hh_idx]
    age = np.where(role == H["kepala_rt"], h_age, 0)
    age = np.where(role == H["pasangan"], np.clip(h_age + rng.integers(-8, 4, n), 17, 95), age)
    child_max = np.maximum(h_age - 17, 1)
    age = np.where(role == H["anak"], (rng.random(n) * child_max).astype(int), age)
    age = np.where(role == H["orang_tua"], np.clip(h_age + rng.integers(20, 32, n), 45, 100), age)
    age = np.where(role == H["lainnya"], rng.integers(0, 80, n), age)
    male = np.where(role == H["kepala_rt"], head_male[hh_idx], rng.random(n) < 0.5)
    male = np.where(role == H["pasangan"], ~head_male[hh_idx], male)
    persons = pd.DataFrame(
        {
            "id_art": np.arange(start_id, start_id + n, dtype=np.int64),
            "id_rt": hh["id_rt"].to_numpy()[hh_idx],
            "umur": age.astype(np.int16),
            "jenis_kelamin": JENIS_KELAMIN.column(np.where(male, JENIS_KELAMIN["L"], JENIS_KELAMIN["P"])),
            "hubungan": HUBUNGAN.column(role),
        }
    )
    return add_person_latents(persons, rng)


def add_person_latents(persons: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(persons)
    for col in ["u_kawin", "u_sekolah", "u_edu", "u_huruf", "u_jkn", "u_dis", "u_lf", "u_unemp", "u_sektor", "u_formal"]:
        persons[col] = rng.random(n)
    return persons


# ---------------------------------------------------------------------------
# Yearly attributes
# ---------------------------------------------------------------------------
def household_consumption(hh: pd.DataFrame, targets: dict[tuple[str, int], StratumTarget], tahun: int) -> np.ndarray:
    """Per-capita consumption of each household this year, calibrated to its province's figures.

    Only the province's own households enter, so a province's consumption is the same
    whichever other provinces are generated with it.
    """
    prov = hh["kode_provinsi"].to_numpy()
    urban = hh["perkotaan"].to_numpy()
    mu = np.empty(len(hh))
    sigma_w = np.empty(len(hh))
    for kode in pd.unique(prov):  # hashing, not sorting the codes of every row
        t = targets[(kode, tahun)]
        sigma = sigma_from_gini(t.gini)
        sw = np.sqrt(max(sigma**2 - KABUPATEN_SD**2, 0.05))
        m = prov == kode
        mu[m & urban] = mu_from_poverty(t.poverty_line, t.p0_urban, sigma)
        mu[m & ~urban] = mu_from_poverty(t.poverty_line, t.p0_rural, sigma)
        sigma_w[m] = sw
    log_c = mu + hh["kab_effect"].to_numpy() + sigma_w * hh["e"].to_numpy()
    size = hh["size"].to_numpy()
    for kode in pd.unique(prov):  # hashing, not sorting the codes of every row
        m = prov == kode
        t = targets[(kode, tahun)]
        log_c[m] = calibrate_log_consumption(log_c[m], size[m], t.gini, t.poverty_line, t.p0_total)
    return np.exp(log_c)


# Columns of the household state the bansos targeting reads (kept between the generator's passes).
TARGETING_COLUMNS = ["nu", "perkotaan", "has_student", "u_pkh", "u_bpnt", "u_pbi", "u_pip", "u_blt"]
PROGRAMMES = [("pkh", "u_pkh"), ("bpnt", "u_bpnt"), ("pbi_jkn", "u_pbi"), ("pip", "u_pip"), ("blt", "u_blt")]


def bansos_scores(hh: pd.DataFrame, r: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each programme's proxy-means score and who is eligible: welfare rank r (national, in [0, 1])
    plus persistent noise, so that targeting has realistic inclusion and exclusion error. A
    programme reaches the eligible households whose score is in its national quota (BANSOS_COVERAGE)."""
    score = -_norm_ppf(np.clip(r, 1e-6, 1 - 1e-6)) + hh["nu"].to_numpy()
    out = {}
    for prog, ucol in PROGRAMMES:
        s = score + 0.35 * _norm_ppf(hh[ucol].to_numpy())
        eligible = np.ones(len(hh), dtype=bool)
        if prog == "blt":
            eligible = ~hh["perkotaan"].to_numpy()  # BLT Dana Desa is paid through villages
        if prog == "pip":
            eligible = hh["has_student"].to_numpy() if "has_student" in hh else eligible
        out[prog] = (s, eligible)
    return out


def household_year(hh: pd.DataFrame, konsumsi: np.ndarray, r: np.ndarray, cuts: dict[str, float]) -> pd.DataFrame:
    """Desil, housing and bansos for one year, from the state, this year's consumption, the
    household's national welfare rank r (its running population share, in [0, 1]) and each
    programme's national score cut (see generate_chunks)."""
    urban = hh["perkotaan"].to_numpy()
    out = pd.DataFrame({"id_rt": hh["id_rt"].to_numpy(), "kode_kecamatan": hh["kode_kecamatan"].array})
    out["perkotaan"] = urban
    out["jumlah_anggota"] = hh["size"].to_numpy().astype(np.int16)
    out["konsumsi_per_kapita"] = np.round(konsumsi, 0)

    # National welfare desil: households ranked by per-capita consumption, weighted
    # by household size so that each desil holds a tenth of the population.
    out["desil"] = np.minimum(10, np.floor(r * 10 - 1e-9).astype(int) + 1).astype(np.int16)

    u = urban.astype(float)
    out["lantai"] = pick(hh["u_lantai"].to_numpy(), softmax_probs(r, u, [(0.5, 2.5, 1.0), (1.0, 0.0, 0.0), (0.0, -1.0, -0.8), (-0.6, -3.0, -1.5)]),
                         ["keramik", "semen", "kayu", "tanah"])
    out["dinding"] = pick(hh["u_dinding"].to_numpy(), softmax_probs(r, u, [(1.2, 2.0, 1.0), (0.3, -1.0, -0.5), (-0.8, -2.5, -1.2)]),
                          ["tembok", "kayu", "bambu"])
    out["atap"] = pick(hh["u_atap"].to_numpy(), softmax_probs(r, u, [(1.0, 0.5, 0.3), (0.8, -0.5, -0.2), (0.0, 0.0, 0.3), (-1.5, 2.0, 0.8), (-1.5, -2.0, -1.0)]),
                       ["genteng", "seng", "asbes", "beton", "ijuk_rumbia"])
    out["sumber_air"] = pick(hh["u_air"].to_numpy(), softmax_probs(r, u, [(-0.5, 1.0, 1.2), (0.3, 0.5, 0.3), (0.3, 0.0, -0.3), (-0.5, -1.5, -0.8), (-0.6, -0.5, -1.0), (-0.5, 2.0, 1.0), (-1.5, -2.0, -1.2)]),
                             ["perpipaan", "sumur_bor", "sumur_terlindung", "sumur_tak_terlindung", "mata_air", "air_kemasan", "sungai"])
    out["sanitasi"] = pick(hh["u_sanitasi"].to_numpy(), softmax_probs(r, u, [(-1.6, 1.8, 0.6), (1.2, 1.0, 0.6), (0.0, -1.0, -0.6), (-1.0, -2.5, -1.5)]),
                           ["aman", "layak", "belum_layak", "bab_sembarangan"])
    out["listrik"] = pick(hh["u_listrik"].to_numpy(), softmax_probs(r, u, [(2.5, 1.5, 1.0), (0.3, -1.0, 0.0), (-1.0, -1.0, -1.5), (-2.0, -2.0, -2.0)]),
                          ["pln_meteran", "pln_tanpa_meteran", "non_pln", "tidak_ada"])
    out["status_kepemilikan"] = pick(hh["u_milik"].to_numpy(), softmax_probs(r, u, [(2.0, 0.0, -0.8), (0.0, 0.3, 1.0), (0.0, -0.5, 0.0), (-2.0, 0.8, 0.5), (-2.0, 0.0, 0.0)]),
                                     ["milik_sendiri", "sewa", "bebas_sewa", "dinas", "lainnya"])
    luas = np.exp(np.log(9.0) + 1.1 * r + 0.45 * _norm_ppf(hh["u_luas"].to_numpy())) / np.sqrt(np.maximum(out["jumlah_anggota"].to_numpy(), 1) / 3.0)
    out["luas_lantai_per_kapita"] = np.round(luas, 1)

    for prog, (s, eligible) in bansos_scores(hh, r).items():
        out[prog] = eligible & (s >= cuts[prog])
    out["_r"] = r
    return out


def calibrate_log_consumption(log_c: np.ndarray, size: np.ndarray, gini: float, poverty_line: float, p0_pct: float) -> np.ndarray:
    """Stretch, then shift, one province's log consumption so that the realised
    person-weighted Gini and poverty rate equal the published ones.

    Gini does not change under a shift (a common factor on consumption), so the
    two one-dimensional searches are independent.
    """
    centre = np.average(log_c, weights=size)
    # A stretch keeps the order, so the households are sorted once, not at every step.
    order = np.argsort(log_c)
    sorted_c, sorted_size = log_c[order], size[order]
    lo, hi = 0.2, 4.0
    for _ in range(40):
        lam = (lo + hi) / 2
        if gini_of_sorted(np.exp(centre + lam * (sorted_c - centre)), sorted_size) < gini:
            lo = lam
        else:
            hi = lam
    stretched = centre + (lo + hi) / 2 * (log_c - centre)
    # Shift so that the weighted share of persons below the line is p0: a weighted quantile.
    cum = np.cumsum(size[order]) / size.sum()
    k = min(np.searchsorted(cum, p0_pct / 100.0), len(order) - 1)
    lower = stretched[order[k - 1]] if k > 0 else stretched[order[0]] - 1.0
    upper = stretched[order[k]]
    # Put the line between the last poor and the first non-poor household.
    return stretched + (np.log(poverty_line) - (lower + upper) / 2)


def person_year(persons: pd.DataFrame, hh_year: pd.DataFrame, targets: dict[tuple[str, int], StratumTarget], tahun: int) -> pd.DataFrame:
    """Education, health, work of each person this year, from age, household and latents."""
    hh_pos = pd.Index(hh_year["id_rt"]).get_indexer(persons["id_rt"])
    r = hh_year["_r"].to_numpy()[hh_pos]
    urban = hh_year["perkotaan"].to_numpy()[hh_pos]
    prov_code, provinces = pd.factorize(hh_year["kode_kecamatan"].astype(str).str[:2])  # per household, then a code per person
    prov = prov_code[hh_pos]
    pbi = hh_year["pbi_jkn"].to_numpy()[hh_pos]
    age = persons["umur"].to_numpy().astype(int)
    male = (persons["jenis_kelamin"] == "L").to_numpy()
    n = len(persons)

    out = persons[["id_art", "id_rt", "umur", "jenis_kelamin", "hubungan"]].copy()

    # Marital status: heads and spouses mostly married, the young never.
    married_p = np.where(out["hubungan"].isin(["kepala_rt", "pasangan"]).to_numpy(), 0.88, np.clip((age - 18) / 15, 0, 0.85))
    u = persons["u_kawin"].to_numpy()
    K = STATUS_KAWIN
    kawin = np.where(u < married_p, K["kawin"], K["belum_kawin"])
    kawin = np.where((u >= married_p) & (age >= 45), np.where(u > 0.95, K["cerai_hidup"], K["cerai_mati"]), kawin)
    out["status_kawin"] = K.column(np.where(age < 15, K["belum_kawin"], kawin))

    # School attendance by age band, lower for poor households.
    base = np.select([age < 5, age < 7, age <= 12, age <= 15, age <= 18, age <= 24], [0.0, 0.35, 0.985, 0.93, 0.76, 0.26], 0.005)
    attend_p = np.clip(base * (0.90 + 0.15 * r) + np.where(age > 18, 0.25 * (r - 0.5), 0), 0, 0.999)
    attending = persons["u_sekolah"].to_numpy() < attend_p
    # Highest education: a latent attainment that rises with welfare and falls with age (older cohorts).
    attain = _norm_ppf(persons["u_edu"].to_numpy()) + 1.3 * (r - 0.5) + np.where(urban, 0.35, 0) - np.clip(age - 35, 0, None) * 0.022
    cut = np.array([-1.9, -0.55, 0.05, 1.05, 1.45])
    adult_level = np.searchsorted(cut, attain)
    age_cap = np.select([age < 13, age < 16, age < 19, age < 21], [1, 2, 3, 4], 5)
    in_school_level = np.select([age < 7, age < 13, age < 16, age < 19], [0, 0, 1, 2], 3)
    level = np.where(attending, np.minimum(in_school_level, 5), np.minimum(adult_level, age_cap))
    level = np.where(age < 7, 0, level)
    out["pendidikan_tertinggi"] = PENDIDIKAN.column(np.array([PENDIDIKAN[e] for e in EDU_LEVELS])[level])
    years = EDU_YEARS[level] + np.where(attending & (age >= 7), np.clip(age - 7 - EDU_YEARS[level], 0, 5), 0)
    out["lama_sekolah"] = np.where(age < 7, 0, years).astype(np.int16)
    never = (level == 0) & ~attending & (age >= 7)
    P = PARTISIPASI
    out["partisipasi_sekolah"] = P.column(np.where(attending, P["masih_sekolah"], np.where(never, P["tidak_pernah"], P["tidak_sekolah_lagi"])))
    lit_p = np.where(years >= 6, 0.995, np.where(years > 0, 0.85, 0.35))
    out["melek_huruf"] = np.where(age >= 5, persons["u_huruf"].to_numpy() < lit_p, False)

    # JKN: PBI for members of PBI households; otherwise a contributory member with a welfare gradient.
    nonpbi = persons["u_jkn"].to_numpy() < (0.55 + 0.40 * r)
    out["jkn"] = JKN.column(np.where(pbi, JKN["pbi"], np.where(nonpbi, JKN["non_pbi"], JKN["tidak_punya"])))
    out["disabilitas"] = persons["u_dis"].to_numpy() < (0.012 + 0.10 * np.clip((age - 60) / 30, 0, 1))

    # Labour force: participation by sex, age and school; then unemployment scaled to the province TPT.
    lf_p = np.where(male, 0.86, 0.56) * np.select([age < 15, age < 25, age < 60, age < 70], [0.0, 0.62, 1.0, 0.7], 0.35)
    lf_p = np.where(attending, 0.08 * (age >= 15), lf_p)
    in_lf = persons["u_lf"].to_numpy() < lf_p
    risk = np.where(age < 25, 2.6, 0.75) * np.where(urban, 1.35, 0.85) * (1.2 - 0.4 * r)
    # Exactly the published share of each province's labour force is unemployed: those whose
    # persistent draw is lowest relative to their risk (so the same people tend to stay so).
    unemployed = np.zeros(n, dtype=bool)
    score = persons["u_unemp"].to_numpy() / risk
    for code, kode in enumerate(provinces):
        idx = np.flatnonzero((prov == code) & in_lf)
        n_target = int(round(targets[(kode, tahun)].tpt / 100.0 * len(idx)))
        if n_target:
            unemployed[idx[np.argsort(score[idx], kind="stable")[:n_target]]] = True
    working = in_lf & ~unemployed
    W = STATUS_KERJA
    out["status_kerja"] = W.column(np.where(working, W["bekerja"], np.where(unemployed, W["pengangguran"], W["bukan_angkatan_kerja"])))
    agri_p = np.where(urban, 0.08, 0.52) * (1.3 - 0.6 * r)
    us = persons["u_sektor"].to_numpy()
    S = SEKTOR
    sektor = np.where(us < agri_p, S["pertanian"], np.where(us < agri_p + 0.22, S["industri"], S["jasa"]))
    out["sektor"] = S.column(np.where(working, sektor, -1))  # only the working have a sector
    formal_p = np.where(sektor == S["pertanian"], 0.06, 0.22 + 0.45 * r + np.where(urban, 0.1, 0))
    out["formal"] = pd.array(np.where(working, persons["u_formal"].to_numpy() < formal_p, False), dtype="boolean")
    out.loc[~working, "formal"] = pd.NA
    return out


def _norm_ppf(p: np.ndarray) -> np.ndarray:
    """Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9)."""
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    a = [-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00]
    b = [-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01]
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00]
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00]
    plow, phigh = 0.02425, 1 - 0.02425
    x = np.empty_like(p)
    lo = p < plow
    hi = p > phigh
    mid = ~(lo | hi)
    q = np.sqrt(-2 * np.log(p[lo]))
    x[lo] = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    q = np.sqrt(-2 * np.log(1 - p[hi]))
    x[hi] = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    q = p[mid] - 0.5
    rr = q * q
    x[mid] = (((((a[0] * rr + a[1]) * rr + a[2]) * rr + a[3]) * rr + a[4]) * rr + a[5]) * q / (((((b[0] * rr + b[1]) * rr + b[2]) * rr + b[3]) * rr + b[4]) * rr + 1)
    return x


# ---------------------------------------------------------------------------
# Panel dynamics
# ---------------------------------------------------------------------------
def advance_year(hh: pd.DataFrame, persons: pd.DataFrame, rng: np.random.Generator, next_ids: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One year on: ageing, deaths, births, household splits, welfare moves."""
    persons = persons.copy()
    persons["umur"] = (persons["umur"] + 1).astype(np.int16)
    age = persons["umur"].to_numpy().astype(float)
    death_p = 0.0015 + 0.0006 * np.exp((age - 40) / 11)
    persons = persons[rng.random(len(persons)) >= np.clip(death_p, 0, 0.5)]

    # Births to households with a woman aged 20-40 as head or spouse.
    mothers = persons[(persons["jenis_kelamin"] == "P") & persons["umur"].between(20, 40) & persons["hubungan"].isin(["kepala_rt", "pasangan"])]
    mothers = mothers[rng.random(len(mothers)) < 0.085]
    babies = pd.DataFrame(
        {
            "id_art": np.arange(next_ids["art"], next_ids["art"] + len(mothers), dtype=np.int64),
            "id_rt": mothers["id_rt"].to_numpy(),
            "umur": np.zeros(len(mothers), dtype=np.int16),
            "jenis_kelamin": JENIS_KELAMIN.column(np.where(rng.random(len(mothers)) < 0.51, JENIS_KELAMIN["L"], JENIS_KELAMIN["P"])),
            "hubungan": HUBUNGAN.column(np.full(len(mothers), HUBUNGAN["anak"])),
        }
    )
    next_ids["art"] += len(babies)
    babies = add_person_latents(babies, rng)

    # Splits: an adult child (25+) leaves to form a household of their own.
    leavers = persons[(persons["hubungan"] == "anak") & (persons["umur"] >= 25)]
    leavers = leavers[rng.random(len(leavers)) < 0.06].drop_duplicates("id_rt")
    parent = hh.set_index("id_rt").loc[leavers["id_rt"].to_numpy()].reset_index()
    new_hh = parent.copy()
    new_hh["id_rt"] = np.arange(next_ids["rt"], next_ids["rt"] + len(new_hh), dtype=np.int64)
    next_ids["rt"] += len(new_hh)
    new_hh["e"] = 0.6 * parent["e"].to_numpy() + 0.8 * rng.normal(0, 1, len(new_hh))
    new_hh["nu"] = rng.normal(0, 0.8, len(new_hh))
    for col in [c for c in hh.columns if c.startswith("u_")]:
        new_hh[col] = rng.random(len(new_hh))
    persons = persons.set_index("id_art")
    persons.loc[leavers["id_art"].to_numpy(), "id_rt"] = new_hh["id_rt"].to_numpy()
    persons.loc[leavers["id_art"].to_numpy(), "hubungan"] = "kepala_rt"
    persons = persons.reset_index()
    persons = pd.concat([persons, babies], ignore_index=True)

    hh = pd.concat([hh, new_hh], ignore_index=True)
    sizes = persons.groupby("id_rt").size()
    hh = hh[hh["id_rt"].isin(sizes.index)].copy()  # a household whose members all died is dissolved
    hh["size"] = hh["id_rt"].map(sizes).to_numpy()
    hh["e"] = CONSUMPTION_AR * hh["e"].to_numpy() + np.sqrt(1 - CONSUMPTION_AR**2) * rng.normal(0, 1, len(hh))

    # A household whose head died: the oldest member takes over.
    heads = persons[persons["hubungan"] == "kepala_rt"].groupby("id_rt").size()
    headless = ~persons["id_rt"].isin(heads.index)
    if headless.any():
        oldest = persons[headless].sort_values("umur", ascending=False).drop_duplicates("id_rt")["id_art"]
        persons.loc[persons["id_art"].isin(oldest), "hubungan"] = "kepala_rt"
    return hh.reset_index(drop=True), persons


def mark_students(hh: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """PIP eligibility: households with a member of school age (6-21)."""
    school_age = persons[persons["umur"].between(6, 21)]["id_rt"].unique()
    hh = hh.copy()
    hh["has_student"] = hh["id_rt"].isin(school_age).to_numpy()
    return hh


# ---------------------------------------------------------------------------
# The register, province by province
# ---------------------------------------------------------------------------
# Ids of a province are its code × ID_SPAN plus a running number: unique across provinces
# generated apart, with room for a 1:1 register (West Java: 51 M persons and their births).
ID_SPAN = 10**10


def province_panel(wilayah: pd.DataFrame, kode: str, scale: float, seed: int, years: tuple[int, ...]):
    """Yield (tahun, households, persons) of one province's panel, year by year, before the
    yearly attributes.

    A pure function of (seed, scale, province): the province has its own random stream, and
    no household leaves its kecamatan (a split household stays in its parent's), so a
    province is generated apart from the others, and generating it twice gives it twice.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(kode),)))
    kec = allocate_kecamatan(wilayah[wilayah["kode_provinsi"] == kode], scale, rng)
    base = int(kode) * ID_SPAN
    hh = new_households(kec, rng, start_id=base + 1)
    persons = new_persons(hh, rng, start_id=base + 1)
    next_ids = {"rt": base + len(hh) + 1, "art": base + len(persons) + 1}
    for i, tahun in enumerate(years):
        if i > 0:
            hh, persons = advance_year(hh, persons, rng, next_ids)
        if max(next_ids.values()) >= base + ID_SPAN:
            raise OverflowError(f"provinsi {kode}: id melewati {ID_SPAN:,} per provinsi")
        yield tahun, mark_students(hh, persons), persons


def generate_chunks(wilayah: pd.DataFrame, targets: dict, scale: float, seed: int, years: tuple[int, ...],
                    spill_dir: Path | None = None):
    """Yield (households, persons) of each province and year in turn, so that a caller can
    write and forget them: memory is bounded by the largest province, not the country.

    Two things are national, the welfare desil (a household's rank among all households of
    the year) and each bansos programme's quota, so the provinces are run twice:
      1. each province's panel and consumption; its sorted consumption goes to disk;
      2. per year, each household's national rank from those files, then each programme's
         national score cut (pipeline/national.py);
      3. each province's panel again (the same stream gives the same panel; checked) with its
         ranks and the cuts: the yearly attributes, yielded.
    Files in between live in a temporary folder under spill_dir (about 100 bytes a household-year).
    """
    provinces = sorted(wilayah.loc[wilayah["tingkat"] == "kecamatan", "kode_provinsi"].unique())
    with tempfile.TemporaryDirectory(prefix="generate-", dir=spill_dir) as tmp:
        tmp = Path(tmp)

        def file(what: str, kode: str, tahun: int, ext: str = "npy") -> Path:
            return tmp / f"{what}-{kode}-{tahun}.{ext}"

        welfare = {tahun: SortedParts(tmp, f"konsumsi-{tahun}") for tahun in years}
        clock = Clock()
        for kode in provinces:
            for tahun, hh, persons in province_panel(wilayah, kode, scale, seed, years):
                konsumsi = household_consumption(hh, targets, tahun)
                welfare[tahun].add(kode, konsumsi, hh["size"].to_numpy())
                np.save(file("konsumsi", kode, tahun), konsumsi)
                np.save(file("id_rt", kode, tahun), hh["id_rt"].to_numpy())
                hh[["size"] + TARGETING_COLUMNS].to_parquet(file("sasaran", kode, tahun, "parquet"))
            log(f"provinsi {kode}: {len(hh):,} households, {len(persons):,} persons in {years[-1]} (pass 1: consumption)")
        log(f"pass 1 (panels and consumption): {clock}")

        clock, cuts = Clock(), {}
        for tahun in years:
            scores = {prog: SortedParts(tmp, f"skor-{prog}-{tahun}") for prog, _ in PROGRAMMES}
            for kode in provinces:
                hh = pd.read_parquet(file("sasaran", kode, tahun, "parquet"))
                r = welfare[tahun].rank(kode, np.load(file("konsumsi", kode, tahun)), hh["size"].to_numpy())
                np.save(file("r", kode, tahun), r)
                for prog, (s, eligible) in bansos_scores(hh, r).items():
                    scores[prog].add(kode, s[eligible])
            cuts[tahun] = {prog: parts.quantile(1 - BANSOS_COVERAGE[prog]) for prog, parts in scores.items()}
        log(f"national desil and bansos quotas of {len(years)} years over {len(provinces)} provinces: {clock}")

        clock = Clock()
        for kode in provinces:
            for tahun, hh, persons in province_panel(wilayah, kode, scale, seed, years):
                if not np.array_equal(hh["id_rt"].to_numpy(), np.load(file("id_rt", kode, tahun))):
                    raise AssertionError(f"provinsi {kode} {tahun}: the second run of the panel differs from the first")
                hy = household_year(hh, np.load(file("konsumsi", kode, tahun)), np.load(file("r", kode, tahun)), cuts[tahun])
                py = person_year(persons, hy, targets, tahun)
                hy.insert(0, "tahun", np.int16(tahun))
                py.insert(0, "tahun", np.int16(tahun))
                yield hy.drop(columns=["_r"]), py
            log(f"provinsi {kode}: written")
        log(f"pass 2 (panels again, yearly attributes, written): {clock}")


def generate(wilayah: pd.DataFrame, targets: dict, scale: float, seed: int, years: tuple[int, ...]) -> Register:
    """The whole panel in memory (small scales and tests), ordered by province, then year, with
    text columns as text (as the register's files hold them)."""
    parts = list(generate_chunks(wilayah, targets, scale, seed, years))

    def whole(frames):
        df = pd.concat(frames, ignore_index=True)
        return df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})

    return Register(whole([h for h, _ in parts]), whole([p for _, p in parts]))
