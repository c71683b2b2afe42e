"""The bundle's entry point: the `annotator` command, window and subcommands alike."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
