"""Erasing people from the Django admin: always through account_erase, never a plain delete.

The account admin lives in kring.accounts; it is extended here because the privacy app sits on
top of every feature app (the erase service reads and changes all of them), and accounts may
not import upwards.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.accounts.admin import UserAdmin
from kring.accounts.models import User
from kring.privacy.erasure import (
    Contributions,
    account_erase,
    communities_without_facilitator_after,
)


class ErasingUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "erase_keep", "erase_remove"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a plain delete would cascade into others' content
        return actions

    def get_queryset(self, request):
        # Former members are nobody: they are not listed, and cannot be edited.
        return super().get_queryset(request).filter(erased_at__isnull=True)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="accounts_user_erase",
            ),
            *super().get_urls(),
        ]

    # The admin's delete page leads to the erase page, which asks keep or remove.
    def delete_view(self, request, object_id, extra_context=None):
        return HttpResponseRedirect(reverse("admin:accounts_user_erase", args=[object_id]))

    # Nothing in the admin reaches these any more (the delete page and action are replaced),
    # but if something does, it erases rather than deletes: keeping contributions is the choice
    # that removes nothing of other people's.
    def delete_model(self, request, obj):
        self._erase(request, [obj], Contributions.KEEP)

    def delete_queryset(self, request, queryset):
        self._erase(request, list(queryset), Contributions.KEEP)

    def _erase(self, request, people, contributions) -> int:
        done = 0
        for person in people:
            if person.pk == request.user.pk:
                self.message_user(
                    request,
                    _("You cannot erase your own account here. Use “Your data” in Kring."),
                    messages.ERROR,
                )
                continue
            try:
                account_erase(user=person, contributions=contributions, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            except PermissionDenied as error:
                self.message_user(
                    request,
                    _("You may not erase this account: %(id)s.") % {"id": person.pk}
                    + (f" {error}" if str(error) else ""),
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("Erased %(count)s account(s); contributions: %(choice)s.")
                % {"count": done, "choice": contributions},
                messages.SUCCESS,
            )
        return done

    def _confirm_action(self, request, queryset, contributions):
        if request.POST.get("confirm") == "yes":
            self._erase(request, list(queryset), contributions)
            return None
        return TemplateResponse(
            request,
            "privacy/erase_admin_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "people": list(queryset),
                "contributions": contributions,
                "action": request.POST.get("action"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "title": _("Erase accounts"),
            },
        )

    @admin.action(permissions=["delete"], description=gettext_lazy("Erase, keep contributions"))
    def erase_keep(self, request, queryset):
        return self._confirm_action(request, queryset, Contributions.KEEP)

    @admin.action(permissions=["delete"], description=gettext_lazy("Erase, remove contributions"))
    def erase_remove(self, request, queryset):
        return self._confirm_action(request, queryset, Contributions.REMOVE)

    def erase_view(self, request, object_id):
        person = self.get_object(request, object_id)
        if person is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_delete_permission(request, person):
            raise PermissionDenied
        error = ""
        if request.method == "POST":
            choice = request.POST.get("contributions")
            if choice not in {c.value for c in Contributions}:
                error = _("Choose whether to keep or remove the contributions.")
            elif self._erase(request, [person], choice):
                return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))
            else:
                return HttpResponseRedirect(request.path)
        return TemplateResponse(
            request,
            "privacy/erase_admin_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "people": [person],
                "single": True,
                "sole_facilitator_of": communities_without_facilitator_after(person),
                "error": error,
                "title": _("Erase an account"),
            },
            status=422 if error else 200,
        )


admin.site.unregister(User)
admin.site.register(User, ErasingUserAdmin)
