"""Changes to network events, each atomic: create and save an event, cancel it (kept, and the
registered people get an e-mail), register and cancel a registration, add and withdraw material.
Views, the demo and commands call these; the caller has checked access. Rules a person can break
raise `ValidationError` with a message in their language, and then nothing is stored.

Registering locks the event row first, so two people cannot both take the last place, and one
person cannot register twice with a double click. Mails go out with `transaction.on_commit`, so
nobody is told about a registration or cancellation that was not stored."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lagspill.continuity.catalogue import catalogue
from lagspill.organisations.models import Kind, Membership, Organisation
from lagspill.places.models import County

from . import event_queries, files
from .models import EventMaterial, NetworkEvent, Registration


def _recorded_by(row: Model, by: Any) -> None:
    """History rows name the person (also outside a request, e.g. the demo)."""
    if getattr(by, "pk", None):
        row._history_user = by


def _check(event: NetworkEvent) -> None:
    """What must hold whoever saves: the end after the start, registration closing by the start
    day, at least one place when there is a limit, roles from the catalogue."""
    if event.ends_at <= event.starts_at:
        raise ValidationError(_("The event must end after it starts."))
    if event.registration_closes and event.registration_closes > timezone.localdate(event.starts_at):
        raise ValidationError(_("Registration must close on or before the day the event starts."))
    if event.capacity is not None and event.capacity < 1:
        raise ValidationError(_("Give at least one place, or leave the field empty for no limit."))
    unknown = [key for key in event.roles if key not in catalogue()]
    if unknown or len(set(event.roles)) != len(event.roles):
        raise ValidationError(_("Choose roles from the role catalogue."))


def organiser_for(county: County, scope_organisations: tuple[Organisation, ...] = ()) -> Organisation:
    """The County Governor of the county: the person's own office when they work there, else the
    county's (a site administrator making an event)."""
    own = [o for o in scope_organisations if o.kind == Kind.COUNTY_GOVERNOR and o.county_id == county.pk]
    found = own[0] if own else Organisation.objects.filter(kind=Kind.COUNTY_GOVERNOR, county=county).first()
    if found is None:
        raise ValidationError(_("The county has no County Governor in Lagspill to organise the event."))
    return found


@transaction.atomic
def create_event(
    county: County, *, organiser: Organisation, by: Any, is_demo: bool = False, **fields: Any
) -> NetworkEvent:
    """A new event of the county's County Governor with the form's fields."""
    event = NetworkEvent(county=county, organiser=organiser, is_demo=is_demo, created_by=by or None, **fields)
    _check(event)
    event.full_clean(exclude=["created_by"])  # null when made by a command
    _recorded_by(event, by)
    event.save()
    return event


@transaction.atomic
def save_event(event: NetworkEvent, *, by: Any) -> NetworkEvent:
    """Save the changed fields (a cancelled event is refused: it is history). Places cannot drop
    below the people registered already."""
    stored = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    if stored.cancelled_at is not None:
        raise ValidationError(_("The event is cancelled and can no longer be changed."))
    if event.county_id != stored.county_id or event.organiser_id != stored.organiser_id:
        raise ValidationError(_("An event cannot move to another county or organiser."))
    taken = stored.registrations.active().count()
    if event.capacity is not None and event.capacity < taken:
        raise ValidationError(
            _("%(count)s people are registered already; give at least as many places.") % {"count": taken}
        )
    _check(event)
    event.full_clean(exclude=["created_by"])
    _recorded_by(event, by)
    event.save()
    return event


@transaction.atomic
def cancel_event(event: NetworkEvent, *, by: Any) -> NetworkEvent:
    """Cancel the event: it is kept with its registrations and material, and everyone registered
    gets an e-mail (in the site's language: they did not ask for it in theirs)."""
    stored = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    if stored.cancelled_at is not None:
        raise ValidationError(_("The event is already cancelled."))
    stored.cancelled_at = timezone.now()
    _recorded_by(stored, by)
    stored.save(update_fields=["cancelled_at"])
    event.cancelled_at = stored.cancelled_at
    for registration in stored.registrations.active().select_related("user"):
        _mail_on_commit(registration.user.email, "cancelled", stored, settings.LANGUAGE_CODE)
    return stored


def _open_for_registration(event: NetworkEvent) -> None:
    if event.cancelled_at is not None:
        raise ValidationError(_("The event is cancelled."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has started; registration is closed."))
    if event.registration_closes and timezone.localdate() > event.registration_closes:
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": formats.date_format(event.registration_closes)}
        )


@transaction.atomic
def register(
    event: NetworkEvent, *, user: Any, organisation: Organisation, role_kind: str, needs: str = ""
) -> Registration:
    """Register `user` as `role_kind` from `organisation` (one of their own). The event row is locked
    while the places are counted, so the last place goes to one person only."""
    locked = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    _open_for_registration(locked)
    if role_kind not in catalogue():
        raise ValidationError(_("Choose a role from the role catalogue."))
    if not Membership.objects.active().filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("Choose one of your own organisations."))
    active = locked.registrations.active()
    if active.filter(user=user).exists():
        raise ValidationError(_("You are already registered for this event."))
    if locked.capacity is not None and active.count() >= locked.capacity:
        raise ValidationError(_("The event is full: there are no places left."))
    registration = Registration(
        event=locked, user=user, organisation=organisation, role_kind=role_kind, needs=needs.strip()
    )
    _recorded_by(registration, user)
    registration.save()
    context = {"registration": registration, "role": event_queries.role_name(role_kind)}
    _mail_on_commit(user.email, "registered", locked, translation.get_language(), context)
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, by: Any) -> Registration:
    """Cancel a registration before the event starts; the row is kept (cancelled_at)."""
    stored = Registration.objects.select_for_update().get(pk=registration.pk)
    if stored.cancelled_at is not None:
        raise ValidationError(_("The registration is already cancelled."))
    if NetworkEvent.objects.filter(pk=stored.event_id, starts_at__lte=timezone.now()).exists():
        raise ValidationError(_("The event has started; the registration can no longer be cancelled."))
    stored.cancelled_at = timezone.now()
    _recorded_by(stored, by)
    stored.save(update_fields=["cancelled_at"])
    registration.cancelled_at = stored.cancelled_at
    return stored


@transaction.atomic
def add_material(
    event: NetworkEvent, *, by: Any, title: str, url: str = "", upload: UploadedFile | None = None
) -> EventMaterial:
    """Material from the event: a checked file (stored under our own name) or a link."""
    if NetworkEvent.objects.filter(pk=event.pk, cancelled_at__isnull=False).exists():
        raise ValidationError(_("The event is cancelled and can no longer be changed."))
    if not url and not upload:
        raise ValidationError(_("Give a file or a link."))
    if url and upload:
        raise ValidationError(_("Give either a file or a link, not both."))
    material = EventMaterial(event=event, title=title.strip(), url=url, uploaded_by=by)
    if upload:
        files.store(material, upload)
    material.full_clean(exclude=["file"])  # the file is ours, named by its checksum
    _recorded_by(material, by)
    material.save()
    return material


@transaction.atomic
def withdraw_material(material: EventMaterial, *, by: Any) -> EventMaterial:
    """Withdraw material: kept, with its history, but no longer listed or served to participants."""
    stored = EventMaterial.objects.select_for_update().get(pk=material.pk)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The material is already withdrawn."))
    stored.withdrawn_at = timezone.now()
    _recorded_by(stored, by)
    stored.save(update_fields=["withdrawn_at"])
    material.withdrawn_at = stored.withdrawn_at
    return stored


# Mail


def _mail_on_commit(to: str, template: str, event: NetworkEvent, language: str | None, extra: Any = None) -> None:
    context = {"event": event, "link": settings.SITE_URL + event.get_absolute_url(), **(extra or {})}
    transaction.on_commit(lambda: _send(to, template, context, language or settings.LANGUAGE_CODE), robust=True)


def _send(to: str, template: str, context: dict[str, Any], language: str) -> None:
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        subject = render_to_string(f"network/events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"network/events/email/{template}_body.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [to])
