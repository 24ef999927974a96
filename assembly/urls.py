from django.urls import path

from assembly.views import public, signin

app_name = "assembly"

urlpatterns = [
    path("", public.home, name="home"),
    path("a/<int:pk>/", public.assembly_detail, name="detail"),
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", signin.sign_out, name="logout"),
    path("s/<str:token>/", signin.token_sign_in, name="token_sign_in"),
]
