//! A step says to connect or finish things without naming a file.
//!
//! ## What it does
//! Reports a step whose title or description is worded as open-ended glue — "wire everything
//! together", "integrate with the existing …", "hook it all up", "finish the rest" — and that
//! names no file: no Produces path and no path in inline code.
//!
//! ## Why is this bad?
//! Such a step hides the work it stands for: which modules, which interfaces, which files. It
//! cannot be verified by one test, it does not say what it depends on, and it is where a plan
//! quietly runs over. The seeds' ordering and integration passes need each step to name what
//! it touches.
//!
//! ## Example
//! ```markdown
//! ### 6. Wire everything together
//!
//! Integrate with the existing system.
//! ```
//!
//! ## Use instead
//! ```markdown
//! ### 6. Route webhook events to the delivery queue
//!
//! **Produces:**
//! - `src/routes/events.ts` — POST /events enqueues a delivery
//! ```

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "vague-step";

use super::{Context, Sink};

/// Wordings of open-ended glue work (matched in lower case).
const VAGUE: &[&str] = &[
    "wire everything",
    "wire it all",
    "wire up everything",
    "tie everything together",
    "put it all together",
    "put everything together",
    "hook everything up",
    "hook it all up",
    "integrate with the existing",
    "integrate everything",
    "make it all work",
    "make everything work",
    "finish the rest",
    "do the rest",
    "finishing touches",
    "miscellaneous",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    // Markdown plans only: a tracker's issue descriptions are prose of another kind.
    if !cx.plan.kind.is_markdown_plan() {
        return;
    }
    for s in &cx.plan.steps {
        // The title and the description under it, before the first field: where a step says
        // what it does (criteria and commands below are read by other rules).
        let end = s
            .fields
            .iter()
            .map(|f| f.span.start)
            .filter(|&at| at > s.heading.start)
            .min()
            .unwrap_or(s.span.end);
        let Some(phrase) = vague_phrase(&cx.src[s.heading.start..end]) else {
            continue;
        };
        let names_a_file = !s.paths(cx.src, "produces").is_empty()
            || !s.paths(cx.src, "modifies").is_empty()
            || s.code_spans(cx.plan)
                .iter()
                .any(|c| crate::text::path_in(c.text(cx.src)).is_some());
        if names_a_file {
            continue;
        }
        out.report(
            s.heading,
            format!(
                "step {} says \"{phrase}\" and names no file: nothing says what it touches or when it is done",
                s.id
            ),
        )
        .help("name the files or modules it changes (under **Produces:**) and the check that proves it, or split it");
    }
}

/// The first vague wording in `text`, in any case, read word by word: a word that does not
/// begin a wording is passed over by its length and first letter alone. (A lowered copy and
/// a search per wording was 7% of a whole check; a comparison at every word start, 21%.)
fn vague_phrase(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let end = i + b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let word = &b[i..end];
        // The first words of the wordings: most words are passed over here.
        let first = word[0].to_ascii_lowercase();
        if !matches!(word.len(), 2 | 3 | 4 | 6 | 9 | 13) || !b"dfhimptw".contains(&first) {
            i = end;
            continue;
        }
        let found = VAGUE.iter().copied().find(|p| {
            let p = p.as_bytes();
            // The wording's first word is this word (a one-word wording ends with it).
            p.len() >= word.len()
                && matches!(p.get(word.len()), None | Some(b' '))
                && p[..word.len()].eq_ignore_ascii_case(word)
                && b.get(i..i + p.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(p))
        });
        if found.is_some() {
            return found;
        }
        i = end;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn wordings_match_at_word_starts_in_any_case() {
        assert_eq!(
            super::vague_phrase("Then Wire Everything up"),
            Some("wire everything")
        );
        assert_eq!(super::vague_phrase("rewire everything"), None);
        assert_eq!(super::vague_phrase("nothing vague"), None);
        // The first-word filter lets every wording through.
        for p in super::VAGUE {
            assert_eq!(super::vague_phrase(&p.to_uppercase()), Some(*p));
        }
    }
}
