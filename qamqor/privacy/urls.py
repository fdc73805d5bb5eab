from django.urls import path

from qamqor.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_page, name="page"),
    path("my-data.json", views.export, name="export"),
    path(
        "consents/<slug:kind>/withdraw/",
        views.consent,
        {"act": "withdraw"},
        name="consent_withdraw",
    ),
    path("consents/<slug:kind>/give/", views.consent, {"act": "give"}, name="consent_give"),
]
