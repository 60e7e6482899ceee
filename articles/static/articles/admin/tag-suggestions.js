// Suggest existing tags for the one being typed in a comma-separated tag input.
// Each suggestion is the whole input value with its last tag completed, so the
// browser's own <datalist> does the rest. No libraries, nothing external.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-suggestions-url]")) {
    const list = document.getElementById(`${input.id}-suggestions`);
    if (!list) continue;
    input.setAttribute("list", list.id);
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const parts = input.value.split(",");
        const term = parts.pop().trim();
        if (term.length < 2) return;
        const prefix = parts.map((p) => p.trim()).filter(Boolean);
        const url = `${input.dataset.suggestionsUrl}?term=${encodeURIComponent(term)}`;
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const { tags } = await response.json();
        list.replaceChildren(
          ...tags
            .filter((tag) => !prefix.includes(tag))
            .map((tag) => {
              const option = document.createElement("option");
              option.value = [...prefix, tag].join(", ");
              return option;
            })
        );
      }, 150);
    });
  }
});
