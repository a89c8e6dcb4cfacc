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

  // Adds a comment's markup to its thread (or as a new thread), unless the
  // page already shows it: a reader's own comment arrives twice, as the
  // answer to posting it and as a live update.
  function insertComment(html, parentId) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var article = holder.content.querySelector("article.comment");
    if (article && document.getElementById(article.id)) return;
    var list = parentId
      ? document.querySelector('[data-replies="' + parentId + '"]')
      : document.querySelector("[data-comment-list]");
    if (!list) return;
    list.appendChild(holder.content);
    var empty = document.querySelector("[data-no-comments]");
    if (empty) empty.remove();
  }

  // Keeps an open article's counts and comments current as other readers
  // act. EventSource reconnects by itself and resumes after the last
  // comment it saw.
  function followArticle(article) {
    var slug = article.dataset.slug;
    var events = new EventSource("/articles/" + slug + "/events");
    events.addEventListener("open", function () { article.dataset.live = "true"; });
    events.addEventListener("error", function () { article.dataset.live = "false"; });
    events.addEventListener("counts", function (event) {
      var data = JSON.parse(event.data);
      setLikes(data.likes);
      setComments(data.comments);
    });
    events.addEventListener("comment", function (event) {
      var data = JSON.parse(event.data);
      if (document.getElementById("comment-" + data.id)) return;
      fetch("/articles/" + slug + "/comments/" + data.id, { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) { if (html) insertComment(html, data.parent_id); });
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
        insertComment(result.data.html, result.data.parent_id);
        setComments(result.data.comments);
        var details = form.closest("details");
        if (details) details.open = false;
      })
      .catch(function () { form.submit(); })
      .finally(function () { button.disabled = false; });
  }

  // The desk's article form and its cover form are separate pages' worth
  // of work: leaving with unsaved words asks first.
  var articleForm = document.querySelector("form.article-form");
  if (articleForm) {
    var unsaved = false;
    articleForm.addEventListener("input", function () { unsaved = true; });
    articleForm.addEventListener("submit", function () { unsaved = false; });
    window.addEventListener("beforeunload", function (event) {
      if (unsaved) event.preventDefault();
    });
  }

  // A file over the site's limit is refused here, before minutes of upload.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var error = input.form.querySelector("[data-too-large]");
    function tooLarge() {
      var file = input.files && input.files[0];
      return !!file && file.size > Number(input.dataset.maxBytes);
    }
    input.addEventListener("change", function () { error.hidden = !tooLarge(); });
    input.form.addEventListener("submit", function (event) {
      if (!tooLarge()) return;
      event.preventDefault();
      error.hidden = false;
      input.focus();
    });
  });

  var article = document.querySelector("article[data-slug]");
  if (article && window.EventSource && window.fetch) followArticle(article);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!window.fetch || !window.URLSearchParams) return;
    if (form.classList.contains("like-form")) onLike(form, event);
    else if (form.classList.contains("comment-form")) onComment(form, event);
  });
})();
