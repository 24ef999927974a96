from django.urls import path

from agenda.views import console, draft, history, plenary, projector, revise, room

app_name = "agenda"

urlpatterns = [
    # The delegates' room page and its per-person parts.
    path("rooms/<int:room_id>/", room.room_page, name="room"),
    path("rooms/<int:room_id>/speak/", room.speak, name="speak"),
    path("rooms/<int:room_id>/speak/withdraw/", room.speak_withdraw,
         name="speak_withdraw"),
    path("rooms/<int:room_id>/speak/controls/", room.speak_controls,
         name="speak_controls"),
    path("rooms/<int:room_id>/amendments/form/", room.amendment_form,
         name="amendment_form"),
    path("rooms/<int:room_id>/amendments/", room.amendment_submit,
         name="amendment_submit"),
    path("rooms/<int:room_id>/amendments/mine/", room.my_amendments,
         name="my_amendments"),
    path("rooms/<int:room_id>/amendments/<int:amendment_id>/revise/",
         revise.amendment_revise, name="amendment_revise"),
    path("rooms/<int:room_id>/amendments/<int:amendment_id>/<str:action>/",
         room.my_amendment_action, name="my_amendment_action"),
    # The facilitator console.
    path("rooms/<int:room_id>/console/", console.console, name="console"),
    path("rooms/<int:room_id>/console/clause/", console.console_part,
         {"partial": "clause_controls"}, name="console_clause"),
    path("rooms/<int:room_id>/console/amendments/", console.console_part,
         {"partial": "amendment_queue"}, name="console_amendments"),
    path("rooms/<int:room_id>/console/speakers/", console.console_part,
         {"partial": "speaker_controls"}, name="console_speakers"),
    path("rooms/<int:room_id>/console/presence/", console.console_part,
         {"partial": "presence"}, name="console_presence"),
    path("rooms/<int:room_id>/console/clause/set/", console.clause_set,
         name="clause_set"),
    path("rooms/<int:room_id>/console/agree/", console.item_agree, name="item_agree"),
    path("rooms/<int:room_id>/console/amendments/<int:amendment_id>/<str:action>/",
         console.amendment_action, name="amendment_action"),
    path("rooms/<int:room_id>/console/speakers/next/", console.speaker_next,
         name="speaker_next"),
    path("rooms/<int:room_id>/console/speakers/finish/", console.speaker_finish,
         name="speaker_finish"),
    path("rooms/<int:room_id>/console/speakers/time/", console.speaker_time,
         name="speaker_time"),
    # The projector: a secret link, no sign-in.
    path("projector/<str:token>/", projector.projector, name="projector"),
    # Drafts: entering one, its history, the plenary document.
    path("items/<int:item_id>/draft/", draft.draft_edit, name="draft_edit"),
    path("items/<int:item_id>/history/", history.history, name="history"),
    path("assemblies/<int:assembly_id>/plenary/", plenary.plenary, name="plenary"),
    path("assemblies/<int:assembly_id>/plenary/build/", plenary.plenary_build,
         name="plenary_build"),
    path("assemblies/<int:assembly_id>/plenary/items/<int:item_id>/comments/",
         plenary.comment_send, name="plenary_comment"),
    path("assemblies/<int:assembly_id>/plenary/comments/<int:comment_id>/read/",
         plenary.comment_read, name="plenary_comment_read"),
]
