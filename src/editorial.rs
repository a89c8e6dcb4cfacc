//! Saving and deleting articles, shared by the desk and the JSON API: the
//! same permission checks, the same slug rules and one transaction per
//! save, so an article written either way is the same article under the
//! same rules. Each surface parses its own input; a refusal is an
//! `AppError` (`Forbidden`, or `Invalid` with the fields to correct) that
//! each surface renders its own way.

use crate::domain::article::{ArticleContent, Publication, Slug};
use crate::domain::policy::Policy;
use crate::domain::tag::append_tags;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store::{ArticleDraft, Store, StoreError};
use crate::tagging::{self, ArticleText, Tagger};
use std::borrow::Cow;

/// Automatic tags around a save: with `auto_confidence`, suggestions at
/// least that confident join an article's tags when it is published; and
/// tags nobody has classified get the kinds the extractor finds.
#[derive(Debug, Clone, Copy)]
pub struct Tagging<'a> {
    pub tagger: &'a Tagger,
    pub auto_confidence: Option<f64>,
}

/// What a save stores: the content with any automatic tags, and the kinds
/// to give the tags once it is saved.
async fn with_automatic_tags<'e>(
    store: &Store,
    tagging: Tagging<'_>,
    article_id: Option<i64>,
    edit: &'e ArticleEdit,
) -> Result<
    (
        Cow<'e, ArticleContent>,
        Vec<(String, crate::domain::tag::TagKind)>,
    ),
    StoreError,
> {
    let knowledge = tagging.tagger.knowledge(store).await?;
    let content = &edit.content;
    let entities = tagging::entities(
        ArticleText {
            headline: &content.headline,
            summary: &content.summary,
            body_markdown: &content.body_markdown,
        },
        knowledge,
    )
    .await;
    let publishing = matches!(edit.publication, Some(Publication::At(_)));
    let mut content = Cow::Borrowed(content);
    if let (true, Some(threshold)) = (publishing, tagging.auto_confidence) {
        let rejected = match article_id {
            Some(id) => store.rejected_suggestions(id).await?,
            None => Vec::new(),
        };
        let slugs: Vec<String> = content.tags.iter().map(|(_, slug)| slug.clone()).collect();
        let confident: Vec<(String, String)> = tagging::suggestions(&entities, &slugs, &rejected)
            .into_iter()
            .filter(|s| s.confidence >= threshold)
            .map(|s| (s.name, s.slug))
            .collect();
        if !confident.is_empty() {
            append_tags(&mut content.to_mut().tags, &confident);
        }
    }
    let kinds = tagging::kinds_of_tags(&entities, &content.tags);
    Ok((content, kinds))
}

/// A parsed request to save an article.
#[derive(Debug, Clone)]
pub struct ArticleEdit {
    pub content: ArticleContent,
    /// A slug the writer typed. Without one, a new article's slug is
    /// derived from its headline and an existing article keeps its own.
    pub slug: Option<Slug>,
    pub publication: Option<Publication>,
}

/// Whether `user` may save `existing` (or a new article), changing its
/// publication too when `publishing`. Surfaces ask this before parsing, so
/// that a request nobody may make is refused as such.
pub fn permitted(
    policy: Policy,
    user: &User,
    existing: Option<&ArticleDraft>,
    publishing: bool,
    now: i64,
) -> bool {
    let author_id = existing.map_or(user.id, |d| d.author_id);
    let may_change = match existing {
        None => policy.may_write(user),
        Some(draft) => policy.may_edit(user, draft.author_id, draft.stage(now)),
    };
    may_change && (!publishing || policy.may_publish(user, author_id))
}

const SLUG_TAKEN: &str = "Another article already uses this slug. Choose a different one.";

/// Creates an article by `user`; returns its id and slug.
pub async fn create(
    store: &Store,
    policy: Policy,
    tagging: Tagging<'_>,
    user: &User,
    edit: &ArticleEdit,
    now: i64,
) -> AppResult<(i64, String)> {
    if !permitted(policy, user, None, edit.publication.is_some(), now) {
        return Err(AppError::Forbidden);
    }
    // A typed slug must be free; a derived one gets a suffix when taken.
    let (slug, derived) = match &edit.slug {
        Some(slug) => (slug.clone(), false),
        None => (Slug::from_text(&edit.content.headline), true),
    };
    let (content, kinds) = with_automatic_tags(store, tagging, None, edit).await?;
    let created = store
        .create_article(
            user.id,
            slug.as_str(),
            derived,
            &content,
            edit.publication,
            now,
        )
        .await;
    match created {
        Ok(created) => {
            store.classify_tags(&kinds).await?;
            Ok(created)
        }
        Err(StoreError::Conflict(_)) => Err(AppError::field("slug", SLUG_TAKEN)),
        Err(e) => Err(e.into()),
    }
}

/// Saves `draft` with new content; returns its slug afterwards.
pub async fn update(
    store: &Store,
    policy: Policy,
    tagging: Tagging<'_>,
    user: &User,
    draft: &ArticleDraft,
    edit: &ArticleEdit,
    now: i64,
) -> AppResult<String> {
    if !permitted(policy, user, Some(draft), edit.publication.is_some(), now) {
        return Err(AppError::Forbidden);
    }
    let new_slug = edit
        .slug
        .as_ref()
        .map(Slug::as_str)
        .filter(|slug| *slug != draft.slug);
    if new_slug.is_some() && draft.slug_locked(now) {
        return Err(AppError::field(
            "slug",
            "The slug is fixed: the article has been published at its address.",
        ));
    }
    let (content, kinds) = with_automatic_tags(store, tagging, Some(draft.id), edit).await?;
    let saved = store
        .update_article(draft.id, new_slug, &content, edit.publication, now)
        .await;
    match saved {
        Ok(()) => {
            store.classify_tags(&kinds).await?;
            Ok(new_slug.unwrap_or(&draft.slug).to_owned())
        }
        Err(StoreError::Conflict(_)) => Err(AppError::field("slug", SLUG_TAKEN)),
        Err(e) => Err(e.into()),
    }
}

/// Whether `user` may delete `draft`: it has been public once when its
/// slug is locked.
pub fn may_delete(policy: Policy, user: &User, draft: &ArticleDraft, now: i64) -> bool {
    policy.may_delete(
        user,
        draft.author_id,
        draft.stage(now),
        draft.slug_locked(now),
    )
}

/// Deletes `draft` with its likes and comments.
pub async fn delete(
    store: &Store,
    policy: Policy,
    user: &User,
    draft: &ArticleDraft,
    now: i64,
) -> AppResult<()> {
    if !may_delete(policy, user, draft, now) {
        return Err(AppError::Forbidden);
    }
    store.delete_article(draft.id).await?;
    Ok(())
}
