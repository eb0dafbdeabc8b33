"""The session feature of the window."""
