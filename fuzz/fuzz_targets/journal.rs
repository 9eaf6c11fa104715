//! The run journal's reader: any bytes give the lines that read, never a panic, and a line
//! that reads writes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planwright::run::journal;

fuzz_target!(|data: &[u8]| {
    for line in journal::parse(data) {
        let again = serde_json::to_vec(&line).expect("a line that read serialises");
        assert_eq!(journal::parse(&again), vec![line]);
    }
});
