"""``python -m mosaic_core``: see ``mosaic_core.cli``."""

import os
import sys

from mosaic_core.cli import main

if __name__ == "__main__":
    code = main()
    if "ray" in sys.modules:  # Ray stops its local cluster from an exit hook
        sys.exit(code)
    # Every file is written and closed by now; leaving at once skips freeing each loaded record in turn.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
