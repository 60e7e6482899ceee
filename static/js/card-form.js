// The card form (templates/payments/_card_form.html): Stripe.js collects the
// card and confirms it with Stripe; only then is the form sent to our server,
// with nothing but the SetupIntent's id.
(function () {
  "use strict";
  var form = document.querySelector("[data-card-form]");
  if (!form) {
    return;
  }
  var errors = form.querySelector("[data-card-errors]");
  var button = form.querySelector("button[type=submit]");
  if (typeof Stripe === "undefined") {
    errors.textContent = form.dataset.failed;
    button.disabled = true;
    return;
  }
  var stripe = Stripe(form.dataset.stripeKey);
  var card = stripe.elements().create("card");
  card.mount(form.querySelector("[data-card-element]"));

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return; // a second click while Stripe is still answering the first
    }
    button.disabled = true;
    errors.textContent = "";
    stripe
      .confirmCardSetup(form.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || form.dataset.failed;
          button.disabled = false;
          return;
        }
        form.elements.setup_intent.value = result.setupIntent.id;
        form.submit();
      });
  });
})();
