"""The Qt layer: thin adapters that turn core deadlines and events into timers and signals."""
