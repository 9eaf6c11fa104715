//! The splice editor: an edit leaves every byte outside its range identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planwright_core::Span;
use planwright_core::edit::{Edit, apply};

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (a, b) = (usize::from(data[0]), usize::from(data[1]));
    let Ok(src) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let (start, end) = (a.min(b).min(src.len()), a.max(b).min(src.len()));
    if !src.is_char_boundary(start) || !src.is_char_boundary(end) {
        return;
    }
    let Ok(out) = apply(src, &[Edit::replace(Span::new(start, end), "«new»")]) else {
        return;
    };
    assert_eq!(&out[..start], &src[..start]);
    assert_eq!(&out[out.len() - (src.len() - end)..], &src[end..]);
});
