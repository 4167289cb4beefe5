import sys

from conversations.listening.cli import main

sys.exit(main())
