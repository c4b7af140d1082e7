"""Views over many cases on a day: reconciliation with NDelius, who enters the final third soon."""
