//! `planwright.toml`: any text is a configuration or an error naming the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = planwright::config::Config::parse(text, "planwright.toml");
    }
});
