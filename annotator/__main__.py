"""`python -m annotator` does what the `annotator` command does."""

from annotator.cli import main

raise SystemExit(main())
