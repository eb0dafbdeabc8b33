"""The Qt layer: thin adapters that turn core deadlines and events into timers and signals."""

from backtimer.qt.shell.pyside_imports import install as _install_import_check

# Before any other module of the app loads: PySide6 would keep their source text in memory.
_install_import_check()
