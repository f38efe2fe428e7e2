"""``python -m spincharge ARGS``: the ``spincharge`` command line without the console script on PATH."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
