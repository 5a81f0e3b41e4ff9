"""Audit tooling: an offline verifier for the tamper-evident event log."""
