"""Imported by the fork server of Jupyter Book runs, and only there (see sphinxrun.py):
importing it imports Jupyter Book, Sphinx and the extensions our books use."""

import atexit
import gc
import os

from .sphinxrun import preload

preload()

# Everything imported so far lives as long as the runs: moved out of the collector's sight
# (as Python's documentation advises before forking), so that a run's garbage collections
# scan only what the run itself creates. It makes a small rebuild's run about 15 % faster.
gc.freeze()

# The server stops when coursegen exits. Tearing down every module it imported would take
# a third of a second, during which it still holds coursegen's output open (a caller that
# reads that output would wait): it has nothing to clean up, so it leaves at once. Runs
# forked from it never get here: they leave through os._exit too, as multiprocessing does.
atexit.register(os._exit, 0)
