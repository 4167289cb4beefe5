"""Chorus tests (a package, so `tests.conftest` and `tests.servers` never resolve to a
`tests` package some library ships in site-packages)."""
