//! Comparators, one per claim kind; each returns an outcome, a score and reason codes.

mod address;
mod birthdate;
mod email;
mod names;
mod phone;
mod phone_regions;

pub use address::{
    compare_address, compare_prepared_address, normalize_country, normalize_locality, normalize_postal,
    normalize_region, normalize_street, AddressParts, AddressResult, PreparedAddress, StreetKey,
};
pub(crate) use address::{compare_prepared_parts, PartResults};
pub use birthdate::{compare_birthdate, compare_read_birthdate, read_directory_date, VerifiedDate};
pub use email::{compare_email, compare_prepared_email, PreparedEmail};
pub use names::{compare_name, compare_prepared_name, names_swapped, prepared_names_swapped, PreparedName};
pub(crate) use names::{
    corroborated_family_names, first_part_is, prepared_names_swapped_with_typo, second_given_name_contradicts,
};
pub use phone::{compare_phone, compare_prepared_phone, to_e164, PreparedPhone, E164};
