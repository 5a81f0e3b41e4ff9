"""Spreadsheet imports: CSV files as Excel and LibreOffice save them."""
