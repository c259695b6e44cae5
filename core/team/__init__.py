"""Working together: user accounts and roles, handover, 回头看, reminders, backup, evidence quality flags."""
