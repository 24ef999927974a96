"""Thai for Samatcha: one pure package for the working language (no Django imports).

- ``thai.segment``: words, by PyThaiNLP's dictionary plus the assembly's own words
  (organisation names, people's names, places, the agenda's terms): ``words()``,
  ``set_vocabulary()``.
- ``thai.breaks``: where a line may break (between words, never inside a word or a
  name): ``line_units()``, ``breakable()``.
- ``thai.html``: the same breaks marked in HTML, for every page and every push.
- ``thai.diff``: word-level diffs of two texts.
- ``thai.drafts``: a pasted draft resolution split into its preamble and clauses.
- ``thai.dates``: dates in the Buddhist Era with Thai month names; Thai digits.
- ``thai.pdf``: reportlab typesetting in Sarabun whose text copies back intact.

Tested without a database in ``tests/thai/``.
"""
