from django.conf import settings
from django.http import HttpRequest

from lagspill.organisations.access import current_organisation, scope


def lagspill(request: HttpRequest) -> dict:
    return {
        "DEMO": settings.DEMO,
        "current_organisation": current_organisation(request),
        "has_several_organisations": len(scope(request.user).organisations) > 1,
    }
