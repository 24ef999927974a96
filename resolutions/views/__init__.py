"""Pages of the follow-up: the public board, progress forms, the secretariat's desk,
and the documents (PDF, CSV)."""
