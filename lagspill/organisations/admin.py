from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, Membership, Organisation


class NoDeleteMixin:
    """Nothing is hard-deleted: memberships are ended and invitations revoked, keeping history."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MembershipInline(NoDeleteMixin, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    # Roles change and members leave on the members page, which keeps the last administrator.
    readonly_fields = ["role", "ended_at"]


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "county", "municipality", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at", "ended_at"]
    list_filter = ["role", "organisation__kind"]
    raw_id_fields = ["user"]
    readonly_fields = ["role", "ended_at"]


@admin.register(Invitation)
class InvitationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "revoked_at"]
    exclude = ["token"]
