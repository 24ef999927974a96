from django.urls import path

from assembly.views import importing, landing, public, signin
from assembly.views.secretariat import people, screens, setup

app_name = "assembly"

urlpatterns = [
    path("", public.home, name="home"),
    path("a/<int:pk>/", public.assembly_detail, name="detail"),
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", signin.sign_out, name="logout"),
    path("start/", landing.start, name="start"),
    path("s/<str:token>/", signin.token_sign_in, name="token_sign_in"),
    path(
        "a/<int:pk>/secretariat/import/", importing.partners_import_view, name="import"
    ),
    # The secretariat's pages: setting up and running an assembly.
    path("a/new/", setup.assembly_create, name="create"),
    path("a/<int:pk>/secretariat/", setup.dashboard, name="secretariat"),
    path("a/<int:pk>/secretariat/edit/", setup.assembly_edit, name="edit"),
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
    path("a/<int:pk>/secretariat/delegates/", people.delegates, name="delegates"),
    path("a/<int:pk>/secretariat/delegates/<int:delegate_id>/link/",
         people.link_issue, name="link_issue"),
    path("a/<int:pk>/secretariat/delegates/<int:delegate_id>/revoke/",
         people.link_revoke, name="link_revoke"),
    path("a/<int:pk>/secretariat/checkins/", people.checkins, name="checkins"),
    path("a/<int:pk>/secretariat/badges/", people.badges, name="badges"),
    path("a/<int:pk>/secretariat/audit/", people.audit_log, name="audit"),
    path("a/<int:pk>/secretariat/screens/", screens.screens, name="screens"),
]
