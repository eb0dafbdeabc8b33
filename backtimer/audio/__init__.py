"""Real audio implementations of the interfaces in :mod:`backtimer.core.audio`.

Playback goes through simpleaudio (ALSA on Linux); speech is rendered by pyttsx3. Every
part falls back to doing nothing when the machine has no sound, so a session runs silent
rather than failing.
"""
