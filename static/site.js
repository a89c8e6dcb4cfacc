// Newsroom's own script. Every action already works as a plain form; this
// makes liking and commenting happen without a page reload.
"use strict";

(function () {
  function plural(n, one, many) {
    return n === 1 ? "1 " + one : n + " " + many;
  }

  function post(form) {
    // getAttribute, not form.action: the like form has a field named "action".
    return fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    });
  }

  function setLikes(count) {
    document.querySelectorAll("[data-likes]").forEach(function (el) {
      el.dataset.likes = count;
      el.textContent = plural(count, "like", "likes");
    });
  }

  function setComments(count) {
    document.querySelectorAll("[data-comments]").forEach(function (el) {
      el.dataset.comments = count;
      el.textContent = plural(count, "comment", "comments");
    });
  }

  function onLike(form, event) {
    event.preventDefault();
    var button = form.querySelector("button");
    var action = form.querySelector("input[name=action]");
    button.disabled = true;
    post(form)
      .then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.json();
      })
      .then(function (data) {
        setLikes(data.likes);
        action.value = data.liked ? "unlike" : "like";
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        button.textContent = data.liked ? "♥ Liked" : "♡ Like";
      })
      .catch(function () { form.submit(); })
      .finally(function () { button.disabled = false; });
  }

  function onComment(form, event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var error = form.querySelector("[data-error]");
    var textarea = form.querySelector("textarea");
    button.disabled = true;
    post(form)
      .then(function (res) {
        return res.json().then(function (data) { return { status: res.status, data: data }; });
      })
      .then(function (result) {
        if (result.status === 422) {
          error.textContent = result.data.error;
          error.hidden = false;
          return;
        }
        if (result.status !== 201) throw new Error(result.status);
        error.hidden = true;
        textarea.value = "";
        var parentId = result.data.parent_id;
        var list = parentId
          ? document.querySelector('[data-replies="' + parentId + '"]')
          : document.querySelector("[data-comment-list]");
        var holder = document.createElement("template");
        holder.innerHTML = result.data.html.trim();
        if (list) list.appendChild(holder.content);
        var empty = document.querySelector("[data-no-comments]");
        if (empty) empty.remove();
        setComments(result.data.comments);
        var details = form.closest("details");
        if (details) details.open = false;
      })
      .catch(function () { form.submit(); })
      .finally(function () { button.disabled = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!window.fetch || !window.URLSearchParams) return;
    if (form.classList.contains("like-form")) onLike(form, event);
    else if (form.classList.contains("comment-form")) onComment(form, event);
  });
})();
