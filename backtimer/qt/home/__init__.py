"""The home feature of the window."""
