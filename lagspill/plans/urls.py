"""Plan register, plan pages, documents and assessments; the county overview and the criteria
sets have their own URL files (county_urls.py, criteria_urls.py), included here."""

from django.urls import include, path

from . import goal_views, views

app_name = "plans"
urlpatterns = [
    path("kommune/<municipality:number>/planer/", views.register, name="register"),
    path("kommune/<municipality:number>/planer/ny/", views.new_plan, name="new_plan"),
    path("kommune/<municipality:number>/planer/<int:pk>/", views.plan, name="plan"),
    path("kommune/<municipality:number>/planer/<int:pk>/endre/", views.edit_plan, name="edit_plan"),
    path("kommune/<municipality:number>/planer/<int:pk>/trekk-tilbake/", views.withdraw_plan, name="withdraw_plan"),
    path("kommune/<municipality:number>/planer/<int:pk>/historikk/", views.plan_history, name="plan_history"),
    path("kommune/<municipality:number>/planer/<int:pk>/dokumenter/", views.upload_document, name="upload_document"),
    path("kommune/<municipality:number>/planer/<int:pk>/dokumenter/<int:doc>/", views.document, name="document"),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/dokumenter/<int:doc>/trekk-tilbake/",
        views.withdraw_document,
        name="withdraw_document",
    ),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/vurdering/ny/", views.start_assessment, name="start_assessment"
    ),
    path("kommune/<municipality:number>/planer/<int:pk>/vurdering/<int:aid>/", views.assessment, name="assessment"),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/vurdering/<int:aid>/kommentar/",
        views.comment,
        name="comment",
    ),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/vurdering/<int:aid>/publiser/",
        views.publish,
        name="publish",
    ),
    # After kommentar/ and publiser/: a side is any other path segment (egen, statsforvalter).
    path(
        "kommune/<municipality:number>/planer/<int:pk>/vurdering/<int:aid>/<str:side>/",
        views.score_form,
        name="score",
    ),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/vurdering/<int:aid>/<str:side>/ferdig/",
        views.mark_done,
        name="mark_done",
    ),
    path("kommune/<municipality:number>/planer/<int:pk>/mal/ny/", goal_views.new_goal, name="new_goal"),
    path("kommune/<municipality:number>/planer/<int:pk>/mal/<int:goal>/endre/", goal_views.edit_goal, name="edit_goal"),
    path(
        "kommune/<municipality:number>/planer/<int:pk>/mal/<int:goal>/avslutt/",
        goal_views.retire_goal,
        name="retire_goal",
    ),
    path("planer/metode/", views.method, name="method"),
    path("", include("lagspill.plans.county_urls")),
    path("", include("lagspill.plans.criteria_urls")),
]
