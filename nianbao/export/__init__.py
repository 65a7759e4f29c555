"""Exports: issue lists and scorecards as CSV, XLSX and JSON."""
