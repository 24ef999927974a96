"""Form widgets of the people pages."""

from __future__ import annotations

from django import forms


class SearchableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes for many choices (65 organisations): the chosen ones first,
    in a list that scrolls, with a box that filters the list as one types
    (static/js/people.js). Without JavaScript the filter box stays hidden and
    the list is still a list of checkboxes, the browser's find included."""

    template_name = "assembly/widgets/searchable_checkboxes.html"

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        chosen = [g for g in groups if any(o["selected"] for o in g[1])]
        others = [g for g in groups if not any(o["selected"] for o in g[1])]
        return chosen + others
