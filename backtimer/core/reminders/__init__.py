"""Desk-break reminders: working hours, the reminder policy and its saved schedule.

Pure logic with injected clocks: the Qt layer arms one timer for
:meth:`~backtimer.core.reminders.policy.ReminderPolicy.next_deadline`, calls ``poll`` when it
fires and turns the returned events into notifications.
"""
