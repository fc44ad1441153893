"""The complaints screens: the pane (list, filters, detail with timeline, actions), the entry form
and the step dialogs. All rules live in app/services/complaints.py; these only ask and show."""
