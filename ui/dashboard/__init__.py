"""The lobby manager's dashboard: live queue figures, alerts, satisfaction and charts."""
