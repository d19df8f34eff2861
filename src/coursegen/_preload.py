"""Imported by the fork server of Jupyter Book runs, and only there (see sphinxrun.py):
importing it imports Jupyter Book, Sphinx and the extensions our books use."""

from .sphinxrun import preload

preload()
