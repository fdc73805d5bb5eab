"""URLs of the registry of organizations, mounted at /organizations/."""

from django.urls import path

from qamqor.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("<int:pk>/", views.detail, name="detail"),
    path("staff/", views.staff_registry, name="staff_registry"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    # Issue 4 item 4: the organization's own contacts (R-ORG-2.7) and consent (R-ORG-4), POST.
    path("staff/<int:pk>/contacts/", views.staff_contacts, name="staff_contacts"),
    path("staff/<int:pk>/consent/", views.staff_consent, name="staff_consent"),
]
# R-ORG-5: one URL per format, so every export has its own row in the access matrix.
urlpatterns += [
    path(f"export.{fmt}", views.export, {"fmt": fmt}, name=f"export_{fmt}")
    for fmt in ("csv", "xlsx", "pdf", "json")
]
urlpatterns += [
    path(f"staff/export.{fmt}", views.staff_export, {"fmt": fmt}, name=f"staff_export_{fmt}")
    for fmt in ("csv", "xlsx", "pdf")
]
