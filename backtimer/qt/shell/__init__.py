"""The shell feature of the window."""
