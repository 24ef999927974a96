from django.urls import path

from resolutions.views import board, documents, followup, progress, review

app_name = "resolutions"

urlpatterns = [
    # The public board: no sign-in.
    path("board/<int:assembly_id>/", board.board, name="board"),
    path(
        "board/<int:assembly_id>/agency/<int:organisation_id>/",
        board.agency,
        name="agency",
    ),
    path(
        "board/<int:assembly_id>/resolution/<int:pk>/",
        board.resolution_detail,
        name="resolution",
    ),
    path("board/evidence/<int:pk>/", board.evidence, name="evidence"),
    path(
        "board/<int:assembly_id>/resolutions.pdf",
        documents.resolutions_document,
        name="resolutions_pdf",
    ),
    path(
        "board/<int:assembly_id>/progress.pdf",
        documents.progress_report,
        name="progress_pdf",
    ),
    path(
        "board/<int:assembly_id>/agency/<int:organisation_id>/progress.pdf",
        documents.progress_report,
        name="agency_progress_pdf",
    ),
    path(
        "board/<int:assembly_id>/resolutions.csv",
        documents.resolutions_csv,
        name="resolutions_csv",
    ),
    path(
        "board/<int:assembly_id>/updates.csv", documents.updates_csv, name="updates_csv"
    ),
    # Signed in: agencies post, the secretariat plans and corrects.
    path("resolutions/mine/", progress.mine, name="mine"),
    path(
        "resolutions/<int:pk>/update/",
        progress.post_entry,
        {"kind": "update"},
        name="update",
    ),
    path(
        "resolutions/<int:pk>/note/", progress.post_entry, {"kind": "note"}, name="note"
    ),
    path(
        "resolutions/<int:pk>/correct/",
        progress.post_entry,
        {"kind": "correction"},
        name="correction",
    ),
    path("resolutions/<int:pk>/plan/", progress.plan, name="plan"),
    path("follow-up/<int:assembly_id>/", followup.desk, name="followup"),
    # The next assembly's review of earlier resolutions: public to read.
    path("review/<int:assembly_id>/", review.review_page, name="review"),
    path("review/item/<int:pk>/report/", review.review_report, name="review_report"),
    path("review/item/<int:pk>/decide/", review.review_decide, name="review_decide"),
    path("follow-up/<int:assembly_id>/remind/", followup.remind, name="remind"),
    path("follow-up/item/<int:item_id>/weights/", followup.weights, name="weights"),
]
