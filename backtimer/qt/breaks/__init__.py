"""The breaks feature of the window."""
