"""Database routing for an optional read replica (DATABASE_REPLICA_URL).

Reads go to the replica only while `replica_reads` is set, which
`newsroom.middleware.ReplicaReadsMiddleware` does for the span of one
anonymous request for a public page (feeds, articles, search, RSS/Atom,
sitemaps). Everything else, every write, and every read by a logged-in
person, a form post or the admin, uses the primary.
"""

from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"

replica_reads = ContextVar("replica_reads", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: objects from either may relate.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by replication, never by migrations.
        return db == PRIMARY
