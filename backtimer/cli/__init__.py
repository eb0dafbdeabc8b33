"""The command-line front end: terminal commands and following a routine by ear."""
