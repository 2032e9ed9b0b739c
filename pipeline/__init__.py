"""Secure-zone pipeline: synthetic register -> validated -> aggregated -> protected release.

Runs where the microdata is. The web app never imports this package; the only
interface between the two is the release directory (see data/manifest.py).
"""
