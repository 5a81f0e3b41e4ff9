"""The operation's dates, its 13 reception sites, and when travellers come and go."""

from __future__ import annotations

from datetime import date, timedelta

OPERATION = "marhaba-2020"
STARTS, ENDS = date(2020, 7, 15), date(2020, 9, 15)
DAYS = [STARTS + timedelta(n) for n in range((ENDS - STARTS).days + 1)]

# code, name, kind, city, country, share of arrivals, share of departures
SITES: tuple[tuple[str, str, str, str, str, int, int], ...] = (
    ("airport-casablanca", "Aéroport Mohammed V", "airport", "Nouaceur", "MA", 30, 28),
    ("airport-marrakech", "Aéroport Marrakech-Ménara", "airport", "Marrakech", "MA", 10, 10),
    ("airport-tanger", "Aéroport Tanger Ibn Battouta", "airport", "Tanger", "MA", 8, 8),
    ("airport-oujda", "Aéroport Oujda-Angads", "airport", "Oujda", "MA", 8, 8),
    ("airport-nador", "Aéroport Nador-El Aroui", "airport", "Nador", "MA", 10, 10),
    ("airport-agadir", "Aéroport Agadir-Al Massira", "airport", "Agadir", "MA", 7, 7),
    ("airport-fes", "Aéroport Fès-Saïss", "airport", "Fès", "MA", 7, 7),
    ("airport-rabat", "Aéroport Rabat-Salé", "airport", "Salé", "MA", 5, 5),
    ("port-tanger-med", "Port Tanger Med", "port", "Tanger", "MA", 10, 11),
    ("port-nador", "Port de Beni Ansar", "port", "Nador", "MA", 5, 6),
    ("port-sete", "Port de Sète", "port", "Sète", "FR", 0, 0),
    ("port-genoa", "Porto di Genova", "port", "Genoa", "IT", 0, 0),
    ("abroad-orly", "Accueil Marhaba, aéroport d'Orly", "abroad", "Paris", "FR", 0, 0),
)
# Movements are counted where travellers enter or leave Morocco, so nobody counts twice.
COUNTED = {code: (arr, dep) for code, *_, country, arr, dep in SITES if country == "MA"}
SEA_SITES = {code for code, _, kind, *_ in SITES if kind == "port"}
ABROAD = {code for code, *_, country, _, _ in SITES if country != "MA"}


def day_weights(direction: str) -> list[int]:
    """Arrivals peak early August; departures at the turn of September."""
    if direction == "arrival":
        return [max(1, 30 - abs(n - 20)) for n in range(len(DAYS))]
    return [max(1, 60 - 2 * abs(n - 48)) for n in range(len(DAYS))]
