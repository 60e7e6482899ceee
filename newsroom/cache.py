"""Django's Redis cache backend, with the calls a page makes kept short.

Django's RedisCacheClient makes a new redis.Redis object for every cache
call; redis-py fills a table of some 170 response callbacks in each one,
which costs more than the round trip to Redis itself (about 150 µs against
70 µs here). A page-cache hit makes one call, so that was most of its cost.
A redis.Redis object is safe to share between threads (it takes a
connection from its pool for each command), so one per pool is kept.

The three calls every page makes (`get`, `get_many`, `set`: the page cache's
lookup and store, the session's read) skip redis.Redis altogether and go
straight to a connection this thread holds. redis-py's command path (the
pool's lock and bookkeeping, its metrics hooks, the retry wrapper) costs
about 40 µs of CPU per command over the connection's own send and read, and
a page-cache miss makes two commands in about a millisecond. The page
cache's lookup, which also counts how often its address was asked for
(`get_many_and_count`), takes that path too, its commands sent together.
Everything else (deletes, counters, the limits' scripts) goes through
redis.Redis.
"""

import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        # {id(pool): connection} for each thread. A connection is made by
        # the pool's own class and options but never enters the pool: when
        # the thread ends (the development server runs one per request),
        # its connection goes with it and closes.
        self._held = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get(self, key, default):
        value = self._command(False, "GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        if not keys:
            return {}
        values = self._command(False, "MGET", *keys)
        return {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }

    def set(self, key, value, timeout):
        if timeout == 0:
            self._command(True, "DEL", key)
        elif timeout is None:
            self._command(True, "SET", key, self._serializer.dumps(value))
        else:
            self._command(True, "SET", key, self._serializer.dumps(value), "EX", timeout)

    def get_many_and_count(self, keys, counter, timeout):
        """MGET `keys`, and INCR `counter` with its expiry set `timeout`
        seconds ahead, sent together: one round trip for both. The values
        found, and the counter's new value."""
        values, count, _ = self._pipeline(
            ("MGET", *keys), ("INCR", counter), ("EXPIRE", counter, timeout)
        )
        found = {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }
        return found, count

    def _command(self, write, *command):
        """One command on this thread's connection, and its reply. A
        connection that broke while idle (Redis restarted) is made again and
        the command tried once more, as redis.Redis would; one that timed
        out is not: a slow cache is skipped, not waited for twice."""
        pool = self._get_connection_pool(write)
        try:
            return self._send(pool, command)
        except self._lib.ConnectionError:
            return self._send(pool, command)

    def _send(self, pool, command):
        connection = self._connection(pool)
        try:
            connection.send_command(*command)
            return connection.read_response()
        except self._lib.ResponseError:
            # Redis refused the command; the connection is in step.
            raise
        except BaseException:
            # Closed, so that no half-read reply reaches the next command.
            connection.disconnect()
            raise

    def _pipeline(self, *commands):
        """`commands` sent in one write to the primary, and their replies:
        each is read, a refused one too, so that the connection stays in
        step. Retried once on a new connection, as `_command` is."""
        pool = self._get_connection_pool(True)
        try:
            return self._send_all(pool, commands)
        except self._lib.ConnectionError:
            return self._send_all(pool, commands)

    def _send_all(self, pool, commands):
        connection = self._connection(pool)
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            replies, refused = [], None
            for _ in commands:
                try:
                    replies.append(connection.read_response())
                except self._lib.ResponseError as error:
                    refused = refused or error
                    replies.append(None)
        except BaseException:
            connection.disconnect()
            raise
        if refused is not None:
            raise refused
        return replies

    def _connection(self, pool):
        connection = self._held.__dict__.get(id(pool))
        # A forked worker makes its own: the parent's socket is the parent's.
        if connection is None or connection.pid != os.getpid():
            connection = pool.connection_class(**pool.connection_kwargs)
            self._held.__dict__[id(pool)] = connection
        return connection


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_many_and_count(self, keys, counter, timeout):
        """get_many(keys), and `counter` counted once more, its count kept
        `timeout` seconds from now, in one round trip: ({key: value}, the
        new count). The page cache's lookup (reading/cache.py)."""
        key_map = {self.make_and_validate_key(key): key for key in keys}
        found, count = self._cache.get_many_and_count(
            list(key_map), self.make_and_validate_key(counter), self.get_backend_timeout(timeout)
        )
        return {key_map[key]: value for key, value in found.items()}, count

    def validate_key(self, key):
        """Nothing to check: Redis takes any key. Django's check warns of
        what memcached refuses, looking at every character of every key
        (the page cache's are a hundred long, four on a miss)."""
