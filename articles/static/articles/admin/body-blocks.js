// The body editor's own blocks: an image from the library (or uploaded into
// it), a pull quote, and an embed of a video or post. What each stores is
// described in articles/body_editor.py; the server checks it all again.
//
// Labels and addresses come from the page (json_script "body-blocks-config",
// rendered by the article's change form), so every word is translatable.
import {
  crel,
  mergeAttributes,
  Node,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const config = () => {
  const element = document.getElementById("body-blocks-config")
  return element ? JSON.parse(element.textContent) : { labels: {}, urls: {} }
}
const label = (key, fallback) => config().labels[key] || fallback

const dataAttribute = (name) => ({
  default: "",
  parseHTML: (element) => element.getAttribute(`data-${name}`) || "",
  renderHTML: (attributes) =>
    attributes[name] ? { [`data-${name}`]: attributes[name] } : {},
})

// A block is followed by an empty paragraph, where the cursor goes: the
// writer carries on typing below it instead of over it.
const blockThenParagraph = (type, attrs) => [{ type, attrs }, { type: "paragraph" }]

// ---- The image picker ------------------------------------------------------

const csrfToken = () =>
  document.querySelector("[name=csrfmiddlewaretoken]")?.value || ""

function imagePicker(current) {
  const { urls } = config()
  return new Promise((resolve) => {
    const search = crel("input", {
      type: "search",
      name: "q",
      id: "body-image-search",
    })
    const results = crel("div", {
      className: "body-image-picker__results",
      role: "radiogroup",
    })
    results.setAttribute("aria-label", label("library", "Image library"))
    const alt = crel("input", { name: "alt", id: "body-image-alt", required: true })
    const caption = crel("input", { name: "caption", id: "body-image-caption" })
    const credit = crel("input", { name: "credit", id: "body-image-credit" })
    const file = crel("input", {
      type: "file",
      name: "file",
      id: "body-image-file",
      accept: "image/jpeg,image/png,image/webp,image/avif",
    })
    const status = crel("p", { className: "body-image-picker__status" })
    status.setAttribute("role", "status")
    const insert = crel("button", {
      type: "submit",
      textContent: current ? label("update", "Update") : label("insert", "Insert"),
    })
    const cancel = crel("button", { type: "button", textContent: label("cancel", "Cancel") })
    let chosen = current?.image || ""

    const field = (input, text) =>
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: input.id, textContent: text }),
        input,
      ])

    const form = crel("form", { className: "body-image-picker" }, [
      crel("h3", {
        className: "prose-editor-dialog-title",
        textContent: label("imageTitle", "Image"),
      }),
      field(search, label("search", "Search the library")),
      results,
      field(file, label("upload", "…or upload a new image")),
      field(alt, label("alt", "Alt text (required)")),
      field(caption, label("caption", "Caption")),
      field(credit, label("credit", "Credit")),
      status,
      crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog body-image-dialog" }, [form])
    document.body.append(dialog)

    alt.value = current?.alt || ""
    caption.value = current?.caption || ""
    credit.value = current?.credit || ""

    const choose = (image, button) => {
      chosen = String(image.id)
      for (const other of results.querySelectorAll("button")) {
        other.setAttribute("aria-checked", String(other === button))
      }
      // The library's words, unless the editor typed their own.
      if (!alt.dataset.typed) alt.value = image.alt
      if (!caption.dataset.typed) caption.value = image.caption
      if (!credit.dataset.typed) credit.value = image.credit
    }
    for (const input of [alt, caption, credit]) {
      input.addEventListener("input", () => {
        input.dataset.typed = "yes"
      })
    }

    const show = (images) => {
      results.textContent = ""
      if (!images.length) {
        results.append(crel("p", { textContent: label("none", "No image matches.") }))
      }
      for (const image of images) {
        const button = crel(
          "button",
          { type: "button", className: "body-image-picker__choice" },
          [
            crel("img", { src: image.thumbnail, alt: "", width: 120, height: 80 }),
            crel("span", { textContent: image.caption || image.alt }),
          ],
        )
        button.setAttribute("role", "radio")
        button.setAttribute("aria-checked", String(String(image.id) === chosen))
        button.setAttribute("aria-label", image.alt)
        button.addEventListener("click", () => choose(image, button))
        results.append(button)
      }
    }

    let timer = null
    const find = () =>
      fetch(`${urls.picker}?${new URLSearchParams({ q: search.value })}`, {
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((data) => show(data.images || []))
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(find, 250)
    })
    find()

    const upload = () => {
      const body = new FormData()
      body.append("file", file.files[0])
      body.append("alt", alt.value)
      body.append("caption", caption.value)
      body.append("credit", credit.value)
      status.textContent = label("uploading", "Uploading…")
      return fetch(urls.upload, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      }).then(async (response) => {
        const data = await response.json()
        if (!response.ok) {
          const errors = Object.values(data.errors || {})
            .flat()
            .map((error) => error.message)
          status.textContent = errors.join(" ") || label("failed", "The upload failed.")
          return null
        }
        status.textContent = ""
        return String(data.image.id)
      })
    }

    const close = (value) => {
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    cancel.addEventListener("click", () => close(null))
    dialog.addEventListener("cancel", () => close(null))
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      if (!form.reportValidity()) return
      if (file.files.length) {
        const uploaded = await upload()
        if (!uploaded) return
        chosen = uploaded
      }
      if (!chosen) {
        status.textContent = label("choose", "Choose an image or upload one.")
        return
      }
      close({
        image: chosen,
        alt: alt.value.trim(),
        caption: caption.value.trim(),
        credit: credit.value.trim(),
      })
    })
    dialog.showModal()
  })
}

// ---- An image from the library ---------------------------------------------

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      image: dataAttribute("image"),
      alt: dataAttribute("alt"),
      credit: dataAttribute("credit"),
      caption: {
        default: "",
        parseHTML: (element) =>
          element.querySelector("figcaption")?.textContent.trim() || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]", priority: 60 }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const attributes = mergeAttributes({ class: "body-image" }, HTMLAttributes)
    return node.attrs.caption
      ? ["figure", attributes, ["figcaption", {}, node.attrs.caption]]
      : ["figure", attributes]
  },

  addNodeView() {
    return ({ node, editor, getPos }) => {
      const { urls } = config()
      const img = crel("img", {
        src: urls.thumbnail.replace("/0/", `/${node.attrs.image}/`),
        alt: node.attrs.alt,
      })
      const text = [node.attrs.caption, node.attrs.credit].filter(Boolean).join(" — ")
      const dom = crel("figure", { className: "body-image-node" }, [
        img,
        crel("figcaption", {
          textContent: text || node.attrs.alt,
        }),
      ])
      dom.addEventListener("dblclick", () => {
        editor.chain().setNodeSelection(getPos()).editBodyImage().run()
      })
      return { dom }
    }
  },

  addCommands() {
    return {
      editBodyImage:
        () =>
        ({ editor, state }) => {
          const selected = state.selection.node
          const current = selected?.type.name === this.name ? selected.attrs : null
          imagePicker(current).then((attrs) => {
            if (!attrs) return
            if (current) {
              editor.chain().focus().updateAttributes(this.name, attrs).run()
            } else {
              editor.chain().focus().insertContent(blockThenParagraph(this.name, attrs)).run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes blocks",
      command(editor) {
        editor.chain().editBodyImage().run()
      },
      button: buttons.material("add_photo_alternate", label("image", "Image")),
      active: (editor) => editor.isActive("bodyImage"),
    })
  },
})

// ---- A pull quote ----------------------------------------------------------

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,

  parseHTML() {
    // Before the plain blockquote, which would take it otherwise.
    return [{ tag: "blockquote.pull-quote", priority: 60 }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["blockquote", mergeAttributes({ class: "pull-quote" }, HTMLAttributes), 0]
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleWrap(this.name),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes blocks",
      command(editor) {
        editor.chain().focus().togglePullQuote().run()
      },
      button: buttons.material("record_voice_over", label("pullQuote", "Pull quote")),
      active: (editor) => editor.isActive("pullQuote"),
    })
  },
})

// ---- An embed: a link to a video or post -----------------------------------

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      url: {
        default: "",
        parseHTML: (element) => element.querySelector("a")?.getAttribute("href") || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure.embed", priority: 60 }]
  },

  renderHTML({ node }) {
    return ["figure", { class: "embed" }, ["a", { href: node.attrs.url }, node.attrs.url]]
  },

  addNodeView() {
    // The editor shows the link, never the provider's player: nothing is
    // loaded from another host while writing either.
    return ({ node }) => ({
      dom: crel("figure", { className: "embed-node" }, [
        crel("span", { className: "material-icons", textContent: "smart_display" }),
        crel("span", { textContent: `${label("embed", "Embed")}: ${node.attrs.url}` }),
      ]),
    })
  },

  addCommands() {
    return {
      editEmbed:
        () =>
        ({ editor, state }) => {
          const selected = state.selection.node
          const current = selected?.type.name === this.name ? selected.attrs : null
          updateAttrsDialog(
            {
              url: {
                type: "string",
                format: "url",
                required: true,
                title: label("embedUrl", "Address of the video or post"),
                description: label(
                  "embedHelp",
                  "YouTube, Vimeo, Telegram, X (Twitter) or Instagram",
                ),
              },
            },
            {
              title: label("embed", "Embed"),
              submitText: current ? label("update", "Update") : label("insert", "Insert"),
            },
          )(editor, { url: current?.url || "" }).then((attrs) => {
            if (!attrs?.url) return
            const url = attrs.url.trim()
            if (current) {
              editor.chain().focus().updateAttributes(this.name, { url }).run()
            } else {
              editor
                .chain()
                .focus()
                .insertContent(blockThenParagraph(this.name, { url }))
                .run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes blocks",
      command(editor) {
        editor.chain().editEmbed().run()
      },
      button: buttons.material("smart_display", label("embed", "Embed")),
      active: (editor) => editor.isActive("embed"),
    })
  },
})
