from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as in production, with the work factors turned down: the
    production settings spend 100 MB and real time per hash, which is the
    point in production and only a cost in a test suite that logs in often."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
