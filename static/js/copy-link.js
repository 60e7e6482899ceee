// The Copy button beside a link shown in a read-only field (a gift link its
// giver has just made). Without JavaScript the button stays hidden and the
// field is there to select; with it, one press copies the link and the
// status line says so.
for (const button of document.querySelectorAll("[data-copy-from]")) {
  const field = document.getElementById(button.dataset.copyFrom)
  const status = document.getElementById(button.dataset.copyStatus)
  if (!field || !status) continue
  button.hidden = false
  button.addEventListener("click", async () => {
    field.focus()
    field.select()
    let copied = false
    try {
      await navigator.clipboard.writeText(field.value)
      copied = true
    } catch {
      // No clipboard API (an older browser, or a page not served securely):
      // the selected text is copied the old way, if the browser still can.
      copied = document.execCommand("copy")
    }
    status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed
  })
}
