"""Meeting minutes as PDF: the arena, date and place, attendance by seat, agenda and minutes, the
decisions and the action items with owner and due date. The same rows as the meeting page
(`arenas.queries.meeting_page`), fetched through the access module like the page: a meeting of an
arena the reader may not see is a 404."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.arenas import queries
from lagspill.arenas.models import ActionItem, Arena, ArenaMember, Meeting
from lagspill.organisations import access

# As the meeting page: the arena with its owner (municipality and county, or county) in the same query.
ARENA_ROWS = ("arena__municipality__county", "arena__county")


@dataclass(frozen=True)
class Seat:
    member: ArenaMember
    attendance: str  # "present", "absent" or "" (not recorded)


@dataclass
class Minutes:
    arena: Arena
    meeting: Meeting
    page: queries.MeetingPage
    seats: list[Seat]
    generated_at: datetime.datetime

    @property
    def owner(self) -> str:
        return self.arena.county.name if self.arena.county_id else self.arena.municipality.name

    @property
    def present(self) -> int:
        return sum(1 for s in self.seats if s.attendance == "present")

    @property
    def absent(self) -> int:
        return sum(1 for s in self.seats if s.attendance == "absent")

    @property
    def actions(self) -> list[ActionItem]:
        return self.page.actions

    @property
    def title(self) -> str:
        day = timezone.localtime(self.meeting.starts_at).date().isoformat()
        return _("Minutes: %(arena)s, %(date)s") % {"arena": self.arena.name, "date": day}

    def context(self) -> dict[str, Any]:
        return {"minutes": self, "arena": self.arena, "meeting": self.meeting, "generated_at": self.generated_at}


def meeting_for(user: Any, pk: int, mid: int) -> Meeting:
    """The meeting `mid` of arena `pk`, or 404 when the user may not see it (as `arenas:meeting`)."""
    return access.get_or_404(user, Meeting.objects.select_related(*ARENA_ROWS), pk=mid, arena_id=pk)


def attendance(member: ArenaMember, page: queries.MeetingPage) -> str:
    if member.pk in page.present:
        return "present"
    return "absent" if member.pk in page.absent else ""


def build(meeting: Meeting) -> Minutes:
    page = queries.meeting_page(meeting)
    seats = [Seat(member, attendance(member, page)) for member in page.seats]
    return Minutes(meeting.arena, meeting, page, seats, timezone.now())
