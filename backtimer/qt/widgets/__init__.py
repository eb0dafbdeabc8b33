"""The widgets feature of the window."""
