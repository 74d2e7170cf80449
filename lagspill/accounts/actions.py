from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser


def mark_email_verified(user: AbstractBaseUser) -> None:
    """The address is proven: the person opened the invitation sent to it (or it is a demo account).

    django-allauth refuses two-factor set-up while an address is unverified, so this matters.
    """
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
