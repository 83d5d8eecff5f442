"""Word documents: the справка, the draft order and the letters to schools (docxtpl + lxml)."""
