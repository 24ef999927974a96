from django.urls import path

from assembly import consumers

websocket_urlpatterns = [
    path("ws/rooms/<int:room_id>/", consumers.RoomConsumer.as_asgi()),
    path("ws/projector/<str:token>/", consumers.ProjectorConsumer.as_asgi()),
]
