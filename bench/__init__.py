"""Benchmarks: Chorus against vanilla Pelican on a generated corpus (`invoke bench`)."""
