from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for the quick start (seed_demo) and generated archives for
    load tests and benchmarks (generate_articles): apart from the product."""

    name = "demo"
    verbose_name = "Demo content"
