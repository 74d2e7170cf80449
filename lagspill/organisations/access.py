"""The one access module: may this user see or change this object?

Every view, export, report and API endpoint asks here. Rules are registered per model with
`@rule(Model)`; a rule answers for one action ("view", "change" or "admin"). Views use
`get_or_404` / `require`: an object you may not see is a 404, one you may see but not change
is a 403 (as in healthchecks' `_get_check_for_user`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from lagspill.arenas.models import ActionItem, Arena, ArenaMember, Attendance, Decision, Meeting
from lagspill.continuity.models import AnchoringTask, CalendarFeed, Holding, Person
from lagspill.continuity.models import Role as MunicipalRole
from lagspill.indicators.models import IndexScore, Indicator, Observation, WeightSet
from lagspill.measures.models import HousingProject, InstrumentUse, Measure, NeedsFigure, NeedsMapping, ProgressUpdate
from lagspill.network.models import (
    EventMaterial,
    Input,
    NetworkEvent,
    Practice,
    PracticeDocument,
    PracticeTag,
    Registration,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    SupportRequest,
    Visibility,
)
from lagspill.places.models import County, Municipality
from lagspill.plans.models import Assessment, CriteriaSet, Goal, Perspective, Plan, PlanDocument, PriorityWeights

from .models import Invitation, Kind, Membership, Organisation, Role

logger = logging.getLogger(__name__)
Action = Literal["view", "change", "admin"]
CURRENT_ORGANISATION_KEY = "lagspill_organisation"
M = TypeVar("M", bound=Model)
Rule = Callable[[Any, Any, Action], bool]
RULES: dict[type[Model], Rule] = {}


@dataclass(frozen=True)
class Scope:
    """What one user's active memberships give, computed once per request."""

    is_superuser: bool = False
    organisations: tuple[Organisation, ...] = ()
    roles: dict[int, str] = field(default_factory=dict)  # organisation id → role
    municipalities: dict[str, str] = field(default_factory=dict)  # number → role
    governed_counties: frozenset[str] = frozenset()
    housing_bank: bool = False
    user_organisation: bool = False

    def role_in(self, organisation: Organisation) -> str | None:
        return self.roles.get(organisation.pk)


def scope(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_lagspill_scope", None)
    if cached is None:
        cached = _build_scope(user)
        user._lagspill_scope = cached
    return cached


def forget(user: Any) -> None:
    """Drop the cached scope after a change to the user's own memberships."""
    user._lagspill_scope = None


def _build_scope(user: Any) -> Scope:
    members = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation__municipality__county", "organisation__county")
        .order_by("created_at", "pk")
    )
    orgs = [m.organisation for m in members]
    return Scope(
        is_superuser=user.is_superuser,
        organisations=tuple(orgs),
        roles={m.organisation_id: m.role for m in members},
        municipalities={m.organisation.municipality.number: m.role for m in members if m.organisation.municipality},
        governed_counties=frozenset(o.county.number for o in orgs if o.kind == Kind.COUNTY_GOVERNOR and o.county),
        housing_bank=any(o.kind == Kind.HOUSING_BANK for o in orgs),
        user_organisation=any(o.kind == Kind.USER_ORGANISATION for o in orgs),
    )


def rule(model: type[Model]) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[model] = func
        return func

    return register


def can(user: Any, action: Action, obj: Model) -> bool:
    if type(obj) in PARTIES_ONLY:  # secure messages: not even site administrators, unless a party
        return RULES[type(obj)](user, obj, action)
    if scope(user).is_superuser:
        return True
    rule_for = RULES.get(type(obj))
    if rule_for is None:  # a model nobody wrote a rule for is closed, not open
        logger.error("No access rule for %s; denying.", type(obj).__name__)
        return False
    return rule_for(user, obj, action)


def require(user: Any, action: Action, obj: M) -> M:
    """404 if the user may not see `obj`, 403 if they may see but not do `action`."""
    if not can(user, "view", obj):
        raise Http404
    if action != "view" and not can(user, action, obj):
        raise PermissionDenied
    return obj


def get_or_404(user: Any, queryset: type[M] | QuerySet[M], action: Action = "view", **lookup: Any) -> M:
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except qs.model.DoesNotExist as error:
        raise Http404 from error
    return require(user, action, obj)


# Questions about a municipality's private working material, for the domain apps that follow.
def sees_municipality_private(user: Any, municipality: Municipality) -> bool:
    s = scope(user)
    return (
        s.is_superuser
        or municipality.number in s.municipalities
        or municipality.county.number in s.governed_counties
        or s.housing_bank
    )


def edits_municipality(user: Any, municipality: Municipality) -> bool:
    s = scope(user)
    role = s.municipalities.get(municipality.number)
    return s.is_superuser or role in (Role.EDITOR, Role.ADMIN)


@rule(County)
def county_rule(user: Any, county: County, action: Action) -> bool:
    """County pages and their statistics are public; counties are reference data nobody edits."""
    return action == "view"


@rule(Municipality)
def municipality_rule(user: Any, municipality: Municipality, action: Action) -> bool:
    """Municipality pages are public; changing its material needs an editor role there."""
    return action == "view" or edits_municipality(user, municipality)


@rule(Organisation)
def organisation_rule(user: Any, organisation: Organisation, action: Action) -> bool:
    """Members see their organisation's member list; only its admins change it."""
    role = scope(user).role_in(organisation)
    if action == "view":
        return role is not None
    return role == Role.ADMIN


def current_organisation(request: Any) -> Organisation | None:
    """The organisation the person works as now: the one chosen with the switcher, else the first."""
    organisations = scope(request.user).organisations
    chosen = request.session.get(CURRENT_ORGANISATION_KEY) if hasattr(request, "session") else None
    return next((o for o in organisations if o.pk == chosen), organisations[0] if organisations else None)


@rule(Invitation)
def invitation_rule(user: Any, invitation: Invitation, action: Action) -> bool:
    """Holding the secret link lets one see the invitation; see `may_accept` for using it."""
    return action == "view"


def may_accept(user: Any, invitation: Invitation) -> bool:
    """An invitation is personal, even for site administrators: accept it with no account yet
    (one is created for the invited address) or signed in with the invited address."""
    return not user.is_authenticated or user.email.lower() == invitation.email.lower()


def governs(user: Any, county: County | None) -> bool:
    """An editor or admin at the County Governor of this county (or a site administrator)."""
    s = scope(user)
    if s.is_superuser:
        return True
    return county is not None and any(
        o.kind == Kind.COUNTY_GOVERNOR and o.county_id == county.pk and s.roles.get(o.pk) in (Role.EDITOR, Role.ADMIN)
        for o in s.organisations
    )


@rule(Indicator)
def indicator_rule(user: Any, indicator: Indicator, action: Action) -> bool:
    """The catalogue and published statistics are public; the catalogue is changed in the repository."""
    return action == "view"


@rule(WeightSet)
def weight_set_rule(user: Any, weight_set: WeightSet, action: Action) -> bool:
    """Weight sets are public; the County Governor saves named sets for its own county."""
    return action == "view" or (weight_set.county is not None and governs(user, weight_set.county))


@rule(Observation)
def observation_rule(user: Any, observation: Observation, action: Action) -> bool:
    """Published statistics are public; they change only through the pipeline."""
    return action == "view"


@rule(IndexScore)
def index_score_rule(user: Any, score: IndexScore, action: Action) -> bool:
    """Challenge index scores are computed from public statistics and are public; only the pipeline writes them."""
    return action == "view"


def sees_county_shared(user: Any, county: County) -> bool:
    """The county's shared space: members of its municipalities, its County Governor, Husbanken."""
    s = scope(user)
    return (
        s.is_superuser
        or county.number in s.governed_counties
        or s.housing_bank
        or any(o.municipality and o.municipality.county_id == county.pk for o in s.organisations)
    )


@rule(Plan)
def plan_rule(user: Any, plan: Plan, action: Action) -> bool:
    """Public plans are open to everyone; the rest is the municipality's working material.
    Its editors change its plans; a withdrawn plan stays visible to those who see private material."""
    if action == "view":
        public = plan.is_public and plan.withdrawn_at is None
        return public or sees_municipality_private(user, plan.municipality)
    return edits_municipality(user, plan.municipality)


@rule(PlanDocument)
def plan_document_rule(user: Any, document: PlanDocument, action: Action) -> bool:
    """A document goes with its plan; a withdrawn document only to those who see private material."""
    if action == "view" and document.withdrawn_at is not None:
        return sees_municipality_private(user, document.plan.municipality)
    return plan_rule(user, document.plan, action)


@rule(CriteriaSet)
def criteria_set_rule(user: Any, criteria_set: CriteriaSet, action: Action) -> bool:
    """Criteria are public (assessments must be transparent); the County Governor owns its county's sets.
    The shipped default set changes only in the repository (or by site administrators)."""
    return action == "view" or (criteria_set.county is not None and governs(user, criteria_set.county))


@rule(Assessment)
def assessment_rule(user: Any, assessment: Assessment, action: Action) -> bool:
    """Published assessments of public plans are public; the rest is seen by the municipality, its
    County Governor and Husbanken. Until publication both sides may work on it (see `may_score`)."""
    plan = assessment.plan
    if action == "view":
        public = assessment.is_locked and plan.is_public and plan.withdrawn_at is None
        return public or sees_municipality_private(user, plan.municipality)
    if assessment.is_locked:
        return False
    return edits_municipality(user, plan.municipality) or governs(user, plan.municipality.county)


def may_score(user: Any, assessment: Assessment, perspective: str) -> bool:
    """The municipality's editors give the self-assessment; the County Governor gives the review."""
    if assessment.is_locked:
        return False
    municipality = assessment.plan.municipality
    if perspective == Perspective.SELF:
        return edits_municipality(user, municipality)
    return governs(user, municipality.county)


def may_publish(user: Any, assessment: Assessment) -> bool:
    return not assessment.is_locked and governs(user, assessment.plan.municipality.county)


@rule(PriorityWeights)
def priority_weights_rule(user: Any, weights: PriorityWeights, action: Action) -> bool:
    """The weights are transparent within the county's shared space; the County Governor sets them."""
    if action == "view":
        return sees_county_shared(user, weights.county)
    return governs(user, weights.county)


def sees_county_private(user: Any, county: County) -> bool:
    """All working material in the county: its County Governor (any role), Husbanken, site administrators."""
    s = scope(user)
    return s.is_superuser or county.number in s.governed_counties or s.housing_bank


# Continuity: roles, holders, people and anchoring tasks are the municipality's working material.
@rule(MunicipalRole)
def role_rule(user: Any, role: MunicipalRole, action: Action) -> bool:
    """Seen by the municipality, its County Governor and Husbanken, and by the role's current holder
    (who may work outside the municipality's organisation, e.g. a user representative); its editors
    change roles."""
    if action == "view":
        return sees_municipality_private(user, role.municipality) or holds_role(user, role)
    return edits_municipality(user, role.municipality)


@rule(Person)
def person_rule(user: Any, person: Person, action: Action) -> bool:
    if action == "view":
        return sees_municipality_private(user, person.municipality)
    return edits_municipality(user, person.municipality)


@rule(Holding)
def holding_rule(user: Any, holding: Holding, action: Action) -> bool:
    return role_rule(user, holding.role, action)


def is_assignee(user: Any, task: AnchoringTask) -> bool:
    """The person the task is assigned to, signed in with their work e-mail."""
    email = (getattr(user, "email", "") or "").lower()
    person = task.assignee
    return bool(email) and person is not None and person.anonymised_at is None and person.email == email


@rule(AnchoringTask)
def anchoring_task_rule(user: Any, task: AnchoringTask, action: Action) -> bool:
    """Seen by the municipality, its County Governor and Husbanken (and the assignee); completed by
    the assignee or the municipality's editors."""
    if action == "view":
        return sees_municipality_private(user, task.municipality) or is_assignee(user, task)
    return edits_municipality(user, task.municipality) or is_assignee(user, task)


@rule(CalendarFeed)
def calendar_feed_rule(user: Any, feed: CalendarFeed, action: Action) -> bool:
    """A calendar address is its owner's alone."""
    return getattr(user, "is_authenticated", False) and feed.user_id == user.pk


# Arenas: public ones are open; the rest is seen by the owner's insiders and the organisations taking part.
def _takes_part(user: Any, arena: Arena) -> bool:
    organisations = [o.pk for o in scope(user).organisations]
    if arena.pk is None or not organisations:
        return False
    return arena.members.current().filter(organisation__in=organisations).exists()


def _holds_seat(user: Any, arena: Arena) -> bool:
    """The signed-in person holds, today, a role with a current seat in the arena."""
    from django.utils import timezone

    if arena.pk is None or not getattr(user, "is_authenticated", False):
        return False
    today = timezone.localdate()
    held = Holding.objects.on(today).filter(person__in=Person.objects.for_user(user)).values("role")
    return arena.members.current(today).filter(role__in=held).exists()


def sees_arena(user: Any, arena: Arena) -> bool:
    if arena.is_public:
        return True
    if arena.county_id:
        return sees_county_shared(user, arena.county) or _takes_part(user, arena)
    inside = sees_municipality_private(user, arena.municipality) or _takes_part(user, arena)
    return inside or _holds_seat(user, arena)


def runs_arena(user: Any, arena: Arena) -> bool:
    """A municipality's editors run its arenas; the County Governor runs the county's network arenas."""
    if arena.county_id:
        return governs(user, arena.county)
    return edits_municipality(user, arena.municipality)


@rule(Arena)
def arena_rule(user: Any, arena: Arena, action: Action) -> bool:
    if action == "view":
        return sees_arena(user, arena)
    return runs_arena(user, arena)


@rule(ArenaMember)
def arena_member_rule(user: Any, member: ArenaMember, action: Action) -> bool:
    return arena_rule(user, member.arena, action)


@rule(Meeting)
def meeting_rule(user: Any, meeting: Meeting, action: Action) -> bool:
    return arena_rule(user, meeting.arena, action)


@rule(Attendance)
def attendance_rule(user: Any, attendance: Attendance, action: Action) -> bool:
    return arena_rule(user, attendance.meeting.arena, action)


@rule(Decision)
def decision_rule(user: Any, decision: Decision, action: Action) -> bool:
    return arena_rule(user, decision.arena, action)


def holds_role(user: Any, role: MunicipalRole | None, day: Any = None) -> bool:
    """Whether the signed-in person holds this role now (matched by work e-mail)."""
    from django.utils import timezone

    if role is None or not getattr(user, "is_authenticated", False):
        return False
    day = day or timezone.localdate()
    return role.holdings.on(day).filter(person__in=Person.objects.for_user(user)).exists()


@rule(ActionItem)
def action_item_rule(user: Any, item: ActionItem, action: Action) -> bool:
    """Follows its arena; the holder of the owner role may also see and update it."""
    if action == "view":
        return sees_arena(user, item.arena) or holds_role(user, item.owner_role)
    return runs_arena(user, item.arena) or holds_role(user, item.owner_role)


@rule(Goal)
def goal_rule(user: Any, goal: Goal, action: Action) -> bool:
    """A plan goal goes with its plan; the municipality's editors add, change and retire goals."""
    if action == "view":
        return plan_rule(user, goal.plan, "view")
    return edits_municipality(user, goal.plan.municipality)


# Needs and measures (the `measures` app).
def sees_needs_in_full(user: Any, municipality: Municipality) -> bool:
    """Only the owning municipality's own members see counts of 1–4; everyone else (the County
    Governor, Husbanken, site administrators, the public) gets the suppressed table (`suppression.py`)."""
    return municipality.number in scope(user).municipalities


@rule(NeedsMapping)
def needs_mapping_rule(user: Any, mapping: NeedsMapping, action: Action) -> bool:
    """Published mappings are open to everyone (suppressed); the rest is the municipality's working
    material (also suppressed outside the municipality); its editors enter and change mappings."""
    if action == "view":
        public = mapping.is_public and mapping.withdrawn_at is None
        return public or sees_municipality_private(user, mapping.municipality)
    return edits_municipality(user, mapping.municipality)


@rule(NeedsFigure)
def needs_figure_rule(user: Any, figure: NeedsFigure, action: Action) -> bool:
    return needs_mapping_rule(user, figure.mapping, action)


@rule(Measure)
def measure_rule(user: Any, measure: Measure, action: Action) -> bool:
    """Public measures are open to everyone; the rest is working material of the municipality (and
    seen by the owner role's current holder). Editors change measures; the owner role's holder may
    post progress (see `may_report_progress`)."""
    if action == "view":
        public = measure.is_public and measure.withdrawn_at is None
        inside = sees_municipality_private(user, measure.municipality)
        return public or inside or holds_role(user, measure.owner_role)
    return edits_municipality(user, measure.municipality)


def may_report_progress(user: Any, measure: Measure) -> bool:
    """The municipality's editors and the current holder of the measure's owner role."""
    if measure.withdrawn_at is not None:
        return False
    return edits_municipality(user, measure.municipality) or holds_role(user, measure.owner_role)


@rule(ProgressUpdate)
def progress_update_rule(user: Any, update: ProgressUpdate, action: Action) -> bool:
    return measure_rule(user, update.measure, action)


def enters_instrument_use(user: Any, municipality: Municipality) -> bool:
    """Husbanken's editors (any municipality) and the municipality's own editors enter instrument figures."""
    s = scope(user)
    housing_bank_editor = any(
        o.kind == Kind.HOUSING_BANK and s.roles.get(o.pk) in (Role.EDITOR, Role.ADMIN) for o in s.organisations
    )
    return housing_bank_editor or edits_municipality(user, municipality)


@rule(InstrumentUse)
def instrument_use_rule(user: Any, use: InstrumentUse, action: Action) -> bool:
    """The use of Husbanken's instruments is public statistics (with its source)."""
    if action == "view":
        return use.withdrawn_at is None or sees_municipality_private(user, use.municipality)
    return enters_instrument_use(user, use.municipality)


@rule(HousingProject)
def housing_project_rule(user: Any, project: HousingProject, action: Action) -> bool:
    """Public projects are open to everyone; the rest is the municipality's working material."""
    if action == "view":
        public = project.is_public and project.withdrawn_at is None
        return public or sees_municipality_private(user, project.municipality)
    return edits_municipality(user, project.municipality)


# Learning together (the `network` app).
def _editor_in(s: Scope, organisation_id: int | None) -> bool:
    return organisation_id is not None and s.roles.get(organisation_id) in (Role.EDITOR, Role.ADMIN)


def shares_practices(user: Any, county: County) -> bool:
    """Who may add a practice to the library for this county: editors of its municipalities, of its
    County Governor, and of Husbanken."""
    s = scope(user)
    return s.is_superuser or any(
        _editor_in(s, o.pk)
        and (
            o.kind == Kind.HOUSING_BANK
            or (o.kind == Kind.COUNTY_GOVERNOR and o.county_id == county.pk)
            or (o.municipality is not None and o.municipality.county_id == county.pk)
        )
        for o in s.organisations
    )


def changes_practice(user: Any, practice: Practice) -> bool:
    """Editors of the organisation that shared it, of its municipality, and the County Governor."""
    s = scope(user)
    municipal = practice.municipality is not None and edits_municipality(user, practice.municipality)
    return s.is_superuser or _editor_in(s, practice.organisation_id) or municipal or governs(user, practice.county)


@rule(Practice)
def practice_rule(user: Any, practice: Practice, action: Action) -> bool:
    """Public practices are open to everyone; the rest is shared within the county (its
    municipalities, its County Governor, Husbanken). A withdrawn practice only to those who change it."""
    if action != "view" or practice.withdrawn_at is not None:
        return changes_practice(user, practice)
    return practice.visibility == Visibility.PUBLIC or sees_county_shared(user, practice.county)


@rule(PracticeTag)
def practice_tag_rule(user: Any, tag: PracticeTag, action: Action) -> bool:
    return practice_rule(user, tag.practice, action)


@rule(PracticeDocument)
def practice_document_rule(user: Any, document: PracticeDocument, action: Action) -> bool:
    if document.withdrawn_at is not None:
        return changes_practice(user, document.practice)
    return practice_rule(user, document.practice, action)


def is_party(user: Any, request: SupportRequest) -> bool:
    """A member (any role) of the asking municipality or of the recipient organisation. Nobody else,
    not even a site administrator, sees a support request."""
    s = scope(user)
    return request.municipality.number in s.municipalities or request.recipient_id in s.roles


def on_recipient_side(user: Any, request: SupportRequest) -> bool:
    return request.recipient_id in scope(user).roles


def may_send_request(user: Any, municipality: Municipality) -> bool:
    """The municipality's own editors and admins (membership, not site administration)."""
    return scope(user).municipalities.get(municipality.number) in (Role.EDITOR, Role.ADMIN)


def triages(user: Any, request: SupportRequest) -> bool:
    """Editors and admins of the recipient organisation set status, assignee and urgency."""
    return _editor_in(scope(user), request.recipient_id)


def may_reply(user: Any, request: SupportRequest) -> bool:
    """Editors on either side; a closed request is reopened by replying."""
    return may_send_request(user, request.municipality) or triages(user, request)


@rule(SupportRequest)
def support_request_rule(user: Any, request: SupportRequest, action: Action) -> bool:
    if action == "view":
        return is_party(user, request)
    return triages(user, request)


@rule(RequestMessage)
def request_message_rule(user: Any, message: RequestMessage, action: Action) -> bool:
    """Messages are never changed; internal notes are the recipient organisation's own."""
    if action != "view" or not is_party(user, message.request):
        return False
    return not message.internal or on_recipient_side(user, message.request)


@rule(RequestAttachment)
def request_attachment_rule(user: Any, attachment: RequestAttachment, action: Action) -> bool:
    return request_message_rule(user, attachment.message, action)


@rule(RequestEvent)
def request_event_rule(user: Any, event: RequestEvent, action: Action) -> bool:
    """The audit trail is append-only; that an internal note was written is the recipient's own."""
    if action != "view" or not is_party(user, event.request):
        return False
    return event.kind != "notat" or on_recipient_side(user, event.request)


PARTIES_ONLY: frozenset[type[Model]] = frozenset({SupportRequest, RequestMessage, RequestAttachment, RequestEvent})


def sees_events_of(user: Any, county: County) -> bool:
    """The county's shared space and user organisations (who take part in the networks)."""
    return sees_county_shared(user, county) or scope(user).user_organisation


@rule(NetworkEvent)
def network_event_rule(user: Any, event: NetworkEvent, action: Action) -> bool:
    """Public events are open to everyone, the rest to the county's network; the County Governor runs them."""
    if action == "view":
        return event.is_public or sees_events_of(user, event.county)
    return governs(user, event.county)


def may_register(user: Any, event: NetworkEvent) -> bool:
    """Anyone signed in with a membership who may see the event, until it is cancelled or closed."""
    from django.utils import timezone

    if not scope(user).organisations or event.cancelled_at is not None:
        return False
    if event.registration_closes and timezone.localdate() > event.registration_closes:
        return False
    return event.starts_at > timezone.now() and network_event_rule(user, event, "view")


@rule(Registration)
def registration_rule(user: Any, registration: Registration, action: Action) -> bool:
    """Seen and cancelled by the person registered and by the organiser (the County Governor)."""
    own = getattr(user, "is_authenticated", False) and registration.user_id == user.pk
    county = registration.event.county
    if action == "view":
        return own or county.number in scope(user).governed_counties
    return own or governs(user, county)


def sees_participants(user: Any, event: NetworkEvent) -> bool:
    """The participant list (names, organisations, needs): the County Governor of the event's county."""
    s = scope(user)
    return s.is_superuser or event.county.number in s.governed_counties


@rule(EventMaterial)
def event_material_rule(user: Any, material: EventMaterial, action: Action) -> bool:
    if action != "view" or material.withdrawn_at is not None:
        return governs(user, material.event.county)
    return network_event_rule(user, material.event, "view")


def _subject_is_public(input_: Input) -> bool:
    subject = input_.subject
    return subject.is_public and subject.withdrawn_at is None


def may_give_input(user: Any, subject: Plan | Measure) -> bool:
    """Editors and admins of a user organisation, on a plan in public consultation or a public
    measure (not withdrawn, completed or stopped)."""
    from lagspill.measures.models import MeasureStatus
    from lagspill.plans.models import Status

    s = scope(user)
    speaks = any(o.kind == Kind.USER_ORGANISATION and _editor_in(s, o.pk) for o in s.organisations)
    if not speaks or not subject.is_public or subject.withdrawn_at is not None:
        return False
    if isinstance(subject, Plan):
        return subject.status == Status.CONSULTATION
    return subject.status not in (MeasureStatus.DONE, MeasureStatus.STOPPED)


def records_use(user: Any, input_: Input) -> bool:
    """The municipality's editors record how an input was used."""
    return input_.withdrawn_at is None and edits_municipality(user, input_.municipality)


def withdraws_input(user: Any, input_: Input) -> bool:
    """The giving organisation's editors (and site administrators) withdraw its input; that it has no
    recorded use yet is checked by `participation_actions.withdraw_input`."""
    s = scope(user)
    return s.is_superuser or _editor_in(s, input_.organisation_id)


@rule(Input)
def input_rule(user: Any, input_: Input, action: Action) -> bool:
    """Input on a public plan or measure is public, like a consultation response; otherwise it is seen
    by the municipality's insiders and the organisation that gave it. The giving organisation's editors
    may withdraw it; the municipality records its use (`records_use`)."""
    s = scope(user)
    own = _editor_in(s, input_.organisation_id)
    if action == "view":
        public = _subject_is_public(input_) and input_.withdrawn_at is None
        return public or input_.organisation_id in s.roles or sees_municipality_private(user, input_.municipality)
    return own or records_use(user, input_)


# Models whose every row anyone may view: reference data and published statistics.
PUBLIC_ROWS: frozenset[type[Model]] = frozenset(
    {County, Municipality, Indicator, Observation, IndexScore, WeightSet, CriteriaSet}
)


def _visible_plans(s: Scope) -> Q:
    if s.housing_bank:
        return Q()
    return (
        Q(is_public=True, withdrawn_at__isnull=True)
        | Q(municipality__number__in=list(s.municipalities))
        | Q(municipality__county__number__in=list(s.governed_counties))
    )


def _visible_plans_via(prefix: str, s: Scope) -> Q:
    if s.housing_bank:
        return Q()
    return (
        Q(**{f"{prefix}is_public": True, f"{prefix}withdrawn_at__isnull": True})
        | Q(**{f"{prefix}municipality__number__in": list(s.municipalities)})
        | Q(**{f"{prefix}municipality__county__number__in": list(s.governed_counties)})
    )


def _public_or_municipal(s: Scope, prefix: str) -> Q:
    """Public, not withdrawn rows, and the municipality's working material for its insiders.
    (The owner-role holder's extra view of a measure is answered by `can`, not in lists.)"""
    if s.housing_bank:
        return Q()
    return Q(**{f"{prefix}is_public": True, f"{prefix}withdrawn_at__isnull": True}) | _visible_municipal(
        f"{prefix}municipality__"
    )(s)


def _visible_progress(s: Scope) -> Q:
    """Progress on public measures (not withdrawn) for everyone; all of it for the municipality's insiders.
    (Django drops an empty Q() from an OR, so "everything" is answered before combining.)"""
    if s.housing_bank:
        return Q()
    return (_public_or_municipal(s, "measure__") & Q(withdrawn_at__isnull=True)) | _visible_municipal(
        "measure__municipality__"
    )(s)


def _visible_instrument_use(s: Scope) -> Q:
    if s.housing_bank:
        return Q()
    return Q(withdrawn_at__isnull=True) | _visible_municipal("municipality__")(s)


def _visible_assessments(s: Scope) -> Q:
    if s.housing_bank:
        return Q()
    return (
        Q(published_at__isnull=False, plan__is_public=True, plan__withdrawn_at__isnull=True)
        | Q(plan__municipality__number__in=list(s.municipalities))
        | Q(plan__municipality__county__number__in=list(s.governed_counties))
    )


# Models whose rows are filtered per person: the list form of their view rule.
def _visible_municipal(prefix: str) -> Callable[[Scope], Q]:
    """Working material of a municipality (reached by `prefix`): its members, County Governor, Husbanken."""

    def build(s: Scope) -> Q:
        if s.housing_bank:
            return Q()
        return Q(**{f"{prefix}number__in": list(s.municipalities)}) | Q(
            **{f"{prefix}county__number__in": list(s.governed_counties)}
        )

    return build


def _visible_arenas(prefix: str) -> Callable[[Scope], Q]:
    """Public arenas, the owner's insiders, and organisations with a current seat."""

    def build(s: Scope) -> Q:
        if s.housing_bank:
            return Q()
        member_counties = {o.municipality.county.number for o in s.organisations if o.municipality}
        seats = ArenaMember.objects.current().filter(organisation__in=[o.pk for o in s.organisations])
        return (
            Q(**{f"{prefix}is_public": True})
            | Q(**{f"{prefix}municipality__number__in": list(s.municipalities)})
            | Q(**{f"{prefix}municipality__county__number__in": list(s.governed_counties)})
            | Q(**{f"{prefix}county__number__in": list(s.governed_counties | member_counties)})
            | Q(**{f"{prefix}pk__in": seats.values("arena")})
        )

    return build


def _visible_practices(prefix: str) -> Callable[[Scope], Q]:
    def build(s: Scope) -> Q:
        live = Q(**{f"{prefix}withdrawn_at__isnull": True})
        if s.housing_bank:
            return live
        counties = {o.municipality.county.number for o in s.organisations if o.municipality} | s.governed_counties
        return live & (
            Q(**{f"{prefix}visibility": Visibility.PUBLIC}) | Q(**{f"{prefix}county__number__in": list(counties)})
        )

    return build


def _visible_requests(prefix: str) -> Callable[[Scope], Q]:
    def build(s: Scope) -> Q:
        return Q(**{f"{prefix}municipality__number__in": list(s.municipalities)}) | Q(
            **{f"{prefix}recipient__in": list(s.roles)}
        )

    return build


def _visible_messages(prefix: str) -> Callable[[Scope], Q]:
    def build(s: Scope) -> Q:
        recipient = Q(**{f"{prefix}request__recipient__in": list(s.roles)})
        municipal = Q(**{f"{prefix}request__municipality__number__in": list(s.municipalities)})
        return recipient | (municipal & Q(**{f"{prefix}internal": False}))

    return build


def _visible_events(prefix: str) -> Callable[[Scope], Q]:
    def build(s: Scope) -> Q:
        if s.housing_bank or s.user_organisation:
            return Q()
        counties = {o.municipality.county.number for o in s.organisations if o.municipality} | s.governed_counties
        return Q(**{f"{prefix}is_public": True}) | Q(**{f"{prefix}county__number__in": list(counties)})

    return build


def _visible_materials(s: Scope) -> Q:
    live = Q(withdrawn_at__isnull=True)
    if s.housing_bank or s.user_organisation:
        return live | Q(event__county__number__in=list(s.governed_counties))
    return (live & _visible_events("event__")(s)) | Q(event__county__number__in=list(s.governed_counties))


def _visible_registrations(s: Scope, user_id: int | None) -> Q:
    return Q(user_id=user_id) | Q(event__county__number__in=list(s.governed_counties))


def _visible_inputs(s: Scope) -> Q:
    public = Q(withdrawn_at__isnull=True) & (
        Q(plan__is_public=True, plan__withdrawn_at__isnull=True)
        | Q(measure__is_public=True, measure__withdrawn_at__isnull=True)
    )
    if s.housing_bank:
        return Q()
    insiders = (
        Q(plan__municipality__number__in=list(s.municipalities))
        | Q(plan__municipality__county__number__in=list(s.governed_counties))
        | Q(measure__municipality__number__in=list(s.municipalities))
        | Q(measure__municipality__county__number__in=list(s.governed_counties))
    )
    return public | insiders | Q(organisation__in=list(s.roles))


ROW_FILTERS: dict[type[Model], Callable[[Scope], Q]] = {
    Plan: _visible_plans,
    Assessment: _visible_assessments,
    MunicipalRole: _visible_municipal("municipality__"),
    Person: _visible_municipal("municipality__"),
    Holding: _visible_municipal("role__municipality__"),
    AnchoringTask: _visible_municipal("municipality__"),
    Arena: _visible_arenas(""),
    Meeting: _visible_arenas("arena__"),
    Decision: _visible_arenas("arena__"),
    ActionItem: _visible_arenas("arena__"),
    Goal: lambda s: _visible_plans_via("plan__", s),
    NeedsMapping: lambda s: _public_or_municipal(s, ""),
    NeedsFigure: lambda s: _public_or_municipal(s, "mapping__"),
    ProgressUpdate: _visible_progress,
    Measure: lambda s: _public_or_municipal(s, ""),
    HousingProject: lambda s: _public_or_municipal(s, ""),
    InstrumentUse: _visible_instrument_use,
    Practice: _visible_practices(""),
    PracticeDocument: lambda s: _visible_practices("practice__")(s) & Q(withdrawn_at__isnull=True),
    SupportRequest: _visible_requests(""),
    RequestMessage: _visible_messages(""),
    RequestAttachment: _visible_messages("message__"),
    RequestEvent: lambda s: (
        Q(request__recipient__in=list(s.roles))
        | (Q(request__municipality__number__in=list(s.municipalities)) & ~Q(kind="notat"))
    ),
    NetworkEvent: _visible_events(""),
    EventMaterial: _visible_materials,
    Input: _visible_inputs,
}


def visible(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """The rows of `queryset` this user may view, as a queryset: the list form of `can(user, "view", obj)`.

    Lists, exports and the API filter here, so data that becomes private later (a municipality's
    unpublished upload, say) is filtered in one place. A model not declared here is closed.
    """
    if queryset.model in PUBLIC_ROWS:
        return queryset
    if queryset.model in PARTIES_ONLY:
        return queryset.filter(ROW_FILTERS[queryset.model](scope(user)))
    if queryset.model is Registration:
        if scope(user).is_superuser:
            return queryset
        return queryset.filter(_visible_registrations(scope(user), getattr(user, "pk", None)))
    if scope(user).is_superuser:
        return queryset
    if queryset.model in ROW_FILTERS:
        return queryset.filter(ROW_FILTERS[queryset.model](scope(user)))
    logger.error("No row visibility declared for %s; showing none.", queryset.model.__name__)
    return queryset.none()
