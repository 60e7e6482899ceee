"""The cache's Redis client: the page's calls on a connection each thread
holds, which outlives a Redis restart and is never shared between threads."""

import os
import socket
import threading

import pytest
import redis

from newsroom.cache import ReusingRedisCache

REDIS_URL = os.environ.get("REDIS_URL")

needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set; CI sets it")


@pytest.fixture
def shared_cache():
    cache = ReusingRedisCache(
        REDIS_URL,
        {
            "KEY_PREFIX": "redis-client-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )
    yield cache
    cache.clear()


def held_connection_id(cache):
    """The Redis client id of this thread's own connection."""
    client = cache._cache
    connection = client._connection(client._get_connection_pool(False))
    connection.send_command("CLIENT", "ID")
    return connection.read_response()


@needs_redis
def test_a_page_is_kept_read_back_and_expires(shared_cache):
    page = (7, None, 200, [("Content-Type", "text/html")], "Навіны".encode(), {})
    shared_cache.set("page", page, 30)
    shared_cache.set("version", 12345, None)

    assert shared_cache.get("page") == page
    assert shared_cache.get_many(["version", "page", "absent"]) == {"version": 12345, "page": page}
    assert shared_cache.get("absent", "default") == "default"
    assert shared_cache.get_many([]) == {}
    # What the other calls of the cache see: the same keys, the same expiry.
    assert shared_cache.incr("version") == 12346
    raw = redis.Redis.from_url(REDIS_URL)
    assert 0 < raw.ttl(shared_cache.make_key("page")) <= 30
    assert raw.ttl(shared_cache.make_key("version")) == -1

    shared_cache.set("page", page, 0)
    assert shared_cache.get("page") is None


@needs_redis
def test_a_connection_redis_dropped_is_made_again_without_losing_the_call(shared_cache):
    shared_cache.set("headline", "Protest in Minsk", 30)
    dropped = held_connection_id(shared_cache)

    # As a Redis restart or an idle timeout would: the server closes it.
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=dropped)

    assert shared_cache.get("headline") == "Protest in Minsk"
    assert held_connection_id(shared_cache) != dropped


@needs_redis
def test_each_thread_has_its_own_connection(shared_cache):
    shared_cache.set("headline", "Strike at the tractor works", 30)
    seen = {}

    def read(name):
        seen[name] = (shared_cache.get("headline"), held_connection_id(shared_cache))

    threads = [threading.Thread(target=read, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen["a"][0] == seen["b"][0] == "Strike at the tractor works"
    assert len({seen["a"][1], seen["b"][1], held_connection_id(shared_cache)}) == 3


@needs_redis
def test_redis_refusing_a_command_leaves_the_connection_usable(shared_cache):
    raw = redis.Redis.from_url(REDIS_URL)
    raw.lpush(shared_cache.make_key("a-list"), "x")
    raw.expire(shared_cache.make_key("a-list"), 30)
    before = held_connection_id(shared_cache)

    with pytest.raises(redis.ResponseError):
        shared_cache.get("a-list")  # GET on a list: WRONGTYPE

    shared_cache.set("after", "still in step", 30)
    assert shared_cache.get("after") == "still in step"
    assert held_connection_id(shared_cache) == before


@needs_redis
def test_a_lookup_counts_how_often_its_address_was_asked_for(shared_cache):
    """The page cache's lookup: the entries, and a count kept for as long as
    it is told, sent to Redis together."""
    shared_cache.set("page", "the home page", 30)

    first = shared_cache.get_many_and_count(["page", "absent"], "asked", 60)
    second = shared_cache.get_many_and_count(["absent"], "asked", 60)

    assert first == ({"page": "the home page"}, 1)
    assert second == ({}, 2)
    raw = redis.Redis.from_url(REDIS_URL)
    assert 0 < raw.ttl(shared_cache.make_key("asked")) <= 60


@needs_redis
def test_a_count_redis_refuses_leaves_the_connection_in_step(shared_cache):
    raw = redis.Redis.from_url(REDIS_URL)
    raw.set(shared_cache.make_key("asked"), "not a number", ex=30)
    before = held_connection_id(shared_cache)

    with pytest.raises(redis.ResponseError):
        shared_cache.get_many_and_count(["page"], "asked", 60)

    shared_cache.set("after", "still in step", 30)
    assert shared_cache.get("after") == "still in step"
    assert held_connection_id(shared_cache) == before


def test_a_cache_that_does_not_answer_is_waited_for_once():
    """A server that takes connections and never answers, as a Redis stuck
    on a slow disk would: one connection, one timeout, and the error."""
    silent = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        silent.settimeout(1)
        try:
            while True:
                accepted.append(silent.accept()[0])
        except OSError:
            pass

    listener = threading.Thread(target=accept)
    listener.start()
    port = silent.getsockname()[1]
    stuck = ReusingRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    try:
        with pytest.raises(redis.TimeoutError):
            stuck.get("page")
    finally:
        listener.join()
        silent.close()
        for connection in accepted:
            connection.close()
    assert len(accepted) == 1
