"""URLs of the personal cabinet, mounted at /cabinet/."""

from django.urls import path

from qamqor.cabinet import views

app_name = "cabinet"

urlpatterns = [
    path("", views.cabinet, name="cabinet"),
    path("switch/", views.switch, name="switch"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("measures/<int:pk>/", views.measure, name="measure"),
    # The offer chosen comes as ?offer=<id> (a query, so the matrix's "/1/" paths fit).
    path("measures/<int:pk>/order/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/confirm/", views.order_confirm, name="order_confirm"),
    path("supplier/", views.supplier_office, name="supplier_office"),
    path("supplier/offers/new/", views.offer_new, name="offer_new"),
    path("supplier/offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("supplier/orders/<int:pk>/", views.supplier_order, name="supplier_order"),
    path(
        "supplier/orders/<int:pk>/accept/",
        views.supplier_order_step,
        {"step": "accept"},
        name="supplier_order_accept",
    ),
    path(
        "supplier/orders/<int:pk>/hand-over/",
        views.supplier_order_step,
        {"step": "hand-over"},
        name="supplier_order_hand_over",
    ),
    path("reimbursements/", views.reimbursements, name="reimbursements"),
    path("reimbursements/<int:pk>/", views.reimbursement, name="reimbursement"),
]
