"""govkg: a knowledge graph of Chinese municipal government work plans."""

__version__ = "0.1.0"
