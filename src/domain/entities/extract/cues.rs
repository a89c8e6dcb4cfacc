//! The clues around a run of capitalised words: what the words just
//! before it and just after it say about what it names (a title, a role,
//! "in", an apposition, a noun such as "council").

use super::{Cues, Reader, is_hyphenated_adjective, is_profession};
use crate::domain::entities::text::Token;

impl Reader<'_, '_> {
    /// What the words just before a name say about it.
    pub(super) fn context_before(&self, tokens: &[Token], start: usize) -> Cues {
        let lex = self.lexicon;
        let mut cues = Cues::default();
        let Some(previous) = start.checked_sub(1).and_then(|i| tokens.get(i)) else {
            return cues;
        };
        if !previous.is_lower() {
            return cues;
        }
        let word: &str = &previous.lower;
        // "in the Netherlands": look past an article for the preposition.
        let before_article = start
            .checked_sub(2)
            .and_then(|i| tokens.get(i))
            .filter(|t| t.is_lower() && word == "the")
            .map(|t| t.lower.as_ref());
        let word = before_article.unwrap_or(word);
        let start = if word == previous.text {
            start
        } else {
            start - 1
        };
        if lex.roles.contains(word) || is_profession(word) {
            cues.person += 3.0;
        } else if lex.organisation_nouns.contains(word) {
            // "the cloud provider Stratus Compute".
            cues.organisation += 2.0;
        } else if word == "of"
            && start
                .checked_sub(2)
                .and_then(|i| tokens.get(i))
                .is_some_and(Token::is_capital)
        {
            // "Rebecca Stone of Morgan Stanley": where a person works.
            cues.organisation += 1.5;
        } else if lex.place_prepositions.contains(word) {
            // "published in Nature" is no place.
            let published = start
                .checked_sub(2)
                .and_then(|i| tokens.get(i))
                .is_some_and(|t| {
                    matches!(
                        t.text,
                        "published" | "appear" | "appears" | "appeared" | "reported" | "wrote"
                    )
                });
            if !published {
                cues.place += 1.0;
            }
        }
        // "said trade commissioner Valdis Dombrovskis".
        let mut words: Vec<&str> = Vec::new();
        for token in tokens[..start].iter().rev().take(3) {
            if !token.is_lower() {
                break;
            }
            words.insert(0, token.lower.as_ref());
            let first = words[0];
            if lex
                .titles
                .get(first)
                .is_some_and(|titles| titles.contains(&words))
            {
                cues.person += 3.0;
                break;
            }
        }
        cues
    }

    /// What the words just after a name say about it.
    pub(super) fn context_after(&self, tokens: &[Token], end: usize) -> Cues {
        let mut cues = Cues::default();
        let next_word = |from: usize| {
            tokens[from..]
                .iter()
                .take(2)
                .find(|t| t.is_word())
                .filter(|t| t.is_lower())
                .map(|t| t.text)
        };
        match next_word(end + 1) {
            Some("who" | "whose") => cues.person += 1.5,
            Some("said" | "says" | "told" | "added" | "argued" | "insisted") => cues.person += 0.5,
            _ => {}
        }
        let lex = self.lexicon;
        // "the Cerrado savannah", "the Labour party".
        if let Some(next) = tokens.get(end + 1).filter(|t| t.is_lower()) {
            cues.add(self.noun_cues(next.text, 2.0));
        }
        // "Ibama, the environmental agency,": what the apposition names.
        // A noun there says what the thing is and outweighs the tagger's
        // reading of the word itself (at most 4 a mention); a role ("the
        // minister") counts less, as the tagger reads people's names well
        // and roles are often someone else's (weighing them as much cost
        // kind accuracy on the CoNLL development split). A capitalised
        // word ends it: in "Wang Donghai, the New York-based pressure
        // group Human Rights in China said" the group is another name's.
        if tokens.get(end + 1).is_some_and(|t| t.is_punct(','))
            && tokens
                .get(end + 2)
                .is_some_and(|t| matches!(t.text, "the" | "a" | "an"))
        {
            for token in tokens[end + 3..]
                .iter()
                .take(4)
                .take_while(|t| t.is_word() && (t.is_lower() || is_hyphenated_adjective(t.text)))
                .filter(|t| t.is_lower())
            {
                if lex.roles.contains(token.text) {
                    cues.person += 2.0;
                    break;
                }
                let nouns = self.noun_cues(token.text, 8.0);
                if nouns.any() {
                    cues.add(nouns);
                    break;
                }
            }
        }
        cues
    }

    pub(super) fn noun_cues(&self, word: &str, weight: f32) -> Cues {
        let mut cues = Cues::default();
        if self.lexicon.organisation_nouns.contains(word) {
            cues.organisation += weight;
        } else if self.lexicon.place_nouns.contains(word) {
            cues.place += weight;
        }
        cues
    }
}
