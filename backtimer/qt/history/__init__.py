"""The history feature of the window."""
