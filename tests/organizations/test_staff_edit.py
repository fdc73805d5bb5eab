"""Organization staff edit their own contacts (R-ORG-2.7) and consent to publication (R-ORG-4)
on the back-office detail page (issue 4 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from qamqor.core.models import DomainEvent
from qamqor.organizations.models import OrganizationStatus
from tests.factories import OrganizationFactory, PublicOrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


def contacts_url(org) -> str:
    return reverse("organizations:staff_contacts", args=[org.pk])


def consent_url(org) -> str:
    return reverse("organizations:staff_consent", args=[org.pk])


def detail_url(org) -> str:
    return reverse("organizations:staff_detail", args=[org.pk])


def org_events():
    return DomainEvent.objects.filter(verb__startswith="organizations.")


def public_names(client) -> list[str]:
    return [o.name_kk for o in client.get("/organizations/").context["page"].object_list]


@pytest.fixture
def en(client):
    """Pages in English, so that messages read as their msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- Contacts (R-ORG-2.7) --------------------------------------------------------------------


def test_staff_change_their_own_contacts_with_history_and_event(en, meyirim, elena_staff) -> None:
    """R-ORG-2.7, R-ORG-3: the organization's staff change the phone and e-mail; the change is
    in the history with its actor, and one domain event is recorded."""
    en.force_login(elena_staff)
    response = en.post(
        contacts_url(meyirim), {"phone": "8 (701) 234-56-78", "email": "info@meyirim.kz"}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(meyirim)
    meyirim.refresh_from_db()
    assert (meyirim.phone, meyirim.email) == ("+77012345678", "info@meyirim.kz")
    latest = meyirim.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user) == ("~", elena_staff)
    event = org_events().get()
    assert (event.verb, event.actor, event.data) == (
        "organizations.contacts_updated",
        elena_staff,
        {"fields": ["email", "phone"]},
    )
    page = en.get(detail_url(meyirim))
    assert "The contacts are saved." in page.content.decode()
    assert page.context["history"][0].actor == elena_staff


def test_the_form_shows_the_current_contacts(en, meyirim, elena_staff) -> None:
    meyirim.phone, meyirim.email = "+77012345678", "info@meyirim.kz"
    meyirim.save()
    en.force_login(elena_staff)
    body = en.get(detail_url(meyirim)).content.decode()
    assert f'action="{contacts_url(meyirim)}"' in body
    assert 'value="+77012345678"' in body
    assert 'value="info@meyirim.kz"' in body


def test_the_registry_admin_changes_contacts_but_not_consent(en, meyirim, aizhan_admin) -> None:
    """R-ORG-2.7 and R-ORG-4 (rules.py): the administrator edits contacts; consent is the
    provider's own decision, so the administrator sees no consent form and is refused."""
    en.force_login(aizhan_admin)
    page = en.get(detail_url(meyirim))
    assert page.context["contacts_form"] is not None
    assert page.context["consent_form"] is None
    assert consent_url(meyirim) not in page.content.decode()
    assert en.post(contacts_url(meyirim), {"phone": "", "email": "a@b.kz"}).status_code == 302
    assert en.post(consent_url(meyirim), {"consent": "give"}).status_code == 403
    meyirim.refresh_from_db()
    assert meyirim.email == "a@b.kz"
    assert not meyirim.publication_consent
    assert list(org_events().values_list("verb", flat=True)) == ["organizations.contacts_updated"]


def test_a_bad_phone_keeps_what_was_typed_with_a_clear_error(en, meyirim, elena_staff) -> None:
    """STYLE (errors and input): the form comes back with everything typed and the reason;
    nothing is saved and no event is recorded."""
    en.force_login(elena_staff)
    response = en.post(contacts_url(meyirim), {"phone": "8 701 23", "email": "new@meyirim.kz"})
    assert response.status_code == 400
    form = response.context["contacts_form"]
    assert list(form.errors) == ["phone"]
    body = response.content.decode()
    assert 'value="8 701 23"' in body
    assert 'value="new@meyirim.kz"' in body
    assert form.errors["phone"][0] in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in body
    meyirim.refresh_from_db()
    assert (meyirim.phone, meyirim.email) == (None, "")
    assert meyirim.history.count() == 1
    assert not org_events().exists()


def test_every_bad_contact_is_reported_at_once(en, meyirim, elena_staff) -> None:
    en.force_login(elena_staff)
    response = en.post(contacts_url(meyirim), {"phone": "+7 916 123 45 67", "email": "nope"})
    assert response.status_code == 400
    assert sorted(response.context["contacts_form"].errors) == ["email", "phone"]
    assert "Enter a valid e-mail address." in response.content.decode()


def test_saving_the_same_contacts_writes_nothing(en, meyirim, elena_staff) -> None:
    en.force_login(elena_staff)
    response = en.post(contacts_url(meyirim), {"phone": "", "email": ""}, follow=True)
    assert "The contacts are unchanged." in response.content.decode()
    assert meyirim.history.count() == 1
    assert not org_events().exists()


def test_staff_of_another_organization_get_404(client, meyirim, other_staff) -> None:
    """The chokepoint: someone else's entry does not exist for them (STYLE: access)."""
    client.force_login(other_staff)
    assert client.post(contacts_url(meyirim), {"phone": "87011234567"}).status_code == 404
    assert client.post(consent_url(meyirim), {"consent": "give"}).status_code == 404
    meyirim.refresh_from_db()
    assert meyirim.phone is None and not meyirim.publication_consent
    assert not org_events().exists()


def test_the_ministry_sees_the_entry_but_may_change_nothing(
    client, meyirim, erzhan_ministry
) -> None:
    """SPEC actors: the ministry reads the registry; it neither edits contacts nor consents."""
    client.force_login(erzhan_ministry)
    page = client.get(detail_url(meyirim))
    assert page.status_code == 200
    assert page.context["contacts_form"] is None and page.context["consent_form"] is None
    body = page.content.decode()
    assert contacts_url(meyirim) not in body and consent_url(meyirim) not in body
    assert client.post(contacts_url(meyirim), {"phone": "87011234567"}).status_code == 403
    assert client.post(consent_url(meyirim), {"consent": "give"}).status_code == 403
    meyirim.refresh_from_db()
    assert meyirim.phone is None and not meyirim.publication_consent
    assert not org_events().exists()


def test_roles_outside_the_back_office_are_refused(client, meyirim, askar_officer) -> None:
    client.force_login(askar_officer)
    assert client.post(contacts_url(meyirim), {"phone": "87011234567"}).status_code == 403
    assert client.post(consent_url(meyirim), {"consent": "give"}).status_code == 403
    assert not org_events().exists()


def test_anonymous_posts_go_to_the_login_page(client, meyirim) -> None:
    response = client.post(contacts_url(meyirim), {"phone": "87011234567"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Consent (R-ORG-4) -----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_consent_on_shows_the_entry_publicly_and_off_hides_it(en, meyirim, elena_staff) -> None:
    """R-ORG-4: with the provider's consent the entry appears in the public registry; once
    withdrawn it disappears; both dates are recorded, each with its event."""
    en.force_login(elena_staff)
    assert meyirim.name_kk not in public_names(en)

    response = en.post(consent_url(meyirim), {"consent": "give"}, follow=True)
    assert response.redirect_chain == [(detail_url(meyirim), 302)]
    assert "the entry is shown in the public registry" in response.content.decode()
    meyirim.refresh_from_db()
    assert (meyirim.publication_consent, meyirim.consent_given_on) == (True, dt.date(2026, 5, 4))
    assert public_names(en) == [meyirim.name_kk]
    assert en.get(reverse("organizations:detail", args=[meyirim.pk])).status_code == 200

    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        en.force_login(elena_staff)  # a new session: the first one has long expired
        response = en.post(consent_url(meyirim), {"consent": "withdraw"}, follow=True)
    assert "no longer shown in the public registry" in response.content.decode()
    meyirim.refresh_from_db()
    assert not meyirim.publication_consent
    assert meyirim.consent_withdrawn_on == dt.date(2026, 6, 1)
    assert public_names(en) == []
    assert en.get(reverse("organizations:detail", args=[meyirim.pk])).status_code == 404
    assert list(org_events().order_by("id").values_list("verb", "actor")) == [
        ("organizations.consent_given", elena_staff.pk),
        ("organizations.consent_withdrawn", elena_staff.pk),
    ]


def test_the_consent_button_offers_the_opposite_of_the_current_state(
    en, meyirim, elena_staff
) -> None:
    en.force_login(elena_staff)
    body = en.get(detail_url(meyirim)).content.decode()
    assert 'name="consent" value="give"' in body and 'value="withdraw"' not in body
    en.post(consent_url(meyirim), {"consent": "give"})
    body = en.get(detail_url(meyirim)).content.decode()
    assert 'name="consent" value="withdraw"' in body and 'value="give"' not in body


def test_a_repeated_consent_changes_nothing(client, elena_staff, meyirim) -> None:
    """A double click: the second POST finds consent already given and records nothing."""
    client.force_login(elena_staff)
    client.post(consent_url(meyirim), {"consent": "give"})
    assert client.post(consent_url(meyirim), {"consent": "give"}).status_code == 302
    assert org_events().count() == 1


def test_consent_of_an_excluded_entry_does_not_publish_it(en, elena_staff, meyirim) -> None:
    """R-ORG-3, R-ORG-4: an excluded entry stays out of the public registry, consent or not."""
    meyirim.status = OrganizationStatus.EXCLUDED
    meyirim.excluded_on = dt.date(2026, 1, 1)
    meyirim.exclusion_basis = "Лицензия тоқтатылды"
    meyirim.save()
    en.force_login(elena_staff)
    response = en.post(consent_url(meyirim), {"consent": "give"}, follow=True)
    assert "Consent to publication is given." in response.content.decode()
    assert public_names(en) == []


def test_a_tampered_consent_choice_is_a_form_error(en, meyirim, elena_staff) -> None:
    en.force_login(elena_staff)
    response = en.post(consent_url(meyirim), {"consent": "maybe"})
    assert response.status_code == 400
    assert "Choose whether to give or withdraw consent." in response.content.decode()
    assert not org_events().exists()


def test_only_their_own_entry_is_offered_to_staff(client, elena_staff) -> None:
    other = PublicOrganizationFactory()
    OrganizationFactory()
    client.force_login(elena_staff)
    assert client.post(consent_url(other), {"consent": "withdraw"}).status_code == 404
    other.refresh_from_db()
    assert other.publication_consent
