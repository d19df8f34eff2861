"""Imported by the fork server of Jupyter Book runs, and only there (see sphinxrun.py):
importing it imports Jupyter Book, Sphinx and the extensions our books use."""

import atexit
import os

from .sphinxrun import preload

preload()

# The server stops when coursegen exits. Tearing down every module it imported would take
# a third of a second, during which it still holds coursegen's output open (a caller that
# reads that output would wait): it has nothing to clean up, so it leaves at once. Runs
# forked from it never get here: they leave through os._exit too, as multiprocessing does.
atexit.register(os._exit, 0)
