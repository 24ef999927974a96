from django.urls import path

from assembly.views import account, importing, landing, public, signin
from assembly.views.secretariat import accounts, audit, desk, people, screens, setup
from assembly.views.secretariat import next as next_assembly

app_name = "assembly"

urlpatterns = [
    path("", public.home, name="home"),
    path("a/<int:pk>/", public.assembly_detail, name="detail"),
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", signin.sign_out, name="logout"),
    path("start/", landing.start, name="start"),
    path("account/", account.account, name="account"),
    path("account/password/", account.password, name="password"),
    path("s/", signin.token_sign_in, name="token_sign_in"),
    path(
        "a/<int:pk>/secretariat/import/", importing.partners_import_view, name="import"
    ),
    # The secretariat's pages: setting up and running an assembly.
    path("a/new/", setup.assembly_create, name="create"),
    path("a/<int:pk>/secretariat/", setup.dashboard, name="secretariat"),
    path("a/<int:pk>/secretariat/edit/", setup.assembly_edit, name="edit"),
    path("a/<int:pk>/secretariat/next/", next_assembly.assembly_next, name="next"),
    path("a/<int:pk>/secretariat/status/", setup.assembly_status, name="set_status"),
    path("a/<int:pk>/secretariat/items/", setup.items, name="items"),
    path("a/<int:pk>/secretariat/items/new/", setup.item_create, name="item_create"),
    path("a/<int:pk>/secretariat/items/<int:item_id>/", setup.item_edit,
         name="item_edit"),
    path("a/<int:pk>/secretariat/rooms/", setup.rooms, name="rooms"),
    path("a/<int:pk>/secretariat/rooms/new/", setup.room_create, name="room_create"),
    path("a/<int:pk>/secretariat/rooms/<int:room_id>/", setup.room_edit,
         name="room_edit"),
    path("a/<int:pk>/secretariat/partners/", setup.partners, name="partners"),
    # People: delegates and their links, badges, the desk, accounts, the audit log.
    path("a/<int:pk>/secretariat/delegates/", people.delegates, name="delegates"),
    path("a/<int:pk>/secretariat/delegates/bulk/", people.delegates_bulk,
         name="delegates_bulk"),
    path("a/<int:pk>/secretariat/delegates/<int:delegate_id>/link/",
         people.link_issue, name="link_issue"),
    path("a/<int:pk>/secretariat/delegates/<int:delegate_id>/link/email/",
         people.link_email, name="link_email"),
    path("a/<int:pk>/secretariat/delegates/<int:delegate_id>/revoke/",
         people.link_revoke, name="link_revoke"),
    path("a/<int:pk>/secretariat/checkins/", people.checkins, name="checkins"),
    path("a/<int:pk>/secretariat/badges/", people.badges, name="badges"),
    path("a/<int:pk>/secretariat/desk/", desk.desk_page, name="desk"),
    path("a/<int:pk>/secretariat/desk/<int:delegate_id>/check-in/",
         desk.desk_check_in, name="desk_check_in"),
    path("a/<int:pk>/secretariat/desk/<int:delegate_id>/check-out/",
         desk.desk_check_out, name="desk_check_out"),
    path("a/<int:pk>/secretariat/desk/<int:delegate_id>/presence/",
         desk.desk_presence, name="desk_presence"),
    path("a/<int:pk>/secretariat/desk/<int:delegate_id>/badge/",
         desk.desk_badge, name="desk_badge"),
    path("a/<int:pk>/secretariat/people/", accounts.account_list, name="accounts"),
    path("a/<int:pk>/secretariat/people/new/", accounts.account_create,
         name="account_create"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/", accounts.account_edit,
         name="account_edit"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/link/", accounts.account_link,
         name="account_link"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/link/email/",
         accounts.account_link_email, name="account_link_email"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/link/revoke/",
         accounts.account_link_revoke, name="account_link_revoke"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/deactivate/",
         accounts.account_deactivate, name="account_deactivate"),
    path("a/<int:pk>/secretariat/people/<int:user_id>/reactivate/",
         accounts.account_reactivate, name="account_reactivate"),
    path("a/<int:pk>/secretariat/audit/", audit.audit_log, name="audit"),
    path("a/<int:pk>/secretariat/screens/", screens.screens, name="screens"),
]
