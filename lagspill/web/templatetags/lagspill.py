import datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

register = template.Library()

LANGUAGE_NAMES = {
    "Norwegian": _("Norwegian"),
    "Northern Sami": _("Northern Sámi"),
    "Lule Sami": _("Lule Sámi"),
    "Southern Sami": _("Southern Sámi"),
    "Kven Finnish": _("Kven"),
}


@register.filter
def number(value: Decimal | int | float | None, decimals: int = 0) -> str:
    """A number in the active language's format: 10 748 in Norwegian, 10,748 in English."""
    if value is None:
        return ""
    return floatformat(value, f"{decimals}g")


@register.filter
def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


@register.filter
def ds_widget(field: object) -> str:
    """Render a form field's widget with Designsystemet classes and ARIA links to hint and errors."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    attrs = {"class": "ds-input"}
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def percent(share: float | None, decimals: int = 0) -> str:
    """A share 0–1 as a percentage in the active language's format: 0.456 → 46 %."""
    if share is None:
        return ""
    return f"{floatformat(share * 100, f'{decimals}g')} %"


@register.filter
def person(user: object | None) -> str:
    """Who did something: their name, else their e-mail address; a dash when nobody is recorded."""
    if user is None:
        return "–"
    return getattr(user, "name", "") or getattr(user, "email", "") or "–"


def whole_months(since: datetime.date, until: datetime.date) -> int:
    months = (until.year - since.year) * 12 + until.month - since.month
    return months - (until.day < since.day)


@register.filter
def tenure(since: datetime.date | None, until: datetime.date) -> str:
    """Time in a role in whole months and years ("1 year, 3 months"; "less than a month")."""
    if since is None:
        return "–"
    months = whole_months(since, until)
    if months < 1:
        return str(_("less than a month"))
    years, months = divmod(months, 12)
    parts = [ngettext("%(n)d year", "%(n)d years", years) % {"n": years}] if years else []
    if months:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return ", ".join(parts)
