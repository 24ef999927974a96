"""The agenda app's pages: the room (delegates), the console (facilitators), the
projector, the draft and its history, the plenary document."""
