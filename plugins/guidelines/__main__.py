"""`python -m plugins.guidelines …` (see cli.py)."""

import sys

from plugins.guidelines.cli import main

sys.exit(main())
