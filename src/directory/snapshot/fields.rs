//! The one table of a user record's string fields: their order in the snapshot, their JSON names (as
//! `DirectoryUser` serializes them) and the role each plays in encoding and lookups. Every reader and
//! writer of records (owned encode/decode, the builder, the compact directory and its JSON writer)
//! goes through this table; [`values`] and [`values_mut`] are the only places that name the
//! `DirectoryUser` fields, and a test checks them against the table's JSON names.

use crate::directory::key::LookupKey;
use crate::profile::DirectoryUser;

/// Position of the given name in [`FIELDS`].
pub(in crate::directory) const GIVEN: usize = 4;
/// Position of the family name in [`FIELDS`].
pub(in crate::directory) const FAMILY: usize = 6;
/// Position of the birthdate in [`FIELDS`].
pub(in crate::directory) const BIRTHDATE: usize = 11;

/// Number of string fields in a record.
pub(in crate::directory) const COUNT: usize = 20;

/// What a field is for, beyond being stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::directory) enum Role {
    /// A plain attribute.
    Plain,
    /// The Okta id (unique: written inline, indexed by id).
    Id,
    /// The login (unique: written inline; the `login` lookup key; what "same as login" refers to).
    Login,
    /// An email: the `email` / `secondEmail` lookup key, written as "same as login" when equal to it.
    Email(LookupKeyField),
    /// Nearly always unique (phones): written inline, never counted for the string table.
    Unique,
    /// The employee number: unique (written inline) and the `employeeNumber` lookup key.
    EmployeeNumber,
}

/// Which email lookup key an [`Role::Email`] field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::directory) enum LookupKeyField {
    /// `email`.
    Email,
    /// `secondEmail`.
    SecondEmail,
}

/// One string field: its JSON object (`name`, `address`, `phones`, or top level), JSON name and role.
#[derive(Debug, Clone, Copy)]
pub(in crate::directory) struct Field {
    /// The JSON object it sits in (`None`: top level).
    pub(in crate::directory) object: Option<&'static str>,
    /// Its JSON name.
    pub(in crate::directory) name: &'static str,
    /// What it is for.
    pub(in crate::directory) role: Role,
}

const fn field(object: Option<&'static str>, name: &'static str, role: Role) -> Field {
    Field { object, name, role }
}

const NAME: Option<&str> = Some("name");
const ADDRESS: Option<&str> = Some("address");
const PHONES: Option<&str> = Some("phones");

/// The string fields in snapshot order (the order is part of the format).
pub(in crate::directory) const FIELDS: [Field; COUNT] = [
    field(None, "id", Role::Id),
    field(None, "login", Role::Login),
    field(None, "email", Role::Email(LookupKeyField::Email)),
    field(None, "secondEmail", Role::Email(LookupKeyField::SecondEmail)),
    field(NAME, "given", Role::Plain),
    field(NAME, "middle", Role::Plain),
    field(NAME, "family", Role::Plain),
    field(NAME, "honorificPrefix", Role::Plain),
    field(NAME, "honorificSuffix", Role::Plain),
    field(NAME, "nickname", Role::Plain),
    field(NAME, "display", Role::Plain),
    field(None, "birthdate", Role::Plain),
    field(ADDRESS, "streetAddress", Role::Plain),
    field(ADDRESS, "locality", Role::Plain),
    field(ADDRESS, "region", Role::Plain),
    field(ADDRESS, "postalCode", Role::Plain),
    field(ADDRESS, "country", Role::Plain),
    field(PHONES, "mobile", Role::Unique),
    field(PHONES, "primary", Role::Unique),
    field(None, "employeeNumber", Role::EmployeeNumber),
];

/// Position of the id.
pub(in crate::directory) const ID: usize = position(Role::Id);
/// Position of the login.
pub(in crate::directory) const LOGIN: usize = position(Role::Login);

const fn position(role: Role) -> usize {
    let mut i = 0;
    while i < COUNT {
        if matches!(
            (FIELDS[i].role, role),
            (Role::Id, Role::Id) | (Role::Login, Role::Login) | (Role::EmployeeNumber, Role::EmployeeNumber)
        ) {
            return i;
        }
        i += 1;
    }
    COUNT
}

/// Whether field `i` may be stored as "same as the login" (the emails).
#[inline]
pub(in crate::directory) const fn may_be_same_as_login(i: usize) -> bool {
    i < COUNT && matches!(FIELDS[i].role, Role::Email(_))
}

/// Whether field `i` is always written inline and never counted for the string table.
#[inline]
pub(in crate::directory) const fn is_unique(i: usize) -> bool {
    i < COUNT && matches!(FIELDS[i].role, Role::Id | Role::Login | Role::Unique | Role::EmployeeNumber)
}

/// Whether field `i` is the id or a fixed-field lookup key (what a lookup index reads of a record).
#[inline]
pub(in crate::directory) const fn is_key_or_id(i: usize) -> bool {
    i < COUNT && matches!(FIELDS[i].role, Role::Id | Role::Login | Role::Email(_) | Role::EmployeeNumber)
}

/// The field holding a fixed-field lookup key (custom keys have none).
pub(in crate::directory) fn of_key(key: &LookupKey) -> Option<usize> {
    FIELDS.iter().position(|f| {
        matches!(
            (key, f.role),
            (LookupKey::Login, Role::Login)
                | (LookupKey::EmployeeNumber, Role::EmployeeNumber)
                | (LookupKey::Email, Role::Email(LookupKeyField::Email))
                | (LookupKey::SecondEmail, Role::Email(LookupKeyField::SecondEmail))
        )
    })
}

/// The string fields of a user, in [`FIELDS`] order.
pub(in crate::directory) fn values(u: &DirectoryUser) -> [&Option<String>; COUNT] {
    let (n, a, p) = (&u.name, &u.address, &u.phones);
    [
        &u.id,
        &u.login,
        &u.email,
        &u.second_email,
        &n.given,
        &n.middle,
        &n.family,
        &n.honorific_prefix,
        &n.honorific_suffix,
        &n.nickname,
        &n.display,
        &u.birthdate,
        &a.street_address,
        &a.locality,
        &a.region,
        &a.postal_code,
        &a.country,
        &p.mobile,
        &p.primary,
        &u.employee_number,
    ]
}

/// The string fields of a user, mutable, in [`FIELDS`] order.
pub(in crate::directory) fn values_mut(u: &mut DirectoryUser) -> [&mut Option<String>; COUNT] {
    let (n, a, p) = (&mut u.name, &mut u.address, &mut u.phones);
    [
        &mut u.id,
        &mut u.login,
        &mut u.email,
        &mut u.second_email,
        &mut n.given,
        &mut n.middle,
        &mut n.family,
        &mut n.honorific_prefix,
        &mut n.honorific_suffix,
        &mut n.nickname,
        &mut n.display,
        &mut u.birthdate,
        &mut a.street_address,
        &mut a.locality,
        &mut a.region,
        &mut a.postal_code,
        &mut a.country,
        &mut p.mobile,
        &mut p.primary,
        &mut u.employee_number,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accessors_follow_the_table_and_its_json_names() {
        let mut user = DirectoryUser::default();
        for (i, slot) in values_mut(&mut user).into_iter().enumerate() {
            *slot = Some(format!("v{i}"));
        }
        let json = serde_json::to_value(&user).unwrap_or_default();
        for (i, (f, value)) in FIELDS.iter().zip(values(&user)).enumerate() {
            let at = match f.object {
                Some(o) => &json[o][f.name],
                None => &json[f.name],
            };
            assert_eq!(at.as_str(), Some(format!("v{i}").as_str()), "{}", f.name);
            assert_eq!(value.as_deref(), Some(format!("v{i}").as_str()));
        }
    }

    #[test]
    fn the_roles_name_the_positions_the_format_always_used() {
        assert_eq!((ID, LOGIN), (0, 1));
        assert_eq!((0..COUNT).filter(|i| is_unique(*i)).collect::<Vec<_>>(), [0, 1, 17, 18, 19]);
        assert_eq!((0..COUNT).filter(|i| may_be_same_as_login(*i)).collect::<Vec<_>>(), [2, 3]);
        assert_eq!((0..COUNT).filter(|i| is_key_or_id(*i)).collect::<Vec<_>>(), [0, 1, 2, 3, 19]);
        let keys = [LookupKey::Login, LookupKey::Email, LookupKey::SecondEmail, LookupKey::EmployeeNumber];
        assert_eq!(keys.iter().map(of_key).collect::<Vec<_>>(), [Some(1), Some(2), Some(3), Some(19)]);
        assert_eq!(of_key(&LookupKey::Custom("x".into())), None);
        let named = |i: usize| FIELDS.get(i).map(|f| (f.object, f.name));
        assert_eq!(named(GIVEN), Some((NAME, "given")));
        assert_eq!(named(FAMILY), Some((NAME, "family")));
        assert_eq!(named(BIRTHDATE), Some((None, "birthdate")));
    }
}
