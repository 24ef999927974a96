"""The secretariat imports partners and delegates from a spreadsheet.

Two steps on one page. Upload (``action=preview``): the file is read and every
row checked; the page shows the errors, or what would be created and changed,
and nothing changes. Confirm (``action=apply``): the checked rows come back in a
signed field (bound to this assembly and this person, valid for an hour), are
checked again against the database as it is now, and applied all or nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from assembly import importing, imports
from assembly.models import Assembly

TEMPLATE = "assembly/import.html"
PAYLOAD_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy(
            "At most 2 MB and 5,000 rows. The first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


def _salt(assembly: Assembly, user) -> str:
    return f"samatcha.import.{assembly.pk}.{user.pk}"


def partners_import_view(request, pk: int):
    assembly = get_object_or_404(Assembly, pk=pk)
    if not request.user.has_perm("assembly.manage_assembly", assembly):
        message = _("Only the secretariat of this assembly can import partners.")
        return render(request, TEMPLATE, {"assembly": assembly, "refused": message},
                      status=403)
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply(request, assembly)
    context = {"assembly": assembly, "form": ImportForm()}
    if request.method == "POST":
        context.update(_preview(request, assembly))
    partial = request.htmx and request.method == "POST"
    return render(request, TEMPLATE + ("#result" if partial else ""), context)


def _preview(request, assembly: Assembly) -> dict:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return {"form": form}
    upload = form.cleaned_data["file"]
    try:
        # Read one byte past the limit so an oversized file is told so.
        data = upload.read(importing.MAX_BYTES + 1)
        table = importing.read_table(data, upload.name or "")
    except importing.ImportFileError as exc:
        return {"form": form, "file_error": exc.message, "filename": upload.name}
    plan = imports.partners_import_preview(
        assembly=assembly, table=table, actor=request.user
    )
    context = {"form": form, "plan": plan, "filename": upload.name}
    if plan.is_valid and plan.changes:
        context["payload"] = signing.dumps(
            {"table": table.to_payload(), "filename": upload.name},
            salt=_salt(assembly, request.user), compress=True,
        )
    return context


def _apply(request, assembly: Assembly):
    context = {"assembly": assembly, "form": ImportForm()}
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=_salt(assembly, request.user),
            max_age=PAYLOAD_MAX_AGE,
        )
        table = importing.Table.from_payload(data["table"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        context["file_error"] = _(
            "This preview has expired or was altered. Upload the file again."
        )
        return render(request, TEMPLATE, context, status=400)
    filename = str(data.get("filename", ""))
    plan = imports.partners_import_preview(
        assembly=assembly, table=table, actor=request.user
    )
    if plan.is_valid:
        try:
            plan = imports.partners_import(
                assembly=assembly, rows=plan.rows, actor=request.user, filename=filename
            )
        except ValidationError as exc:
            context["apply_errors"] = exc.messages
        except PermissionDenied as exc:
            return render(
                request, TEMPLATE, {"assembly": assembly, "refused": str(exc)},
                status=403,
            )
    if not plan.is_valid or "apply_errors" in context:
        context.update({"plan": plan, "filename": filename, "stale": True})
        return render(request, TEMPLATE, context, status=409)
    messages.success(request, _(
        "Import done: %(created)s created, %(changed)s changed."
    ) % {"created": plan.created, "changed": plan.changed})
    if request.htmx:
        return HttpResponseClientRedirect(request.path)
    return redirect("assembly:import", pk=assembly.pk)
