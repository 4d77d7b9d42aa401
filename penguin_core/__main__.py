import sys

from penguin_core.cli import main

sys.exit(main())
