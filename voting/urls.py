from django.urls import path

from voting import views

app_name = "voting"

urlpatterns = [
    path("rooms/<int:room_id>/ballot/", views.ballot, name="ballot"),
    path("rooms/<int:room_id>/vote-result/", views.room_result, name="room_result"),
    path("rooms/<int:room_id>/votes/", views.controls, name="controls"),
    path("rooms/<int:room_id>/votes/new/", views.poll_create, name="poll_create"),
    path("rooms/<int:room_id>/votes/all-items/", views.poll_create_all_items,
         name="poll_create_all_items"),
    path("votes/<int:pk>/", views.poll_detail, name="poll_detail"),
    path("votes/<int:pk>/open/", views.poll_open, name="poll_open"),
    path("votes/<int:pk>/close/", views.poll_close, name="poll_close"),
    path("votes/<int:pk>/record/", views.ballot_record, name="ballot_record"),
    path("a/<int:assembly_id>/secretariat/proxies/", views.proxies, name="proxies"),
    path("a/<int:assembly_id>/secretariat/proxies/<int:pk>/end/", views.proxy_end,
         name="proxy_end"),
]
