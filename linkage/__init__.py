"""Graph-based intelligence linkage for modern slavery and human trafficking."""

__version__ = "0.1.0"
