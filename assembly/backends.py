"""Signing in, with the delegate read in the same query as the user.

Every signed-in request reads its user (``AuthenticationMiddleware``), and
nearly every one then asks which delegate that person is
(``assembly.predicates.delegate_of``): two queries, each the cost of a
ballot's own write. ``DelegateModelBackend`` reads both at once. Sessions
opened before it (with Django's ``ModelBackend``, still listed after it in
``AUTHENTICATION_BACKENDS``) keep working, with the two queries.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from assembly.models import Delegate

PATH = "assembly.backends.DelegateModelBackend"


class DelegateModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            self._users()
            .select_related("delegate__partner__organisation", "delegate__partner__room",
                            "delegate__partner__assembly")
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        try:
            user._samatcha_delegate = user.delegate
        except Delegate.DoesNotExist:
            user._samatcha_delegate = None
        return user

    @staticmethod
    def _users():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager
