from django.urls import path

from qamqor.accounts.views import esign, login, otp, representatives, session

app_name = "accounts"

# Each flow owns its routes; tests/test_access_matrix.py lists them all.
urlpatterns = [
    path("login/", login.login_choice, name="login"),
    path("logout/", login.logout_view, name="logout"),
    *esign.urlpatterns,
    *otp.urlpatterns,
    *representatives.urlpatterns,
    *session.urlpatterns,
]
