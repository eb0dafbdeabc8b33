"""Desktop integration without Qt: idle time, start at login and the local time zone.

Each backend talks to the operating system directly (ctypes, files, the registry) behind
a small interface, so its logic is testable where the system it serves is absent. Nothing
here imports PySide6; the GNOME idle monitor, which speaks D-Bus through QtDBus, lives in
:mod:`backtimer.qt.breaks.idle_gnome`.
"""
