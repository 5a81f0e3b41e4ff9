"""Closing the books: approval of a unit's period up its operation's hierarchy, and its locks."""
