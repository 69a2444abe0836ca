//! TypeScript declarations for inputs that the core reads as free-form JSON.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_MAPPING: &'static str = r#"
/** Canonical fields an attribute mapping can fill. */
export type MappableField =
  | "login" | "email" | "secondEmail" | "givenName" | "middleName" | "familyName"
  | "honorificPrefix" | "honorificSuffix" | "nickname" | "displayName" | "birthdate"
  | "streetAddress" | "locality" | "region" | "postalCode" | "country"
  | "mobilePhone" | "primaryPhone" | "employeeNumber";

/** Field order for all-numeric birthdates such as 03/04/1990. */
export type BirthdateOrder = "auto" | "mdy" | "dmy" | "ymd";

/**
 * Where each canonical field comes from: an Okta profile path (`profile.LegalFirstName` or
 * `LegalFirstName`) or an ordered list of them; the first usable value wins. Unnamed fields keep
 * their defaults; an empty list turns a field off.
 */
export type AttributeMappingInput = {
  [F in MappableField]?: string | readonly string[];
} & { birthdateOrder?: BirthdateOrder };
"#;
