"""Imported by the fork server of Jupyter Book runs, and only there (see sphinxrun.py):
importing it imports Jupyter Book, Sphinx and the extensions our books use."""

import atexit
import gc
import os
import signal

# Ctrl-C: coursegen starts this server with it blocked (sphinxrun.warm), so that one
# pressed while the server imports does not print a traceback; multiprocessing ignores it
# in the server once this module is imported. Ignored now, one pressed meanwhile is dropped;
# afterwards the server's handler is the one it started with, which the runs forked from it
# get: Python's own (Ctrl-C stops them), or none when coursegen itself runs with Ctrl-C
# ignored (a command started in the background by a script).
_interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

from .sphinxrun import preload  # noqa: E402 - after the lines above

preload()
signal.signal(signal.SIGINT, signal.default_int_handler if _interrupt is None else _interrupt)

# Everything imported so far lives as long as the runs: moved out of the collector's sight
# (as Python's documentation advises before forking), so that a run's garbage collections
# scan only what the run itself creates. It makes a small rebuild's run about 15 % faster.
gc.freeze()

# The server stops when coursegen exits. Tearing down every module it imported would take
# a third of a second, during which it still holds coursegen's output open (a caller that
# reads that output would wait): it has nothing to clean up, so it leaves at once. Runs
# forked from it never get here: they leave through os._exit too, as multiprocessing does.
atexit.register(os._exit, 0)
