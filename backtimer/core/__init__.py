"""The core of backtimer: routines, plans, the scheduler and storage, with no GUI or audio."""
