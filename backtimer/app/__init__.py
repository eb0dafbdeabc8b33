"""The application layer: what every front end does the same way, without Qt.

The window, the break window and the terminal all start sessions through
:class:`~backtimer.app.sessions.SessionFactory` (routine reference → reps with reasons →
plan settings → the record of the session), and the reps of an exercise always come from
:func:`~backtimer.app.reps.reps_decisions` (the history plus the user's pins). Front ends
only show what this layer decides. It may use the core and nothing above it.
"""
