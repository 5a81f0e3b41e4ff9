"""Marhaba: the summer reception of Moroccans living abroad (FACTS-2020 §2)."""
