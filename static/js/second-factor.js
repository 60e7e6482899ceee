// A key just registered: show the page again, with the key listed and the
// offer of recovery codes.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
