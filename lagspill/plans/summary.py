"""A plain-language status paragraph for a municipality, generated from its plans, its published
assessments and its maturity, in the reader's language (every sentence goes through gettext)."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagspill.places.models import Municipality

from .maturity import effective_scores
from .models import CORE_LEVELS, Assessment, Level, Maturity, Plan, Status

# Criteria whose latest published result the paragraph states, in this order, with a short topic.
KEY_CRITERIA = {
    "planning_strategy_link": gettext_lazy("social housing in the planning strategy"),
    "measures": gettext_lazy("measures"),
    "funding": gettext_lazy("money for the measures"),
    "user_participation": gettext_lazy("user participation"),
}
STATUS_SENTENCES = {
    Status.CONSULTATION: gettext_lazy("%(level)s “%(title)s” is on public consultation."),
    Status.PREPARING: gettext_lazy("%(level)s “%(title)s” is being prepared."),
    Status.EXPIRED: gettext_lazy("%(level)s “%(title)s” has expired and needs revision."),
    Status.NOT_STARTED: gettext_lazy("%(level)s “%(title)s” is registered, but work has not started."),
}


def current_plan(plans: list[Plan]) -> Plan | None:
    """The plan that speaks for a level: the newest adopted one, else the newest registered."""
    adopted = [p for p in plans if p.status == Status.ADOPTED and p.adopted_on]
    if adopted:
        return max(adopted, key=lambda p: p.adopted_on)
    return max(plans, key=lambda p: (p.created_at, p.pk)) if plans else None


def level_sentence(level: str, plans: list[Plan]) -> str:
    plan = current_plan(plans)
    values = {"level": Level(level).label, "title": plan.title}
    if plan.status == Status.ADOPTED:
        values["date"] = date_format(plan.adopted_on, "DATE_FORMAT") if plan.adopted_on else "?"
        return _("%(level)s “%(title)s” was adopted on %(date)s.") % values
    return str(STATUS_SENTENCES[plan.status]) % values


def latest_published(plans: list[Plan]) -> list[Assessment]:
    found = [a for p in plans for a in getattr(p, "seen_assessments", []) if a.published_at]
    return sorted(found, key=lambda a: (a.assessed_on, a.pk), reverse=True)


def criterion_sentences(plans: list[Plan]) -> list[str]:
    sentences, said = [], set()
    for assessment in latest_published(plans):
        scores = effective_scores(assessment.scores.all())
        for criterion in assessment.criteria_set.criteria.all():
            if criterion.code in KEY_CRITERIA and criterion.code not in said and criterion.pk in scores:
                said.add(criterion.code)
                score = scores[criterion.pk]
                meaning = criterion.meanings()[score] if score < len(criterion.meanings()) else ""
                values = {
                    "topic": KEY_CRITERIA[criterion.code],
                    "meaning": meaning.rstrip("."),
                    "score": score,
                    "plan": assessment.plan.title,
                }
                sentences.append(
                    (criterion.code, _("%(plan)s, on %(topic)s: %(meaning)s (score %(score)s of 3).") % values)
                )
    order = {code: i for i, code in enumerate(KEY_CRITERIA)}
    return [text for code, text in sorted(sentences, key=lambda s: order[s[0]])]


def maturity_sentence(series: list[Maturity]) -> str:
    if not series:
        return _("No assessment is published yet, so planning maturity is not computed.")
    first, last = series[0], series[-1]
    values = {
        "now": number_format(last.score, 0),
        "year": last.year,
        "base": number_format(first.score, 0),
        "first": first.year,
    }
    if first.year == last.year:
        return _("Planning maturity is %(now)s of 100 (%(year)s).") % values
    return _("Planning maturity is %(now)s of 100 in %(year)s, against %(base)s in %(first)s.") % values


def paragraph(municipality: Municipality, plans: list[Plan], series: list[Maturity]) -> list[list[str]]:
    """The status in three short paragraphs of sentences: the plans, what the assessments found, maturity."""
    by_level: dict[str, list[Plan]] = {}
    for plan in plans:
        by_level.setdefault(plan.level, []).append(plan)
    sentences = [level_sentence(level, by_level[level]) for level in CORE_LEVELS if level in by_level]
    missing = [str(Level(level).label).lower() for level in CORE_LEVELS if level not in by_level]
    if missing:
        sentences.append(_("No plan is registered for: %(levels)s.") % {"levels": ", ".join(missing)})
    findings = criterion_sentences(plans)
    return [part for part in (sentences, findings, [maturity_sentence(series)]) if part]
