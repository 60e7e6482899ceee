"""Article revisions in the admin: history, a readable diff, restore."""

from simple_history.admin import SimpleHistoryAdmin


class RevisionsAdminMixin(SimpleHistoryAdmin):
    pass
