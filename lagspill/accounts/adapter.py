from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Lagspill through an organisation's invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect (ID-porten, Entra ID) logs in people who already have an account."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
