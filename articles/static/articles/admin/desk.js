// The writing screen (admin/articles/article/change_form.html): a live word
// count and reading time, and a warning before leaving with unsaved changes.
"use strict"
{
  const WORDS_PER_MINUTE = 200

  const start = () => {
    const form = document.getElementById("article_form")
    if (!form) return
    const body = form.querySelector("textarea[name=body]")
    const count = document.querySelector("[data-desk-word-count]")
    const minutes = document.querySelector("[data-desk-reading-time]")
    const unsaved = document.querySelector("[data-desk-unsaved]")

    const words = () => {
      const scratch = document.createElement("div")
      // Parsed in an inert element: nothing in it loads or runs.
      const parsed = new DOMParser().parseFromString(body?.value || "", "text/html")
      scratch.textContent = parsed.body.textContent
      const headline = form.querySelector("[name=headline]")?.value || ""
      const dek = form.querySelector("[name=dek]")?.value || ""
      const text = `${headline} ${dek} ${scratch.textContent}`
      return (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) || []).length
    }
    const recount = () => {
      if (!count) return
      const n = words()
      count.textContent = n.toLocaleString()
      minutes.textContent = Math.max(1, Math.round(n / WORDS_PER_MINUTE)).toLocaleString()
    }
    recount()

    let dirty = false
    // Only what the editor does: widgets that set values as the page loads
    // (select boxes, the body editor's own sync) send untrusted events.
    const changed = (event) => {
      if (!event.isTrusted) return
      dirty = true
      if (unsaved) unsaved.hidden = false
      recount()
    }
    form.addEventListener("input", changed)
    form.addEventListener("change", changed)
    form.addEventListener("submit", () => {
      dirty = false
    })
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault()
        event.returnValue = ""
      }
    })
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
}
