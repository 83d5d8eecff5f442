"""Development tools that do not ship in the wheel: the Word template generator, the field
reference of templates/README.md and the form filler."""
