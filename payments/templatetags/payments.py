from django import template

from .. import billing

register = template.Library()


@register.inclusion_tag("payments/_membership.html", takes_context=True)
def card_membership(context):
    """The account page's card membership: plan, price, renewal or end, and
    the reader's actions (change card, cancel, resume)."""
    user = context["request"].user
    return {
        "card": billing.membership_of(user) if user.is_authenticated else None,
        "has_plus": context.get("has_plus"),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
