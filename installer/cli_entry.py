"""Entry point of the frozen `lienthong.exe` console program."""

import sys

from app.cli import main

sys.exit(main())
