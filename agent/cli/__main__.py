"""`python -m agent.cli`: the terminal client."""

import sys

from agent.cli import main

sys.exit(main())
