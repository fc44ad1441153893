"""The checklist pane: the run for the teller's current ticket, step by step."""
