"""The editor's desk in a real browser (make browser)."""
