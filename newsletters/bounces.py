"""Bounces and complaints reported by an email provider's webhook
(django-anymail, when NEWSLETTERS_PROVIDER names one): the address stops
receiving newsletters at once."""

import logging

from anymail.signals import tracking

logger = logging.getLogger(__name__)

# Anymail's normalised event types that mean "stop sending here".
STOP_EVENTS = {"bounced", "complained", "unsubscribed", "rejected"}


def unsubscribe_on_event(sender, event, esp_name, **kwargs):
    from .models import Subscriber

    if event.event_type not in STOP_EVENTS or not event.recipient:
        return
    deleted, _ = Subscriber.objects.filter(email__iexact=event.recipient).delete()
    if deleted:
        logger.info("Unsubscribed an address after a %s reported by %s", event.event_type, esp_name)


def connect():
    tracking.connect(unsubscribe_on_event, dispatch_uid="newsletters.bounces", weak=False)
