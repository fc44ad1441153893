"""Small dialogs of the counter side. Each one only collects input; the caller calls the service."""
