import sys

from plugins.listening.cli import main

sys.exit(main())
