"""The 2020 season as a workload: a seeded, deterministic generator of every event.

The simulator knows no business rule: it plans what the field would send (API
shaped payloads, with the field's resends, late batches, reversals and
corrections) and hands each step to a driver, either the application services
of a ``Container`` or the HTTP API. Totals are then read back and compared
with the published figures of the 2020 activity report, scaled.
"""
