import sys

from listening.cli import main

sys.exit(main())
