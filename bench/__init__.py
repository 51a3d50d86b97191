"""Benchmark support: generated sites and the plain-Pelican baseline settings."""
