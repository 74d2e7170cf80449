"""URL converters: codes are digits and tokens URL-safe, so odd input is a 404 before any query."""


class _Pattern:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CountyNumberConverter(_Pattern):
    regex = "[0-9]{2}"


class MunicipalityNumberConverter(_Pattern):
    regex = "[0-9]{4}"


class TokenConverter(_Pattern):
    regex = "[A-Za-z0-9_-]{20,64}"
