from django.conf import settings
from django.http import HttpRequest

from lagspill.organisations.access import scope


def lagspill(request: HttpRequest) -> dict:
    return {
        "DEMO": settings.DEMO,
        "user_organisations_count": len(scope(request.user).roles),
    }
