"""`python -m sphinxext.migrate`: the same as the `datis-docs` console script."""

import sys

from sphinxext.migrate.cli import main

sys.exit(main())
