//! The desk's tag pages: editors see every tag with its kind and use, and
//! set a tag's kind and its other names, which the extractor then
//! recognises as that tag.

use crate::domain::article::Slug;
use crate::domain::entities::knowledge::key;
use crate::domain::tag::TagKind;
use crate::domain::{ValidationError, bounded_text};
use crate::error::{AppError, AppResult};
use crate::http::encode_query;
use crate::state::AppState;
use crate::store::{StoreError, TagDetails};
use crate::web::meta::Head;
use crate::web::visitor::{Nav, SignedIn, Visitor};
use crate::web::{Form, render, render_with_status, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// The most tags the list shows: the most used ones.
const TAGS_LISTED: i64 = 500;
pub const ALIASES_MAX: usize = 20;
pub const ALIAS_MAX_CHARS: usize = 60;

fn editor(user: &crate::domain::user::User) -> AppResult<()> {
    if user.role.can_edit_any() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The tag at `slug`, if `user` may edit tags.
async fn editable_tag(
    state: &AppState,
    user: &crate::domain::user::User,
    slug: &str,
) -> AppResult<TagDetails> {
    editor(user)?;
    state
        .store
        .tag_details(slug)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "desk/tags.html")]
struct TagsPage {
    head: Head,
    nav: Nav,
    tags: Vec<TagDetails>,
    kinds: [TagKind; 4],
    /// The kind shown, when filtered.
    kind: Option<TagKind>,
    limit: i64,
}

#[derive(Debug, Deserialize)]
pub struct TagsQuery {
    kind: Option<String>,
}

pub async fn tags_index(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Query(query): Query<TagsQuery>,
) -> AppResult<Response> {
    editor(&user)?;
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(raw) => Some(TagKind::parse(raw).map_err(|e| AppError::BadRequest(e.0))?),
    };
    render(&TagsPage {
        head: Head::private(&visitor.config, "Tags"),
        nav: Nav::of(&visitor),
        tags: state.store.list_tags(kind, TAGS_LISTED).await?,
        kinds: TagKind::ALL,
        kind,
        limit: TAGS_LISTED,
    })
}

#[derive(Template)]
#[template(path = "desk/tag.html")]
struct TagPage {
    head: Head,
    nav: Nav,
    csrf: String,
    tag: TagDetails,
    kinds: [TagKind; 4],
    /// As typed, or the stored kind and aliases (one a line).
    kind: TagKind,
    aliases: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

impl TagPage {
    fn new(visitor: &Visitor, tag: TagDetails, kind: TagKind, aliases: String) -> Self {
        TagPage {
            head: Head::private(&visitor.config, "Edit tag"),
            nav: Nav::of(visitor),
            csrf: visitor.csrf_token(),
            tag,
            kinds: TagKind::ALL,
            kind,
            aliases,
            error: None,
            notice: None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TagQuery {
    saved: Option<String>,
}

pub async fn tag_form(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<TagQuery>,
) -> AppResult<Response> {
    let tag = editable_tag(&state, &user, &slug).await?;
    let (kind, aliases) = (tag.shown_kind(), tag.aliases.join("\n"));
    let mut page = TagPage::new(&visitor, tag, kind, aliases);
    page.notice = query.saved.map(|_| "Saved.");
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct TagInput {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    aliases: String,
}

/// Parses other names typed one a line (or comma-separated) into
/// `(key, alias)` pairs, leaving out repeats and the tag's own name.
pub fn parse_aliases(raw: &str, own_name: &str) -> Result<Vec<(String, String)>, ValidationError> {
    let own = key(own_name);
    let mut aliases: Vec<(String, String)> = Vec::new();
    for part in raw.split(['\n', ',']) {
        if part.trim().is_empty() {
            continue;
        }
        let alias = bounded_text(part, "An other name", 1, ALIAS_MAX_CHARS)?;
        let alias_key = key(&alias);
        if alias_key.is_empty() {
            return Err(ValidationError::new(format!(
                "“{alias}” needs at least one letter or digit."
            )));
        }
        if alias_key != own && !aliases.iter().any(|(k, _)| *k == alias_key) {
            aliases.push((alias_key, alias));
        }
    }
    if aliases.len() > ALIASES_MAX {
        return Err(ValidationError::new(format!(
            "A tag can have at most {ALIASES_MAX} other names."
        )));
    }
    Ok(aliases)
}

pub async fn save_tag(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(slug): Path<String>,
    Form(input): Form<TagInput>,
) -> AppResult<Response> {
    let tag = editable_tag(&state, &user, &slug).await?;
    // The form again, as typed, with the reason.
    let refuse = |message: String| {
        let kind = TagKind::parse(&input.kind).unwrap_or_default();
        let mut page = TagPage::new(&visitor, tag.clone(), kind, input.aliases.clone());
        page.error = Some(message);
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let kind = match TagKind::parse(&input.kind) {
        Ok(kind) => kind,
        Err(e) => return refuse(e.0),
    };
    let aliases = match parse_aliases(&input.aliases, &tag.name) {
        Ok(aliases) => aliases,
        Err(e) => return refuse(e.0),
    };
    // Each name stands for one tag: not another tag's name, nor its alias.
    for (alias_key, alias) in &aliases {
        let named = Slug::from_text(alias);
        if named.as_str() != tag.slug && state.store.tag_details(named.as_str()).await?.is_some() {
            return refuse(format!("“{alias}” is the name of another tag."));
        }
        if let Some(owner) = state.store.alias_owner(alias_key).await?
            && owner != tag.slug
        {
            return refuse(format!(
                "“{alias}” is already another name of the tag “{owner}”."
            ));
        }
    }
    match state.store.update_tag(&tag.slug, kind, &aliases).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        // Taken by another tag between the check and the save.
        Err(StoreError::Conflict(_)) => {
            return refuse("One of these names was just given to another tag.".to_owned());
        }
        Err(e) => return Err(e.into()),
    }
    state.tagger.forget();
    Ok(see_other(&format!(
        "/desk/tags/{}?saved=1",
        encode_query(&tag.slug)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_read_one_a_line_without_repeats_or_the_own_name() {
        let aliases = parse_aliases(
            "Merkel\n  Angela Merkel \nmerkel, Mutti\n\n",
            "Angela Merkel",
        )
        .expect("valid");
        assert_eq!(
            aliases,
            [
                ("merkel".to_owned(), "Merkel".to_owned()),
                ("mutti".to_owned(), "Mutti".to_owned())
            ]
        );
        assert!(parse_aliases("!!!", "X").is_err());
        assert!(parse_aliases(&"a".repeat(61), "X").is_err());
        let many: Vec<String> = (0..21).map(|n| format!("name {n}")).collect();
        assert!(parse_aliases(&many.join("\n"), "X").is_err());
    }
}
