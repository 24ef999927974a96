"""Signing in, with the delegate read in the same query as the user.

Every signed-in request reads its user (``AuthenticationMiddleware``), and
nearly every one then asks which delegate that person is
(``assembly.predicates.delegate_of``): two queries, each the cost of a
ballot's own write. ``DelegateModelBackend`` reads both at once, with the
partner's organisation, room and assembly that the rules and pages use.

Building that statement (five joined tables) cost Django more than running it:
it is compiled once per process and database, and each request runs it and
turns the row into objects as Django's own ``ModelIterable`` does. Sessions
opened before this backend (with Django's ``ModelBackend``, still listed after
it in ``AUTHENTICATION_BACKENDS``) keep working, with the two queries.
"""

from __future__ import annotations

import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models.query import get_related_populators

from assembly.models import Delegate
from assembly.predicates import DELEGATE_ATTR

PATH = "assembly.backends.DelegateModelBackend"
RELATED = ("delegate__partner__organisation", "delegate__partner__room",
           "delegate__partner__assembly")

_compiled: dict[str, tuple] = {}
_lock = threading.Lock()


def _statement(alias: str):
    """(compiler, SQL, converters) of the user-with-delegate query, compiled
    once: finding the converters of its fifty columns cost a request more than
    running the statement."""
    found = _compiled.get(alias)
    if found is None:
        with _lock:
            found = _compiled.get(alias)
            if found is None:
                query = (get_user_model()._default_manager.using(alias)
                         .select_related(*RELATED).filter(pk=0).query)
                compiler = query.get_compiler(using=alias)
                sql, params = compiler.as_sql()
                if list(params) != [0]:  # the pk is the statement's only value
                    raise RuntimeError(f"unexpected parameters {params!r}")
                columns = [s[0] for s in compiler.select[0:compiler.col_count]]
                converters = compiler.get_converters(columns)
                found = _compiled[alias] = (compiler, sql, converters)
    return found


def load_user(user_id):
    """The user ``user_id`` with their delegate (or None) loaded, or None."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = router.db_for_read(model)
    compiler, sql, converters = _statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    # As ``compiler.results_iter`` does, with the converters found once.
    row = rows[0]
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    user = model.from_db(alias, init_list, row[start:end])
    for populator in get_related_populators(klass_info, select, alias):
        populator.populate(row, user)
    return user


class DelegateModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = load_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        try:
            delegate = user.delegate
        except Delegate.DoesNotExist:
            delegate = None
        setattr(user, DELEGATE_ATTR, delegate)
        return user
