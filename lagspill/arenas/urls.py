"""Pages of the arenas app: a municipality's arenas, the County Governor's county networks, and
each arena with its meetings, decisions and actions (arena addresses are not under the owner,
since an arena belongs to a municipality or a county)."""

from django.urls import path

from . import views

app_name = "arenas"
urlpatterns = [
    path("kommune/<municipality:number>/arenaer/", views.municipality_arenas, name="municipality_arenas"),
    path("kommune/<municipality:number>/arenaer/ny/", views.new_arena, name="new_arena"),
    path("kommune/<municipality:number>/arenaer/vedtak/", views.decisions, name="decisions"),
    path("kommune/<municipality:number>/arenaer/oppfolging/", views.open_actions, name="open_actions"),
    path("fylke/<county:number>/nettverk/", views.county_networks, name="county_networks"),
    path("fylke/<county:number>/nettverk/ny/", views.new_network, name="new_network"),
    path("arenaer/<int:pk>/", views.arena, name="arena"),
    path("arenaer/<int:pk>/endre/", views.edit_arena, name="edit_arena"),
    path("arenaer/<int:pk>/avslutt/", views.close_arena, name="close_arena"),
    path("arenaer/<int:pk>/historikk/", views.arena_history, name="arena_history"),
    path("arenaer/<int:pk>/medlemmer/", views.add_member, name="add_member"),
    path("arenaer/<int:pk>/medlemmer/<int:mid>/avslutt/", views.end_membership, name="end_membership"),
    path("arenaer/<int:pk>/moter/nytt/", views.new_meeting, name="new_meeting"),
    path("arenaer/<int:pk>/moter/<int:mid>/", views.meeting, name="meeting"),
    path("arenaer/<int:pk>/moter/<int:mid>/endre/", views.edit_meeting, name="edit_meeting"),
    path("arenaer/<int:pk>/moter/<int:mid>/referat/", views.edit_minutes, name="edit_minutes"),
    path("arenaer/<int:pk>/moter/<int:mid>/avlys/", views.cancel_meeting, name="cancel_meeting"),
    path("arenaer/<int:pk>/moter/<int:mid>/vedtak/", views.add_decision, name="add_decision"),
    path("arenaer/<int:pk>/moter/<int:mid>/oppfolging/", views.add_action, name="add_action"),
    path("arenaer/<int:pk>/vedtak/<int:did>/trekk-tilbake/", views.withdraw_decision, name="withdraw_decision"),
    path("arenaer/<int:pk>/oppfolging/<int:aid>/", views.update_action, name="update_action"),
    path("arenaer/<int:pk>/oppfolging/<int:aid>/endre/", views.edit_action, name="edit_action"),
]
