"""Chronology explorer: dated events from news documents, explored as a timeline."""

__version__ = "0.1.0"
