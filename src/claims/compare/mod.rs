//! Comparators, one per claim kind; each returns an outcome, a score and reason codes.

mod address;
mod birthdate;
mod email;
mod names;
mod phone;
mod phone_regions;

pub use address::{
    compare_address, normalize_country, normalize_locality, normalize_postal, normalize_region, normalize_street,
    AddressParts, AddressResult, StreetKey,
};
pub use birthdate::compare_birthdate;
pub use email::compare_email;
pub use names::{compare_name, names_swapped};
pub use phone::{compare_phone, to_e164, E164};
