"""The inbox page: the person's own notifications, newest first, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qamqor.notifications import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
            "unread": selectors.unread_count(request.user),  # type: ignore[arg-type]
        },
    )


@require_POST
@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about (or back to the inbox)."""
    notification = selectors.get_notification_for(request.user, pk)  # type: ignore[arg-type]
    if notification is None:
        raise Http404
    services.mark_read(request.user, [notification.pk])  # type: ignore[arg-type]
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user)  # type: ignore[arg-type]
    return HttpResponseRedirect(reverse("notifications:inbox"))


app_name = "notifications"
urlpatterns = [
    path("", inbox, name="inbox"),
    path("<int:pk>/open/", open_notification, name="open"),
    path("read-all/", mark_all_read, name="read-all"),
]
