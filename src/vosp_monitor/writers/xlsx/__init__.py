"""ranking.xlsx, the analyst's workbook, streamed sheet by sheet."""
