"""Run backtimer with ``python -m backtimer``."""

from backtimer.main import main

raise SystemExit(main())
