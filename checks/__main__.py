"""`python -m checks`: the same as `datis-audit`."""

import sys

from checks.cli.main import main

sys.exit(main())
