"""Data entry: new countries, the entry workbook and reading it back."""
