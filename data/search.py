"""Search over regions (7,837 names) and indicators: tolerant of typos, abbreviations and
missing spaces ("kab bandung", "jawa tmur", "kabbandung", "kemiskinan").

Scoring is rapidfuzz's (a well-kept C++ library) over normalised names, then a
small, explicit re-ranking: a whole-name or prefix match beats a fuzzy one, and
between equal matches a province comes before a kabupaten/kota, which comes
before a kecamatan (people type the larger place more often), then the larger
population. Pure: built from a region table and a catalogue, no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

# Words people abbreviate, and the common province nicknames.
ABBREVIATIONS = {
    "kab": "kabupaten", "kab.": "kabupaten", "kec": "kecamatan", "kec.": "kecamatan", "prov": "provinsi",
    "prop": "provinsi", "kep": "kepulauan", "kep.": "kepulauan", "kepl": "kepulauan",
    "jabar": "jawa barat", "jateng": "jawa tengah", "jatim": "jawa timur", "diy": "daerah istimewa yogyakarta",
    "jogja": "yogyakarta", "jogjakarta": "yogyakarta", "dki": "dki jakarta", "ntt": "nusa tenggara timur",
    "ntb": "nusa tenggara barat", "sumut": "sumatera utara", "sumbar": "sumatera barat", "sumsel": "sumatera selatan",
    "kalbar": "kalimantan barat", "kalteng": "kalimantan tengah", "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur", "kaltara": "kalimantan utara", "sulut": "sulawesi utara", "sulteng": "sulawesi tengah",
    "sulsel": "sulawesi selatan", "sultra": "sulawesi tenggara", "sulbar": "sulawesi barat", "babel": "kepulauan bangka belitung",
    "kepri": "kepulauan riau", "malut": "maluku utara", "pabar": "papua barat",
}
LEVEL_RANK = {"provinsi": 0, "kabupaten_kota": 1, "kecamatan": 2, "indikator": 0}
LEVEL_LABEL = {"provinsi": "Provinsi", "kabupaten_kota": "Kabupaten/kota", "kecamatan": "Kecamatan", "indikator": "Indikator"}
MAX_QUERY = 100


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, abbreviations written out."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9.]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(w, w.strip(".")) for w in words if w.strip("."))


def squash(text: str) -> str:
    return text.replace(" ", "")


@dataclass(frozen=True)
class Hit:
    kind: str  # provinsi | kabupaten_kota | kecamatan | indikator
    key: str  # region code or indicator id
    label: str
    context: str  # parents of a region, the domain of an indicator
    href: str
    score: float

    @property
    def kind_label(self) -> str:
        return LEVEL_LABEL[self.kind]


class SearchIndex:
    def __init__(self, regions: pd.DataFrame, indicators: list[tuple[str, str, str]]):
        """regions: kode, nama, tingkat, kode_induk, penduduk; indicators: (id, name, domain name)."""
        names = regions.set_index("kode")["nama"].to_dict()
        rows = []
        for r in regions.itertuples(index=False):
            parents = []
            parent = r.kode_induk if isinstance(r.kode_induk, str) else None
            while parent:
                parents.append(names.get(parent, parent))
                parent = parent.rsplit(".", 1)[0] if "." in parent else None
            pop = float(r.penduduk) if pd.notna(r.penduduk) else 0.0
            rows.append((r.tingkat, r.kode, r.nama, ", ".join(parents), f"/wilayah/{r.kode}", normalise(r.nama), pop))
        for ind_id, name, domain in indicators:
            rows.append(("indikator", ind_id, name, domain, f"/indikator/{ind_id}", normalise(f"{name} {domain} {ind_id.replace('_', ' ')}"), 0.0))
        self.kind = [r[0] for r in rows]
        self.key = [r[1] for r in rows]
        self.label = [r[2] for r in rows]
        self.context = [r[3] for r in rows]
        self.href = [r[4] for r in rows]
        self.norm = [r[5] for r in rows]
        # A kabupaten is also findable without its "kabupaten"/"kota" word ("bandung").
        self.bare = [re.sub(r"^(kabupaten|kota|provinsi) ", "", n) for n in self.norm]
        self.squashed = [squash(n) for n in self.norm]
        self.length = np.array([len(n) for n in self.norm])
        self.level = np.array([LEVEL_RANK[k] for k in self.kind])
        self.pop = np.array([r[6] for r in rows])

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        q = normalise(query)[:MAX_QUERY]
        if len(squash(q)) < 2:
            return []
        qs = squash(q)
        # "kabbandung": the abbreviation glued to the name is written out too.
        q_alt = re.sub(r"^(kab|kec|prov)(?!upaten|amatan|insi)", lambda m: ABBREVIATIONS[m.group(1)], qs)
        # Three views of each name; the best counts. WRatio handles typos and word order,
        # the squashed view missing spaces, the bare view a kabupaten typed without "kab".
        cut = dict(workers=1, score_cutoff=60)
        s_full = process.cdist([q], self.norm, scorer=fuzz.WRatio, **cut)[0].astype(float)
        # WRatio scores a short name found inside a long query (e.g. "Gu" in "pengangguran")
        # as a partial match: for names much shorter than the query only whole-name views count.
        s_full[self.length < 0.6 * len(q)] = 0
        s_bare = process.cdist([q], self.bare, scorer=fuzz.ratio, **cut)[0]
        s_sq = process.cdist([qs, q_alt], self.squashed, scorer=fuzz.ratio, **cut).max(axis=0)
        score = np.maximum.reduce([s_full, s_bare, s_sq]).astype(float)
        exact = np.array([n == q or b == q for n, b in zip(self.norm, self.bare)])
        prefix = np.array([n.startswith(q) or b.startswith(q) for n, b in zip(self.norm, self.bare)]) if len(q) >= 3 else np.zeros(len(score), bool)
        padded = f" {q} "
        word = np.array([padded in f" {n} " for n in self.norm])  # the query as whole words ("tpt", "gini")
        score = np.where(word, np.maximum(score, 95), score) + 20 * exact + 8 * prefix
        # Far weaker than the best hit is noise ("kab nduga" for "kab bandung").
        keep = np.flatnonzero(score >= max(70.0, score.max() - 35))
        if not len(keep):
            return []
        # Best score first; among near-equal scores larger places first.
        order = np.lexsort((-self.pop[keep], self.level[keep], -np.round(score[keep] / 3)))
        return [Hit(self.kind[i], self.key[i], self.label[i], self.context[i], self.href[i], float(score[i])) for i in keep[order][:limit]]
