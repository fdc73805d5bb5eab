from django.urls import path

from qamqor.accounts.views import esign, login, otp, representatives, session

app_name = "accounts"

# Each flow's module owns its routes; the access matrix (tests/test_access_matrix.py) lists them all.
urlpatterns = [
    path("login/", login.login_choice, name="login"),
    path("logout/", login.logout_view, name="logout"),
    path("dev-login/", login.dev_login, name="dev-login"),
    *esign.urlpatterns,
    *otp.urlpatterns,
    *representatives.urlpatterns,
    *session.urlpatterns,
]
