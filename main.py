"""Run Clerk Desk from a source checkout: ``python main.py``."""

import sys

from clerk_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
