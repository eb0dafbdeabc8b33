"""backtimer: a desktop back-care trainer."""

__version__ = "0.1.0"
