"""Chorus' Pelican plugins: each a thin `register()` over plain, testable functions."""
