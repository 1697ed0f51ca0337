"""Reporters read a RunReport (and events); they never run anything."""
