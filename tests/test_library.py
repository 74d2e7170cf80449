"""The experience library: sharing a practice (who, for where), changing it with its tags, withdrawing
it, its documents, what each reader sees (public, within the county, withdrawn; the contact role's
holder), search and filters on the list, history with who, refused input that changes nothing,
bounded queries, the "what similar municipalities did" card, and the demo. Sortland (1870) is the
own municipality, Fauske (1841) the outsider's in the same county (Nordland)."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lagspill.continuity.demo import ensure_demo_continuity
from lagspill.continuity.models import Department, Holding, Person, Role
from lagspill.indicators.models import Neighbours
from lagspill.network import library_actions as actions
from lagspill.network import library_demo, suggestions
from lagspill.network.models import Practice, PracticeDocument, PracticeTag, Visibility
from lagspill.organisations import access
from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Kind, Organisation
from lagspill.places.models import County, Municipality

from .builders import World, make_user, member, municipality_org

LIBRARY = "/erfaringer/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def client_for(user: object | None) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def place(number: str) -> Municipality:
    return Municipality.objects.select_related("county").get(number=number)


def share(
    world: World,
    title: str = "Boligforum på tvers av etatene",
    *,
    number: str = "1870",
    visibility: str = Visibility.COUNTY,
    tags: list[tuple[str, str]] | None = None,
    **fields: Any,
) -> Practice:
    municipality = place(number)
    data = {
        "title": title,
        "summary": fields.pop("summary", "Et fast møte hver måned med NAV, helse og eiendom."),
        "result": fields.pop("result", ""),
        "lessons": fields.pop("lessons", ""),
        "year": fields.pop("year", 2023),
        "contact_role": fields.pop("contact_role", None),
        "visibility": visibility,
        "tags": tags or [],
    }
    return actions.create_practice(
        data,
        organisation=municipality_org(number),
        county=municipality.county,
        municipality=municipality,
        by=world.users["editor"],
        **fields,
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Startlån til barnefamilier som leier",
        "summary": "Boligkoordinatoren gikk gjennom ventelisten sammen med NAV.",
        "result": "Flere familier kjøpte egen bolig.",
        "lessons": "Start tidlig med veiledningen.",
        "year": "2024",
        "visibility": Visibility.COUNTY,
        "suksessfaktor": ["strategi", "okonomi"],
        "malgruppe": ["barnefamilier"],
        "planniva": ["boligplan"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def held_role(number: str = "1870", name: str = "Kari Nordmann", email: str = "kari@sortland.kommune.no") -> Role:
    municipality = place(number)
    role = Role.objects.create(municipality=municipality, name="Boligkoordinator", department=Department.HOUSING)
    person = Person.objects.create(municipality=municipality, name=name, email=email)
    Holding.objects.create(role=role, person=person, starts_on=datetime.date(2020, 1, 1))
    return role


# Sharing a practice


@pytest.mark.django_db
def test_an_editor_shares_a_practice_with_tags_and_a_contact_role(world: World) -> None:
    role = held_role()
    editor = client_for(world.users["editor"])
    page = editor.get(reverse("network:new_practice"))
    assert page.status_code == 200
    assert "Boligkoordinator" in page.content.decode()  # the municipality's own roles are offered

    response = editor.post(
        reverse("network:new_practice"),
        form_data(organisation=world.sortland.pk, contact_role=role.pk),
    )
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert (practice.organisation, practice.municipality.number, practice.county.number) == (
        world.sortland,
        "1870",
        "18",
    )
    assert practice.contact_role == role and practice.created_by == world.users["editor"]
    assert {(t.kind, t.code) for t in practice.tags.all()} == {
        ("suksessfaktor", "strategi"),
        ("suksessfaktor", "okonomi"),
        ("malgruppe", "barnefamilier"),
        ("planniva", "boligplan"),
    }
    assert practice.history.get().history_user == world.users["editor"]
    assert all(t.history.get().history_user == world.users["editor"] for t in practice.tags.all())

    shown = editor.get(practice.get_absolute_url()).content.decode()
    for text in ("Startlån til barnefamilier som leier", "Households with children", "Housing plan", "Strategy"):
        assert text in shown
    assert "kari@sortland.kommune.no" in shown  # the editor sees who holds the role


@pytest.mark.django_db
def test_the_county_governor_shares_for_a_municipality_of_its_county(world: World) -> None:
    governor = client_for(world.users["county_governor"])
    response = governor.post(
        reverse("network:new_practice"),
        form_data(organisation=world.county_governor.pk, municipality=place("1865").pk, county=""),
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.organisation == world.county_governor and practice.municipality.number == "1865"
    assert practice.county.number == "18"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "Give the practice a title."),
        ({"summary": ""}, "Write what was done."),
        ({"year": "1800"}, "greater than or equal to 1990"),
        ({"year": "toti"}, "Give the year as four digits."),
        ({"suksessfaktor": ["finnes-ikke"]}, "Select a valid choice"),
        ({"visibility": "hemmelig"}, "Select a valid choice"),
        ({"municipality": "FAUSKE"}, "A municipality shares its own practices"),
        ({"county": "OTHER"}, "Select a valid choice"),
        ({"organisation": "OTHER_ORG"}, "Select a valid choice"),
        ({"contact_role": "FAUSKE_ROLE"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    world: World, overrides: dict[str, Any], message: str
) -> None:
    fauske_role = held_role("1841", "Frida", "frida@fauske.kommune.no")
    other_org = Organisation.objects.create(
        slug="sf-troms", name="SF Troms", kind=Kind.COUNTY_GOVERNOR, county=County.objects.get(number="55")
    )
    values = {
        "FAUSKE": place("1841").pk,
        "OTHER": County.objects.get(number="55").pk,
        "OTHER_ORG": other_org.pk,
        "FAUSKE_ROLE": fauske_role.pk,
    }
    overrides = {key: values.get(value, value) if isinstance(value, str) else value for key, value in overrides.items()}
    response = client_for(world.users["editor"]).post(
        reverse("network:new_practice"), form_data(**{"organisation": world.sortland.pk, **overrides})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Practice.objects.exists() and not PracticeTag.objects.exists()


@pytest.mark.django_db
def test_the_actions_refuse_what_the_form_would_not_offer(world: World) -> None:
    fauske_role = held_role("1841", "Frida", "frida@fauske.kommune.no")
    with pytest.raises(ValidationError):
        share(world, contact_role=fauske_role)  # a role of another municipality
    with pytest.raises(ValidationError):
        share(world, tags=[("suksessfaktor", "tull")])
    with pytest.raises(ValidationError):  # Sortland's organisation for Fauske
        actions.create_practice(
            {"title": "X", "summary": "Y", "visibility": Visibility.PUBLIC},
            organisation=world.sortland,
            county=place("1841").county,
            municipality=place("1841"),
            by=world.users["editor"],
        )
    with pytest.raises(ValidationError):  # a user organisation does not share practices
        actions.create_practice(
            {"title": "X", "summary": "Y", "visibility": Visibility.PUBLIC},
            organisation=world.user_org,
            county=place("1870").county,
            municipality=None,
            by=world.users["user_org"],
        )
    assert not Practice.objects.exists()


@pytest.mark.django_db
def test_who_may_share(world: World) -> None:
    url = reverse("network:new_practice")
    assert client_for(world.users["viewer"]).get(url).status_code == 403
    assert client_for(world.users["user_org"]).get(url).status_code == 403
    assert client_for(world.users["housing_bank"]).get(url).status_code == 403  # a viewer at Husbanken
    assert "/konto/login/" in client_for(None).get(url)["Location"]
    # Fauske's editor shares as Fauske, for Fauske only.
    outsider = client_for(world.users["outsider"])
    assert outsider.post(url, form_data(organisation=world.sortland.pk)).status_code == 400
    assert outsider.post(url, form_data(organisation=world.fauske.pk)).status_code == 302
    assert Practice.objects.get().municipality.number == "1841"
    # The list offers the button only to those who may share.
    assert "Share a practice" in client_for(world.users["editor"]).get(LIBRARY).content.decode()
    assert "Share a practice" not in client_for(world.users["viewer"]).get(LIBRARY).content.decode()


# Changing, withdrawing, history


@pytest.mark.django_db
def test_changing_a_practice_keeps_who_changed_what(world: World) -> None:
    practice = share(world, tags=[("suksessfaktor", "strategi")])
    governor = client_for(world.users["county_governor"])
    edit = reverse("network:edit_practice", args=[practice.pk])
    assert "strategi" in governor.get(edit).content.decode()
    response = governor.post(
        edit,
        form_data(title="Boligforum hver måned", suksessfaktor=["organisering"], malgruppe=[], planniva=[]),
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Boligforum hver måned"
    assert {(t.kind, t.code) for t in practice.tags.all()} == {("suksessfaktor", "organisering")}
    assert practice.history.first().history_user == world.users["county_governor"]

    page = client_for(world.users["outsider"]).get(practice.get_absolute_url()).content.decode()
    assert "History of changes" in page  # the county's network sees who changed what
    for text in ("Boligforum på tvers av etatene", "Boligforum hver måned", "Organisation", "Strategy", "<td>sf</td>"):
        assert text in page
    actions.update_practice(practice, {"visibility": Visibility.PUBLIC}, by=world.users["editor"])
    public = client_for(None).get(practice.get_absolute_url()).content.decode()
    assert "Boligforum hver måned" in public and "History of changes" not in public  # not the public


@pytest.mark.django_db
def test_a_bad_change_changes_nothing(world: World) -> None:
    practice = share(world, tags=[("suksessfaktor", "strategi")])
    response = client_for(world.users["editor"]).post(
        reverse("network:edit_practice", args=[practice.pk]), form_data(title="", suksessfaktor=["okonomi"])
    )
    assert response.status_code == 400 and "Give the practice a title." in response.content.decode()
    practice.refresh_from_db()
    assert practice.title == "Boligforum på tvers av etatene"
    assert [t.code for t in practice.tags.all()] == ["strategi"]
    assert practice.history.count() == 1


@pytest.mark.django_db
def test_a_withdrawn_practice_is_kept_for_those_who_change_it(world: World) -> None:
    practice = share(world, "Tverrfaglig boligforum", visibility=Visibility.PUBLIC)
    editor = client_for(world.users["editor"])
    assert editor.post(reverse("network:withdraw_practice", args=[practice.pk])).status_code == 302
    practice.refresh_from_db()
    assert practice.withdrawn_at is not None
    assert practice.history.first().history_user == world.users["editor"]

    for user in (None, world.users["outsider"], world.users["viewer"], world.users["housing_bank"]):
        assert client_for(user).get(practice.get_absolute_url()).status_code == 404
        assert "Tverrfaglig boligforum" not in client_for(user).get(LIBRARY).content.decode()
    page = editor.get(practice.get_absolute_url()).content.decode()
    assert "was withdrawn on" in page and "Change the practice" not in page
    # Changes are refused; withdrawing again changes nothing.
    assert editor.get(reverse("network:edit_practice", args=[practice.pk])).status_code == 302
    with pytest.raises(ValidationError):
        actions.update_practice(practice, {"title": "Nytt"}, by=world.users["editor"])
    editor.post(reverse("network:withdraw_practice", args=[practice.pk]))
    assert Practice.history.filter(id=practice.pk).count() == 2


# Who sees what


@pytest.mark.django_db
def test_public_practices_are_open_and_county_ones_stay_in_the_county(world: World) -> None:
    share(world, "Åpen praksis", visibility=Visibility.PUBLIC)
    county = share(world, "Praksis i fylket", visibility=Visibility.COUNTY)
    troms = Organisation.objects.create(
        slug="tromso", name="Tromsø kommune", kind=Kind.MUNICIPALITY, municipality=place("5501")
    )
    elsewhere = actions.create_practice(
        {"title": "Praksis i Troms", "summary": "Noe.", "visibility": Visibility.COUNTY},
        organisation=troms,
        county=place("5501").county,
        municipality=place("5501"),
        by=None,
    )

    def listed(user: object | None) -> set[str]:
        page = client_for(user).get(LIBRARY).content.decode()
        return {title for title in ("Åpen praksis", "Praksis i fylket", "Praksis i Troms") if title in page}

    assert listed(None) == {"Åpen praksis"}
    assert listed(world.users["user_org"]) == {"Åpen praksis"}
    for role in ("outsider", "viewer", "county_governor"):
        assert listed(world.users[role]) == {"Åpen praksis", "Praksis i fylket"}, role
    assert listed(world.users["housing_bank"]) == {"Åpen praksis", "Praksis i fylket", "Praksis i Troms"}
    assert client_for(None).get(county.get_absolute_url()).status_code == 404
    assert client_for(world.users["user_org"]).get(county.get_absolute_url()).status_code == 404
    assert client_for(world.users["outsider"]).get(county.get_absolute_url()).status_code == 200
    assert client_for(world.users["editor"]).get(elsewhere.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_contact_roles_holder_is_shown_only_to_those_who_see_the_municipalitys_working_material(
    world: World,
) -> None:
    practice = share(world, visibility=Visibility.PUBLIC, contact_role=held_role())
    for user in (None, world.users["outsider"], world.users["user_org"]):
        page = client_for(user).get(practice.get_absolute_url()).content.decode()
        assert "Boligkoordinator" in page
        assert "Kari Nordmann" not in page and "kari@sortland.kommune.no" not in page
    for role in ("viewer", "county_governor", "housing_bank"):
        page = client_for(world.users[role]).get(practice.get_absolute_url()).content.decode()
        assert "Kari Nordmann" in page and "mailto:kari@sortland.kommune.no" in page, role


# The list: search, filters, count


@pytest.mark.django_db
def test_the_list_searches_filters_and_counts(world: World) -> None:
    share(
        world,
        "Startlån til barnefamilier",
        summary="NAV gikk gjennom ventelisten.",
        tags=[("malgruppe", "barnefamilier")],
    )
    share(world, "Tverrfaglig boligforum", number="1841", tags=[("suksessfaktor", "organisering")])
    share(world, "Planstrategi med boligsosialt fokus", number="1865", tags=[("planniva", "planstrategi")])
    viewer = client_for(world.users["viewer"])

    def titles(**query: str) -> list[str]:
        page = viewer.get(LIBRARY, query).content.decode()
        return [t for t in ("Startlån til barnefamilier", "Tverrfaglig boligforum", "Planstrategi med") if t in page]

    assert len(titles()) == 3
    assert "3 practices." in viewer.get(LIBRARY).content.decode()
    assert titles(q="ventelisten") == ["Startlån til barnefamilier"]
    found = viewer.get(LIBRARY, {"q": "ventelisten"}).content.decode()
    assert "1 practice matches “ventelisten”." in found and "<mark>ventelisten</mark>" in found
    assert titles(q="sykehjem") == []
    assert "No practices match" in viewer.get(LIBRARY, {"q": "sykehjem"}).content.decode()
    assert titles(malgruppe="barnefamilier") == ["Startlån til barnefamilier"]
    assert titles(suksessfaktor="organisering") == ["Tverrfaglig boligforum"]
    assert titles(planniva="planstrategi") == ["Planstrategi med"]
    assert titles(kommune="1841") == ["Tverrfaglig boligforum"]
    assert len(titles(fylke="18")) == 3 and titles(fylke="55") == []
    assert titles(q="boligforum", suksessfaktor="strategi") == []
    # A value that is not a choice is ignored, not an error; the filters stay in the form.
    assert len(titles(suksessfaktor="tull", kommune="9999")) == 3
    page = viewer.get(LIBRARY, {"q": "ventelisten", "malgruppe": "barnefamilier"}).content.decode()
    assert 'value="ventelisten"' in page and '<option value="barnefamilier" selected>' in page


@pytest.mark.django_db
def test_the_list_pages_through_many_results(world: World) -> None:
    for index in range(23):
        share(world, f"Praksis nummer {index}")
    viewer = client_for(world.users["viewer"])
    first = viewer.get(LIBRARY).content.decode()
    assert "23 practices." in first and "Page 1 of 2" in first and "?side=2" in first
    second = viewer.get(LIBRARY, {"side": "2"}).content.decode()
    assert second.count("Praksis nummer") == 3


# Documents


@pytest.mark.django_db
def test_documents_are_added_downloaded_and_withdrawn(world: World) -> None:
    practice = share(world, visibility=Visibility.PUBLIC)
    editor = client_for(world.users["editor"])
    add = reverse("network:add_practice_document", args=[practice.pk])
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    assert editor.post(add, {"title": "Sluttrapport", "file": upload}).status_code == 302
    document = PracticeDocument.objects.get()
    assert (document.title, document.original_name, document.content_type) == (
        "Sluttrapport",
        "plan.pdf",
        "application/pdf",
    )
    assert document.history.get().history_user == world.users["editor"]

    download = client_for(None).get(document.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    assert "Sluttrapport" in client_for(None).get(practice.get_absolute_url()).content.decode()

    withdraw = reverse("network:withdraw_practice_document", args=[practice.pk, document.pk])
    assert client_for(world.users["outsider"]).post(withdraw).status_code == 403
    assert editor.post(withdraw).status_code == 302
    assert client_for(None).get(document.get_absolute_url()).status_code == 404
    assert "Sluttrapport" not in client_for(None).get(practice.get_absolute_url()).content.decode()
    # … nor in the history a reader elsewhere in the county sees.
    assert "Sluttrapport" not in client_for(world.users["outsider"]).get(practice.get_absolute_url()).content.decode()
    assert editor.get(document.get_absolute_url()).status_code == 200  # kept for those who change it
    history = editor.get(practice.get_absolute_url()).content.decode()
    assert "Document" in history and "withdrawn" in history


@pytest.mark.django_db
def test_a_refused_file_stores_nothing(world: World) -> None:
    practice = share(world)
    editor = client_for(world.users["editor"])
    add = reverse("network:add_practice_document", args=[practice.pk])
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary", content_type="application/pdf")
    response = editor.post(add, {"title": "Skadelig", "file": fake})
    assert response.status_code == 400 and "This kind of file is not accepted" in response.content.decode()
    assert editor.post(add, {"title": "Uten fil"}).status_code == 400
    assert not PracticeDocument.objects.exists()
    # Another practice's document is not reached through this one's address.
    other = share(world, "Annen praksis")
    document = actions.add_document(
        other, title="Notat", upload=SimpleUploadedFile("n.txt", b"notat"), by=world.users["editor"]
    )
    assert editor.get(reverse("network:practice_document", args=[practice.pk, document.pk])).status_code == 404


# Queries


def queries_for(client: Client, url: str, **query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def grow(world: World, count: int, offset: int = 0) -> None:
    role = Role.objects.filter(municipality__number="1870").first()
    for index in range(count):
        practice = share(
            world,
            f"Boligforum {offset + index}",
            contact_role=role,
            tags=[("suksessfaktor", "strategi"), ("malgruppe", "alle")],
            visibility=Visibility.PUBLIC,
        )
        actions.update_practice(practice, {"title": f"Boligforum {offset + index}!"}, by=world.users["editor"])
        actions.add_document(
            practice, title="Notat", upload=SimpleUploadedFile("n.txt", b"notat"), by=world.users["editor"]
        )


@pytest.mark.django_db
def test_pages_run_a_fixed_number_of_queries(world: World) -> None:
    held_role()
    grow(world, 2)
    editor, anonymous = client_for(world.users["editor"]), client_for(None)
    first = Practice.objects.order_by("pk").first()

    def measure_all() -> list[int]:
        return [
            queries_for(editor, LIBRARY),
            queries_for(anonymous, LIBRARY),
            queries_for(editor, LIBRARY, q="boligforum", suksessfaktor="strategi", fylke="18"),
            queries_for(editor, first.get_absolute_url()),
            queries_for(anonymous, first.get_absolute_url()),
            queries_for(editor, "/kommune/1841/"),
        ]

    few = measure_all()
    grow(world, 8, offset=10)
    for index in range(5):  # more history, tags and documents on the practice itself
        actions.update_practice(first, {"title": f"Forum {index}", "tags": [("planniva", "boligplan")]}, by=None)
        actions.update_practice(first, {"tags": []}, by=None)
        actions.add_document(first, title="Mer", upload=SimpleUploadedFile("m.txt", b"mer"), by=world.users["admin"])
    assert measure_all() == few


# What similar municipalities did


@pytest.mark.django_db
def test_suggestions_come_from_the_most_similar_municipalities_then_the_county(world: World) -> None:
    Neighbours.objects.update_or_create(area_code="1841", defaults={"codes": ["1870", "5501", "1824"]})
    troms = Organisation.objects.create(
        slug="tromso", name="Tromsø kommune", kind=Kind.MUNICIPALITY, municipality=place("5501")
    )
    own = share(world, "Fauskes egen", number="1841", visibility=Visibility.PUBLIC)
    county = share(world, "Vågan i fylket", number="1865", visibility=Visibility.PUBLIC)
    nearest = share(world, "Sortland nærmest", visibility=Visibility.COUNTY)
    vefsn = share(world, "Vefsn nummer tre", number="1824", visibility=Visibility.PUBLIC)
    hidden = actions.create_practice(
        {"title": "Tromsø bare i Troms", "summary": "Noe.", "visibility": Visibility.COUNTY},
        organisation=troms,
        county=place("5501").county,
        municipality=place("5501"),
        by=None,
    )
    fauske = place("1841")
    access.scope(world.users["outsider"])  # the reader's memberships, read once per request by every page
    with CaptureQueriesContext(connection) as captured:
        found = suggestions.for_municipality(world.users["outsider"], fauske, limit=5)
    assert found == [nearest, vefsn, county]  # nearest first, then the county; not its own, not Troms' private
    assert own not in found and hidden not in found
    assert len(captured) == 2  # the neighbours, the practices
    assert suggestions.for_municipality(None, fauske) == [vefsn, county]  # the public sees public ones only

    page = client_for(None).get("/kommune/1841/").content.decode()
    assert "What similar municipalities did" in page and "Vefsn nummer tre" in page
    assert "Sortland nærmest" not in page and "/erfaringer/?fylke=18" in page


@pytest.mark.django_db
def test_the_card_says_so_when_there_are_no_practices(world: World) -> None:
    page = client_for(None).get("/kommune/1870/").content.decode()
    assert "No practices from similar municipalities or the county in the experience library yet." in page


# Demo


@pytest.mark.django_db
def test_the_demo_library_is_labelled_and_made_once() -> None:
    with override_settings(DEMO=False), pytest.raises(RuntimeError):
        library_demo.ensure_demo_library()
    with override_settings(DEMO=True):
        ensure_demo()
        ensure_demo_continuity()
        made = library_demo.ensure_demo_library()
        assert library_demo.ensure_demo_library() == []
    assert len(made) == 5 and all(p.is_demo for p in made)
    assert {p.municipality.number for p in made if p.municipality} == {"1870", "1841", "1824", "1865"}
    assert all(p.summary.startswith("Demo: ") and p.lessons.startswith("Demo: ") for p in made)
    assert all(p.year is None for p in made)  # the article gives no years
    sortland = next(p for p in made if p.municipality and p.municipality.number == "1870")
    assert sortland.organisation.municipality == sortland.municipality
    assert sortland.contact_role is not None and sortland.contact_role.kind == "boligkoordinator"
    vefsn = next(p for p in made if p.municipality and p.municipality.number == "1824")
    assert vefsn.organisation.kind == Kind.COUNTY_GOVERNOR
    page = client_for(None).get(LIBRARY).content.decode()
    public = [p for p in made if p.visibility == Visibility.PUBLIC]
    assert page.count('data-color="warning">Demo</span>') == len(public)
    assert "Demo content" in client_for(None).get(sortland.get_absolute_url()).content.decode()
    assert "Egne ressurser" in client_for(None).get(LIBRARY, {"q": "ressurser"}).content.decode()


@pytest.mark.django_db
def test_a_superuser_may_share_for_any_organisation(world: World) -> None:
    root = client_for(world.users["superuser"])
    assert root.get(reverse("network:new_practice")).status_code == 200
    response = root.post(
        reverse("network:new_practice"),
        form_data(organisation=world.housing_bank.pk, county=County.objects.get(number="55").pk),
    )
    assert response.status_code == 302
    assert Practice.objects.get().county.number == "55"


@pytest.mark.django_db
def test_a_new_member_without_rights_gets_403(world: World) -> None:
    marborg_editor = member("ny@marborg.no", world.user_org, "editor")
    assert client_for(marborg_editor).get(reverse("network:new_practice")).status_code == 403
    nobody = make_user("ingen@example.org")
    assert client_for(nobody).get(reverse("network:new_practice")).status_code == 403


# The read API


@pytest.mark.django_db
def test_the_api_lists_the_practices_each_reader_may_see(world: World) -> None:
    role = held_role()
    public = share(
        world,
        "Startlån til barnefamilier",
        summary="NAV gikk gjennom ventelisten.",
        visibility=Visibility.PUBLIC,
        contact_role=role,
        tags=[("malgruppe", "barnefamilier")],
    )
    share(world, "Boligforum i fylket", summary="Et fast møte om ventelisten.", number="1841")
    withdrawn = share(world, "Trukket praksis", visibility=Visibility.PUBLIC)
    actions.withdraw_practice(withdrawn, by=world.users["editor"])

    body = client_for(None).get("/api/erfaringer").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["municipality"], item["county"], item["visibility"]) == (
        public.pk,
        "1870",
        "18",
        "offentlig",
    )
    assert item["contact_role"] == "Boligkoordinator" and "Kari" not in str(body)  # the holder is not in the API
    assert item["tags"] == [{"kind": "malgruppe", "code": "barnefamilier", "label": "Households with children"}]
    assert item["url"].endswith(public.get_absolute_url())

    member_client = client_for(world.users["outsider"])
    assert member_client.get("/api/erfaringer").json()["count"] == 2
    found = member_client.get("/api/erfaringer", {"q": "ventelisten", "kommune": "1841"}).json()
    assert [i["title"] for i in found["items"]] == ["Boligforum i fylket"]
    assert member_client.get("/api/erfaringer", {"q": "sykehjem"}).json() == {"count": 0, "items": []}
    assert member_client.get("/api/erfaringer", {"q": '"(*-AND'}).status_code == 200
    assert client_for(None).get("/api/erfaringer", {"kommune": "18x"}).status_code == 422
    assert client_for(None).get("/api/erfaringer", {"limit": "101"}).status_code == 422
