"""URLs of the journal and the queue, mounted at /journal/."""

from django.urls import path

from qamqor.journal import views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.journal_detail, name="detail"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("<int:pk>/offer/", views.offer, name="offer"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("stays/<int:pk>/move/", views.move, name="move"),
    path("queue/<int:pk>/arrival/", views.arrival, name="arrival"),
    path("my/", views.my_queue, name="my_queue"),
    path("my/<int:pk>/postpone/", views.postpone, name="postpone"),
    path("apply/<int:pk>/", views.apply, name="apply"),
    path("organizations/<int:pk>/", views.public_counts, name="public_counts"),
]
