"""Chorus tests (a package, so `tests.conftest` never resolves to the `tests` package that textstat
ships in site-packages)."""
