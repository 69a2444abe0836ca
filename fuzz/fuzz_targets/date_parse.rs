//! The birthdate parser on arbitrary input, in every field order: never a panic, and every date it
//! returns is a real calendar day that survives an ISO round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::date::{parse_date, DateOrder};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for order in [DateOrder::Auto, DateOrder::Mdy, DateOrder::Dmy, DateOrder::Ymd] {
        if let Ok(date) = parse_date(text, order) {
            assert_eq!(parse_date(&date.to_iso(), DateOrder::Ymd), Ok(date));
        }
    }
});
