"""coursegen: generate a bilingual e-learning course (Jupyter Book) from citable sources."""

__version__ = "0.1.0"
