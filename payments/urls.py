from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("plus/join/", views.join, name="join"),
    path("plus/join/<int:plan_id>/", views.join_plan, name="join-plan"),
    path("plus/redeem/", views.redeem, name="redeem"),
    path("plus/stripe/webhook/", views.webhook, name="stripe-webhook"),
    path("accounts/membership/cancel/", views.cancel, name="cancel"),
    path("accounts/membership/resume/", views.resume, name="resume"),
    path("accounts/membership/card/", views.change_card, name="change-card"),
]
