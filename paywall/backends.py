"""Loading the logged-in reader for each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .access import with_subscription_known


class ReaderBackend(ModelBackend):
    """Django's ModelBackend, except that the user comes from the database
    with the answer to "does a subscription cover this moment?" (asked by
    paywall.access.is_subscriber) in the same query: a member's every page
    costs one query fewer. Logins made before it was listed keep working
    through ModelBackend, listed after it."""

    def get_user(self, user_id):
        users = with_subscription_known(get_user_model()._default_manager.all())
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
