"""URLs of the state service, mounted at /applications/."""

from django.urls import path

from qamqor.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="my-applications"),
    path("apply/", views.apply, name="apply"),
    path("apply/sign/", views.apply_sign, name="apply-sign"),
    path("my/<int:pk>/", views.my_application, name="my-application"),
    path("my/<int:pk>/choose/", views.choose, name="choose"),
    path("my/<int:pk>/receipt.pdf", views.document_pdf, {"kind": "receipt"}, name="receipt-pdf"),
    path("my/<int:pk>/result.pdf", views.document_pdf, {"kind": "result"}, name="result-pdf"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/approve/", views.decide, {"decision": "approve"}, name="approve"),
    path("cases/<int:pk>/refuse/", views.decide, {"decision": "refuse"}, name="refuse"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
urlpatterns += [
    path(f"cases/<int:pk>/{action}/", views.case_action, {"action": action}, name=f"case-{action}")
    for action in views.ACTIONS
]
