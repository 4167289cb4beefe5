"""`python -m plugins.guidelines …` (see cli.py).

No garbage collection in this process: a lint loads (the rules, the caches, 5,000 posts'
results) and exits, and what it makes stays alive until then, so the collector finds next
to nothing while it walks every object again and again: 25 ms of a 0.23 s warm lint, and
a cold lint of 5,000 posts peaks at the same memory without it. Only here, for the
process: main() called from Python (the tests) leaves the collector alone.
"""

import gc
import sys

from plugins.guidelines.cli import main

gc.disable()
sys.exit(main())
