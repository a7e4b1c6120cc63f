"""Loaders raise the project's DocumentError (re-exported here so loaders stay self-contained)."""

from kg.errors import DocumentError

__all__ = ["DocumentError"]
