"""The settings feature of the window."""
