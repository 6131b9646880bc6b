"""Fuzz tests and their harness (see harness.py)."""
