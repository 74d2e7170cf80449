"""Pages of the continuity app: roles and their holders, the import, anchoring tasks, and the county
overview of turnover."""

from django.urls import path

from . import county_views, views

app_name = "continuity"
ROLES = "kommune/<municipality:number>/roller/"
ROLE = ROLES + "<int:pk>/"
urlpatterns = [
    path(ROLES, views.roles, name="roles"),
    path(ROLES + "standard/", views.ensure_catalogue, name="ensure_catalogue"),
    path(ROLES + "ny/", views.add_role, name="add_role"),
    path(ROLES + "import/", views.import_holders, name="import_holders"),
    path(ROLES + "import/mal.csv", views.import_template, name="import_template"),
    path(ROLE, views.role, name="role"),
    path(ROLE + "endre/", views.edit_role, name="edit_role"),
    path(ROLE + "avslutt/", views.retire_role, name="retire_role"),
    path(ROLE + "historikk/", views.role_history, name="role_history"),
    path(ROLE + "overlevering/", views.handover, name="handover"),
    path(ROLE + "planer/", views.role_plans, name="role_plans"),
    path(ROLE + "ny-innehaver/", views.replace_holder, name="replace_holder"),
    path(ROLE + "ledig/", views.mark_vacant, name="mark_vacant"),
    path(ROLE + "innehavere/<int:hid>/", views.edit_holding, name="edit_holding"),
    path(ROLE + "innehavere/<int:hid>/trekk-tilbake/", views.withdraw_holding, name="withdraw_holding"),
    path(
        "kommune/<municipality:number>/personer/<int:pk>/anonymiser/", views.anonymise_person, name="anonymise_person"
    ),
    path("kommune/<municipality:number>/forankring/", views.tasks, name="tasks"),
    path("kommune/<municipality:number>/forankring/<int:pk>/ferdig/", views.complete_task, name="complete_task"),
    path("fylke/<county:number>/kontinuitet/", county_views.county, name="county"),
]
