"""The customer lookup pane, profile view and dialogs."""
