"""Who may use the library pages: one case per URL name (merged into `test_access_matrix.py`).

The list is public and shows each reader only what they may see. The practice here is Sortland's,
shared within Nordland: seen by the county's municipalities (Fauske too, the outsider), its County
Governor and Husbanken, not by the public or a user organisation (404). It is changed by Sortland's
editors and the County Governor; those who see it but may not change it get 403. Sharing a practice
needs an editor role in a municipality, a County Governor or Husbanken (viewers and Marborg: 403)."""

from django.core.files.base import ContentFile

from lagspill.network.models import Practice, PracticeDocument, Visibility
from lagspill.places.models import Municipality

from .access_support import EVERYONE, LOGIN, Case, as_post
from .builders import ROLES, World

COUNTY_SHARED = {
    **EVERYONE,
    "anonymous": 404,
    "user_org": 404,
}
CHANGE = {
    **COUNTY_SHARED,
    "anonymous": LOGIN,
    "outsider": 403,
    "viewer": 403,
    "housing_bank": 403,
}
SHARE = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": LOGIN,
    "outsider": 200,
    "editor": 200,
    "admin": 200,
    "county_governor": 200,
    "superuser": 200,
}
# An upload without a file: the form comes back with its error (400) to those who may add documents.
UPLOAD = {**CHANGE, **dict.fromkeys(("editor", "admin", "county_governor", "superuser"), 400)}


def practice(w: World) -> dict:
    sortland = Municipality.objects.select_related("county").get(number="1870")
    found = Practice.objects.create(
        county=sortland.county,
        municipality=sortland,
        organisation=w.sortland,
        title="Boligforum",
        summary="Et fast tverrfaglig møte.",
        visibility=Visibility.COUNTY,
    )
    return {"pk": found.pk}


def document(w: World) -> dict:
    kwargs = practice(w)
    found = PracticeDocument(
        practice_id=kwargs["pk"],
        title="Referat",
        original_name="referat.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=w.users["editor"],
    )
    found.file.save("referat.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    found.save()
    return {**kwargs, "doc": found.pk}


CASES: dict[str, Case] = {
    "network:library": Case(EVERYONE, data={"q": "forum"}),
    "network:new_practice": Case(SHARE),
    "network:practice": Case(COUNTY_SHARED, practice),
    "network:edit_practice": Case(CHANGE, practice),
    "network:withdraw_practice": Case(as_post(CHANGE), practice, "post"),
    "network:add_practice_document": Case(UPLOAD, practice, "post"),
    "network:practice_document": Case(COUNTY_SHARED, document),
    "network:withdraw_practice_document": Case(as_post(CHANGE), document, "post"),
    # The read API lists what each reader may see, like the page.
    "api:practices": Case(EVERYONE, data={"q": "forum", "kommune": "1870"}),
}
