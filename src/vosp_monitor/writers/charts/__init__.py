"""The district's charts (matplotlib, offline): SVG for HTML, PNG for Word, drawn in a worker."""
