//! Demo content: a small fictional newsroom (the town of Harbourne) with
//! users, a dozen articles, tags, likes and comments, so a newcomer sees a
//! living site on first start. Written for this project.

use crate::auth::password::Passwords;
use crate::clock::system_millis;
use crate::domain::FieldErrors;
use crate::domain::article::{ArticleContent, Publication, Slug};
use crate::domain::markdown::render_comment;
use crate::domain::user::{Email, NewUser, Password, Role, Username};
use crate::store::{NewComment, Store, StoreError};

struct DemoArticle {
    headline: &'static str,
    summary: &'static str,
    tags: &'static str,
    author: &'static str,
    body: &'static str,
}

const USERS: [(&str, Role); 6] = [
    ("editor", Role::Editor),
    ("mara", Role::Author),
    ("tomasz", Role::Author),
    ("ines", Role::Reader),
    ("jonah", Role::Reader),
    ("priya", Role::Reader),
];

const ARTICLES: [DemoArticle; 12] = [
    DemoArticle {
        headline: "Harbourne council approves tram line to the east docks",
        summary: "After two years of consultation, the council voted 31 to 12 for a 6 km line linking the station with the redeveloped docks.",
        tags: "Transport, City Hall, Docklands",
        author: "mara",
        body: "The council approved the east docks tram line on Tuesday night after a four-hour debate.\n\nThe 6 km line will run from Harbourne Central through the market quarter to the new housing at Pier Seven. Construction is due to start next spring and the first trams should run in **2029**.\n\n## What it costs\n\nThe budget is 214 million, two thirds of it from the regional transport fund. Opponents argued that buses could serve the docks for a fraction of the cost; supporters pointed to the 9,000 homes planned along the route.\n\n> \"A tram is a promise that the line will still be there in thirty years,\" said the transport committee chair.\n\nThe route map and the timetable of works will be published next month.",
    },
    DemoArticle {
        headline: "Lighthouse keepers' cottages reopen as a museum",
        summary: "The restored cottages at Gull Point tell the story of the families who kept the light burning for 140 years.",
        tags: "Culture, History",
        author: "tomasz",
        body: "The three cottages at Gull Point opened to visitors on Saturday after a restoration that took four years and the work of more than sixty volunteers.\n\nInside, the rooms are furnished as they were in 1921, the year the light was electrified. Logbooks, oilskins and a brass foghorn fill the former store room.\n\nThe museum is open from Thursday to Sunday. Entry is free for residents of the district.",
    },
    DemoArticle {
        headline: "Harbourne FC beat league leaders in the last minute",
        summary: "A header from 19-year-old Lena Okafor in the 94th minute gave Harbourne a 2–1 win over Northfield.",
        tags: "Sport, Football",
        author: "tomasz",
        body: "Harbourne FC ended Northfield's eleven-match unbeaten run with a 2–1 win at the Quayside ground.\n\nNorthfield led at half-time, but Harbourne equalised from a penalty after the break. Deep into stoppage time, Lena Okafor rose above two defenders to head in a corner.\n\nThe win lifts Harbourne to fourth place, three points from the promotion places.",
    },
    DemoArticle {
        headline: "Water rates to rise by 4 percent from April",
        summary: "The utility says the increase pays for replacing Victorian mains; a hardship fund will double in size.",
        tags: "Economy, Utilities",
        author: "mara",
        body: "Household water bills in Harbourne will rise by 4 percent from April, the regional utility confirmed.\n\nThe average bill will go up by about 19 a year. The company says the money will pay for replacing 40 km of mains laid in the 1880s, which account for most of the town's leaks.\n\nThe hardship fund, which helps households that struggle to pay, will double to 1.2 million. Applications open in March.",
    },
    DemoArticle {
        headline: "New public library branch opens in Westgate",
        summary: "The branch has 30,000 books, a makerspace and late opening on Thursdays.",
        tags: "Culture, Education",
        author: "mara",
        body: "Westgate has a library again for the first time since 2011.\n\nThe new branch, in the former post office on Mill Street, holds 30,000 books and a makerspace with 3D printers and sewing machines. It stays open until 9 pm on Thursdays.\n\nLibrarians say more than 1,200 people signed up for cards in the first week.",
    },
    DemoArticle {
        headline: "Storm warning: high winds expected on the coast tonight",
        summary: "Gusts of up to 110 km/h are forecast; the harbour authority has suspended ferry crossings.",
        tags: "Weather, Transport",
        author: "tomasz",
        body: "The weather service has issued an amber warning for the Harbourne coast from 6 pm tonight until noon tomorrow.\n\nGusts of up to 110 km/h are expected on exposed headlands. All ferry crossings are suspended, and the coastal road between Gull Point and Ashby will close at 8 pm.\n\nResidents are asked to secure bins and garden furniture and to avoid the seafront.",
    },
    DemoArticle {
        headline: "School meals to use produce from local farms",
        summary: "From September, a third of the vegetables served in the district's schools will come from farms within 50 km.",
        tags: "Education, Food",
        author: "mara",
        body: "The school district has signed contracts with eleven farms to supply vegetables for school lunches.\n\nThe scheme starts in September and covers 14,000 pupils. Farmers say the guaranteed orders let them plan their planting; the district says the cost is about the same as before.\n\n*Parents can see the weekly menus on the district's website.*",
    },
    DemoArticle {
        headline: "Harbour dredging uncovers 18th-century shipwreck",
        summary: "Divers have identified timbers from a merchant ship believed to have sunk in a storm in 1763.",
        tags: "History, Docklands",
        author: "tomasz",
        body: "Dredging work to deepen the harbour has uncovered the remains of a wooden ship at the entrance to the east basin.\n\nMarine archaeologists believe it is the *Constance*, a merchant ship recorded as lost with her cargo of wine and cloth in the storm of November 1763.\n\nThe dredging has been moved 200 metres south while the wreck is surveyed.",
    },
    DemoArticle {
        headline: "Cycle lanes on the ring road: what changes and when",
        summary: "Protected lanes will be built in three stages; one lane for cars will remain in each direction.",
        tags: "Transport, City Hall",
        author: "mara",
        body: "Work on protected cycle lanes along the ring road starts next month.\n\n1. **Stage one** (March–May): Station Road to the hospital.\n2. **Stage two** (June–August): the hospital to Westgate.\n3. **Stage three** (autumn): Westgate back to Station Road.\n\nOne lane for cars remains in each direction throughout. Bus lanes are not affected.",
    },
    DemoArticle {
        headline: "Market quarter traders vote to extend Sunday opening",
        summary: "Stallholders backed year-round Sunday markets after a successful summer trial.",
        tags: "Economy, Markets",
        author: "tomasz",
        body: "Traders in the market quarter have voted to keep the Sunday market open all year.\n\nThe summer trial brought an average of 6,000 visitors each Sunday. Some stallholders worried about winter footfall, but the vote passed with a clear majority.\n\nThe first winter Sunday market opens on the first weekend of December.",
    },
    DemoArticle {
        headline: "Hospital opens urgent care centre to ease A&E queues",
        summary: "Minor injuries will be treated in the new centre, open 8 am to 10 pm every day.",
        tags: "Health",
        author: "mara",
        body: "Harbourne General has opened an urgent care centre next to its emergency department.\n\nPatients with sprains, minor cuts and burns will be seen there by nurses and GPs, leaving the emergency department for serious cases. The hospital expects average waits in A&E to fall by a third.",
    },
    DemoArticle {
        headline: "Choir of 400 voices to sing at the harbour festival",
        summary: "Singers from twelve local choirs are rehearsing for the festival's closing concert on the quay.",
        tags: "Culture, Music",
        author: "tomasz",
        body: "Four hundred singers from twelve choirs will close this year's harbour festival with a concert on the quay.\n\nThe programme ranges from sea shanties to a new piece written for the occasion by a local composer. The concert is free and starts at 8 pm on the festival's last day.",
    },
];

const COMMENTS: [(usize, &str, &str); 6] = [
    (
        0,
        "ines",
        "Finally! I've been waiting for this since the docks were rebuilt.",
    ),
    (
        0,
        "jonah",
        "214 million is a lot. I hope the *timetable* holds this time.",
    ),
    (2, "priya", "What a header. Best match of the season."),
    (3, "jonah", "Good to see the hardship fund doubled."),
    (
        5,
        "ines",
        "Stay safe everyone, the seafront is already wild.",
    ),
    (
        7,
        "priya",
        "Would love to see the timbers in the museum one day.",
    ),
];

/// Fills an empty site with the demo newsroom and returns the editor's
/// login ("editor / password"). The editor's password is new at every
/// start with `--demo`, so the login printed is always one that works.
pub async fn load(store: &Store) -> Result<String, StoreError> {
    let now = system_millis();
    let editor_password = crate::auth::hex(&crate::auth::random_bytes::<6>());
    let password = Password::parse(&editor_password).map_err(|e| StoreError::Config(e.0))?;
    let passwords = Passwords::one_at_a_time();
    let editor_hash = passwords
        .hash(&password)
        .await
        .map_err(|e| StoreError::Config(e.to_string()))?;

    if let Some(editor) = store.user_by_username("editor").await? {
        store.set_password(editor.id, &editor_hash).await?;
        if store.article_count().await? > 0 {
            return Ok(format!("editor / {editor_password}"));
        }
    }
    if store.article_count().await? > 0 {
        return Err(StoreError::Config(
            "the site already has articles; demo content is only added to an empty site".to_owned(),
        ));
    }

    // Readers and authors get a random password each: they exist to make
    // the site look lived-in, not to be logged into.
    let mut ids = Vec::new();
    for (name, role) in USERS {
        let existing = store.user_by_username(name).await?;
        let id = match existing {
            Some(user) => user.id,
            None => {
                let password_hash = if name == "editor" {
                    editor_hash.clone()
                } else {
                    let random =
                        Password::parse(&crate::auth::hex(&crate::auth::random_bytes::<12>()))
                            .map_err(|e| StoreError::Config(e.0))?;
                    passwords
                        .hash(&random)
                        .await
                        .map_err(|e| StoreError::Config(e.to_string()))?
                };
                let new_user = NewUser {
                    username: Username::parse(name).map_err(|e| StoreError::Config(e.0))?,
                    email: Email::parse(&format!("{name}@harbourne.example"))
                        .map_err(|e| StoreError::Config(e.0))?,
                    password_hash,
                    role,
                };
                store.create_user(&new_user, now).await?.id
            }
        };
        ids.push((name, id));
    }
    let id_of = |name: &str| {
        ids.iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, id)| *id)
    };

    let hour = 3_600_000;
    let mut article_ids = Vec::new();
    for (i, article) in ARTICLES.iter().enumerate() {
        let mut errors = FieldErrors::default();
        let content = ArticleContent::parse(
            article.headline,
            article.summary,
            article.body,
            article.tags.split(','),
            &mut errors,
        )
        .ok_or_else(|| StoreError::Config(format!("demo article {i}: {errors:?}")))?;
        let slug = Slug::from_text(article.headline);
        // Spread publication over the past days, newest first in the list.
        let published_at = now - (i as i64 + 1) * 7 * hour;
        let (id, _) = store
            .create_article(
                id_of(article.author),
                slug.as_str(),
                true,
                &content,
                Some(Publication::At(published_at)),
                published_at,
            )
            .await?;
        article_ids.push(id);
    }

    for (article, name, body) in COMMENTS {
        let html = render_comment(body);
        let comment = NewComment {
            article_id: article_ids[article],
            parent_id: None,
            author_id: id_of(name),
            body_markdown: body,
            body_html: &html,
        };
        store.add_comment(&comment, now - hour).await?;
    }
    for (n, article_id) in article_ids.iter().enumerate() {
        for (k, (_, user_id)) in ids.iter().enumerate() {
            if (n + k) % 3 != 0 {
                store.set_like(*article_id, *user_id, true, now).await?;
            }
        }
    }
    Ok(format!("editor / {editor_password}"))
}
