//! Tests of [`super`].

use super::*;

#[test]
fn sections_by_heading() {
    assert_eq!(
        section_kind("Outcomes and Retrospective"),
        SectionKind::Outcomes
    );
    assert_eq!(section_kind("Risks / Open Questions"), SectionKind::Risks);
}

#[test]
fn statuses_in_any_case() {
    assert_eq!(parse_status("Approved"), Some(Status::Approved));
    assert_eq!(parse_status("`in_review`"), Some(Status::InReview));
    assert_eq!(parse_status("In Review"), Some(Status::InReview));
    assert_eq!(parse_status("shipped"), None);
}

#[test]
fn step_ids_are_shared_up_to_99_and_read_the_same() {
    for n in 0..1000 {
        let text = n.to_string();
        let id = step_id(&text);
        assert_eq!(id, text.as_str());
        assert_eq!(matches!(id, Cow::Borrowed(_)), n < 100, "{text}");
        assert_eq!(step_id_from(text.clone()), text.as_str());
    }
    for text in ["", "01", "2.1", "A1", "T001", "é"] {
        assert_eq!(step_id(text), text);
        assert_eq!(step_id_from(text.to_owned()), text);
    }
    assert!(
        matches!(step_id("01"), Cow::Owned(_)),
        "a leading zero is kept as written"
    );
}

#[test]
fn items_read_alike_inline_and_spilled() {
    let mut items = Items::new();
    let mut plain = Vec::new();
    for i in 0..7 {
        let item = Item {
            span: Span::new(i, i + 1),
        };
        items.push(item);
        plain.push(item);
        assert_eq!(&items[..], &plain[..]);
    }
    items[6].span.end = 99;
    assert_eq!(items.last().map(|i| i.span.end), Some(99));
    let json = serde_json::to_string(&items.iter().take(1).copied().collect::<Items>());
    assert_eq!(json.unwrap(), r#"[{"span":{"start":0,"end":1}}]"#);
    assert_eq!(items.pop().map(|i| i.span.end), Some(99));
    assert_eq!(items.into_iter().count(), 6);
    let mut one: InlineVec<String, 1> = InlineVec::new();
    one.push("a".into());
    assert_eq!(one.pop().as_deref(), Some("a"));
    assert_eq!(one.pop(), None);
    one.extend(["b".to_owned(), "c".to_owned()]);
    assert_eq!(one.into_iter().collect::<Vec<_>>(), ["b", "c"]);
}
