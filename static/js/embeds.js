// Click-to-load embeds (templates/articles/_body_embed.html). Until a reader
// presses "Load", the page holds a placeholder and asks nothing of the
// provider; the frame then opens our own page for that one embed, whose
// Content-Security-Policy alone lets the provider in.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-embed-load]")
  if (!button) return
  const figure = button.closest("[data-embed-frame]")
  if (!figure) return
  const frame = document.createElement("iframe")
  frame.className = "embed__frame"
  frame.src = figure.dataset.embedFrame
  frame.title = figure.dataset.embedTitle
  frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media")
  button.closest(".embed__placeholder").replaceWith(frame)
  frame.focus()
})
