"""URLs of the registry of specialists, mounted at /specialists/."""

from django.urls import path

from qamqor.specialists import views

app_name = "specialists"

urlpatterns = [
    # R-SPC-5: the public registry.
    path("", views.registry, name="registry"),
    path("<int:pk>/", views.detail, name="detail"),
    # R-SPC-1, R-SPC-2, R-SPC-4: the applicant.
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/documents/", views.documents, name="documents"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/update/", views.start_update, name="start_update"),
    path("applications/<int:pk>/consent/", views.consent, name="consent"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("files/<int:pk>/remove/", views.remove_attachment, name="remove_attachment"),
    # R-SPC-3: the registry administrator.
    path("review/", views.queue, name="queue"),
    path("review/<int:pk>/", views.review, name="review"),
]
# Issue 5 item 1: one page per step of the form, each saving the draft.
urlpatterns += [
    path(f"applications/<int:pk>/{step}/", views.step, {"step": step}, name=f"step_{step}")
    for step in ("personal", "profession", "education", "employment")
]
# R-SPC-5: one URL per export format.
urlpatterns += [
    path(f"export.{fmt}", views.export, {"fmt": fmt}, name=f"export_{fmt}")
    for fmt in ("csv", "xlsx", "pdf")
]
