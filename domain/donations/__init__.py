"""Donation intake: donors, cash and in-kind gifts, stores, dispatches, relief shipments."""
