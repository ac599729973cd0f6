"""``python -m mosaic_core``: see ``mosaic_core.cli``."""

import sys

from mosaic_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
