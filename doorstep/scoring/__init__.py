"""Risk scoring: who will pay, and whom a visit actually helps (issue 7)."""
