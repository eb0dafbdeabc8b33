"""Apply the "start backtimer when I log in" setting to the system's autostart switch.

The settings dialog only records the wish (``ReminderSettings.start_at_login``); the app
calls :func:`apply_start_at_login` after the settings are accepted. It touches the system
only when the switch differs from the wish, and turns a failure into a message for the
user instead of an exception.
"""

from __future__ import annotations

from backtimer.desktop.autostart import Autostart


def apply_start_at_login(wanted: bool, autostart: Autostart) -> str | None:
    """Switch start at login on or off as ``wanted``; a message when that failed, else None.

    Nothing is written when ``autostart`` is already as wanted, so applying the same
    settings again is free and leaves a hand-edited entry alone.
    """
    action = "turn on" if wanted else "turn off"
    try:
        if autostart.is_enabled() == wanted:
            return None
        if wanted:
            autostart.enable()
        else:
            autostart.disable()
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        return f"Could not {action} start at login ({autostart.location}): {reason}"
    return None
