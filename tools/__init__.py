"""Development tools that do not ship in the wheel: the Word template generator and the form filler."""
