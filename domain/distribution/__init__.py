"""The Ramadan food-aid distribution: campaigns, committees, households."""
