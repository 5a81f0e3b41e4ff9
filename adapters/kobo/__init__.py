"""KoboToolbox REST Services: form mappings and the submission webhook."""
