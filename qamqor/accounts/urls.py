from django.urls import path

from qamqor.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_choice, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("dev-login/", views.dev_login, name="dev-login"),
]
