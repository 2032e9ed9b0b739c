"""The sentence a shared link's preview shows under its title (og:description): what the view is,
which release it comes from and, for a synthetic release, that its numbers are synthetic. A
preview travels without the page around it, so the notice travels with it."""
from __future__ import annotations

from components.i18n import _


def with_release(rel, sentence: str, official: bool = False) -> str:
    """sentence + "Rilis <id>." + the synthetic-data notice (not for BPS's own published figures)."""
    words = f"{sentence} " + _("Rilis {release}.").format(release=rel.id)
    if rel.synthetic and not official:
        words += " " + _("DATA SINTETIS — bukan statistik resmi.")
    return words
