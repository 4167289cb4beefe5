"""`python -m plugins.guidelines …` (see cli.py), as a short command (core/command.py)."""

from core.command import run_command
from plugins.guidelines.cli import main

run_command(main)
