"""Search over regions (7,837 names) and indicators: tolerant of typos, abbreviations and
missing spaces ("kab bandung", "jawa tmur", "kabbandung", "kemiskinan").

A region code as the site shows it ("32.05", or "3205") finds that region; a query
naming a topic and a place ("kemiskinan garut") leads first to that indicator's map
in that place. Scoring is rapidfuzz's (a well-kept C++ library) over normalised names, then a
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

from data.catalog import N_

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
# Everyday words for the headline indicator of a topic ("kemiskinan garut", "pengangguran jawa timur").
TOPICS = {
    "kemiskinan": "persen_penduduk_miskin", "miskin": "persen_penduduk_miskin", "penduduk miskin": "persen_penduduk_miskin",
    "pengangguran": "tpt", "menganggur": "tpt", "ketimpangan": "gini", "gini": "gini", "penduduk": "jumlah_penduduk",
    "bansos": "cakupan_bansos_apa_pun", "bantuan sosial": "cakupan_bansos_apa_pun", "sekolah": "persen_anak_tidak_sekolah",
    "putus sekolah": "persen_anak_tidak_sekolah", "jkn": "cakupan_jkn", "bpjs": "cakupan_jkn", "sanitasi": "persen_rt_sanitasi_layak",
    "air minum": "persen_rt_air_minum_layak", "listrik": "persen_rt_listrik_pln", "rumah layak": "persen_rt_hunian_layak",
    # The same topics in English ("poverty garut", "unemployment east java" finds the indicator, the place by its name).
    "poverty": "persen_penduduk_miskin", "poor": "persen_penduduk_miskin", "unemployment": "tpt", "unemployed": "tpt",
    "inequality": "gini", "population": "jumlah_penduduk", "social assistance": "cakupan_bansos_apa_pun",
    "school": "persen_anak_tidak_sekolah", "out of school": "persen_anak_tidak_sekolah", "health insurance": "cakupan_jkn",
    "sanitation": "persen_rt_sanitasi_layak", "drinking water": "persen_rt_air_minum_layak", "electricity": "persen_rt_listrik_pln",
    "housing": "persen_rt_hunian_layak",
}
LEVEL_RANK = {"provinsi": 0, "kabupaten_kota": 1, "kecamatan": 2, "indikator": 0, "tampilan": 0}
LEVEL_LABEL = {"provinsi": N_("Provinsi"), "kabupaten_kota": N_("Kabupaten/kota"), "kecamatan": N_("Kecamatan"), "indikator": N_("Indikator"),
               "tampilan": N_("Indikator di wilayah")}  # translated where shown
CHILD_LEVEL = {"provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan", "kecamatan": "kecamatan"}
CODE = re.compile(r"^\d{2}(?:\.?\d{2}(?:\.?\d{2,3})?)?$")
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
    label_en: str = ""  # an indicator's English name (the catalogue's nama_en), "" for a region
    context_marked: bool = False  # the context is a marked message (a domain or level name), translated where shown

    @property
    def kind_label(self) -> str:
        return LEVEL_LABEL[self.kind]


class SearchIndex:
    def __init__(self, regions: pd.DataFrame, indicators: list[tuple]):
        """regions: kode, nama, tingkat, kode_induk, penduduk; indicators: (id, name, domain name[, levels[, English name]]).
        An indicator is found by its Indonesian or its English name."""
        self.by_code = {}  # '32.05' and '3205' → row; a code shown on the site finds its region
        self.levels = {i[0]: (list(i[3]) if len(i) > 3 and i[3] is not None else None) for i in indicators}
        english = {i[0]: i[4] for i in indicators if len(i) > 4 and i[4]}
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
        for n, r in enumerate(rows):
            self.by_code[r[1]] = n
            self.by_code[r[1].replace(".", "")] = n
        for ind_id, name, domain, *_ in indicators:
            rows.append(("indikator", ind_id, name, domain, f"/indikator/{ind_id}", normalise(f"{name} {domain} {ind_id.replace('_', ' ')}"), 0.0))
        self.label_en = [english.get(r[1], "") if r[0] == "indikator" else "" for r in rows]
        # The English name is a second view of an indicator's name (empty for a region: it scores nothing).
        self.norm_en = [normalise(f"{e} {r[1].replace('_', ' ')}") if e else "" for r, e in zip(rows, self.label_en)]
        self.length_en = np.array([len(n) for n in self.norm_en])
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

    def _hit(self, i: int, score: float) -> Hit:
        return Hit(self.kind[i], self.key[i], self.label[i], self.context[i], self.href[i], float(score), self.label_en[i],
                   self.kind[i] == "indikator")

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Best first: a region by its code; an indicator *in* a region when the query names both
        ("kemiskinan garut"); then regions and indicators by name."""
        raw = str(query).strip()
        if CODE.match(raw) and raw in self.by_code:
            return [self._hit(self.by_code[raw], 200.0)]
        q = normalise(query)[:MAX_QUERY]
        if len(squash(q)) < 2:
            return []
        score = self._scores(q)
        both = self._indicator_in_region(q)
        keep = np.flatnonzero(score >= max(70.0, score.max() - 35)) if score.max() > 0 else np.array([], dtype=int)
        # Best score first; among near-equal scores larger places first.
        order = np.lexsort((-self.pop[keep], self.level[keep], -np.round(score[keep] / 3))) if len(keep) else keep
        ranked = keep[order]
        if both:
            view, ind_i, reg_i, place = both
            # The rest must match the place as well as the region found does: "pengangguran jawa
            # timur" is not about Aceh's "… Timur" kecamatan, which only share a word with it.
            place_scores = self._scores(place)
            ranked = [i for i in ranked if self.kind[i] == "indikator" or place_scores[i] >= place_scores[reg_i] - 5]
        hits = [self._hit(i, score[i]) for i in ranked]
        if both:
            # The pair first, then the region and the indicator themselves, then the rest.
            firsts = [view, self._hit(reg_i, 150.0), self._hit(ind_i, 150.0)]
            seen = {(h.kind, h.key) for h in firsts}
            hits = firsts + [h for h in hits if (h.kind, h.key) not in seen]
        return hits[:limit]

    def _indicator_in_region(self, q: str):
        """(the indicator's map inside the region, indicator row, region row, the place words) when one part of the
        query is a topic or an indicator and the rest a region, both matched well; else None."""
        words = q.split()
        best = None
        for cut in range(1, len(words)):
            for topic, place in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
                ind_i, ind_score = self._best_indicator(" ".join(topic))
                if ind_i is None:
                    continue
                place_scores = self._scores(" ".join(place))
                regions = np.flatnonzero(np.array(self.kind) != "indikator")
                if not len(regions):
                    continue
                top = place_scores[regions].max()
                tied = regions[place_scores[regions] >= top - 2]
                reg_i = int(tied[np.lexsort((-self.pop[tied], self.level[tied]))][0])
                total = min(ind_score, place_scores[reg_i])
                if total >= 90 and (best is None or total > best[0]):
                    best = (total, ind_i, reg_i, " ".join(place))
        if best is None:
            return None
        _, ind_i, reg_i, place = best
        ind_id, kode, tingkat = self.key[ind_i], self.key[reg_i], self.kind[reg_i]
        level = CHILD_LEVEL[tingkat]
        levels = self.levels.get(ind_id)
        if levels is not None and level not in levels:
            level = tingkat if tingkat in levels else (levels[-1] if levels else tingkat)
        induk = kode if level != tingkat else (kode.rsplit(".", 1)[0] if "." in kode else "")
        href = f"/peta?indikator={ind_id}&tingkat={level}" + (f"&induk={induk}" if induk else "")
        label_en = f"{self.label_en[ind_i]} — {self.label[reg_i]}" if self.label_en[ind_i] else ""
        view = Hit("tampilan", f"{ind_id}@{kode}", f"{self.label[ind_i]} — {self.label[reg_i]}", self.context[reg_i] or LEVEL_LABEL[tingkat], href, 180.0,
                   label_en, not self.context[reg_i])
        return view, ind_i, reg_i, place

    def _best_indicator(self, text: str):
        """The indicator a topic word names (TOPICS), or the best-scoring indicator name."""
        inds = np.flatnonzero(np.array(self.kind) == "indikator")
        if text in TOPICS and TOPICS[text] in self.key:
            return self.key.index(TOPICS[text]), 120.0
        if not len(inds) or len(text) < 3:
            return None, 0.0
        s = self._scores(text)[inds]
        if s.max() < 95:
            return None, 0.0
        return int(inds[int(np.argmax(s))]), float(s.max())

    def _scores(self, q: str) -> np.ndarray:
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
        # An indicator's English name is a fourth view ("poverty", "unemployment"); a region has none.
        s_en = process.cdist([q], self.norm_en, scorer=fuzz.WRatio, **cut)[0].astype(float)
        s_en[self.length_en < 0.6 * len(q)] = 0
        score = np.maximum.reduce([s_full, s_bare, s_sq, s_en]).astype(float)
        exact = np.array([n == q or b == q or e == q for n, b, e in zip(self.norm, self.bare, self.norm_en)])
        prefix = (np.array([n.startswith(q) or b.startswith(q) or (bool(e) and e.startswith(q)) for n, b, e in zip(self.norm, self.bare, self.norm_en)])
                  if len(q) >= 3 else np.zeros(len(score), bool))
        padded = f" {q} "
        word = np.array([padded in f" {n} " or (bool(e) and padded in f" {e} ") for n, e in zip(self.norm, self.norm_en)])  # whole words ("tpt", "gini")
        # Far weaker than the best hit is noise ("kab nduga" for "kab bandung"): the caller cuts there.
        return np.where(word, np.maximum(score, 95), score) + 20 * exact + 8 * prefix
