"""History: every session and break-reminder event, stored, summarised and exported."""
