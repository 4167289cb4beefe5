"""`python -m plugins.guidelines …` (see cli.py), as a short command (core/collector.py)."""

from core.collector import run_command
from plugins.guidelines.cli import main

run_command(main)
