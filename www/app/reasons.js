// @ts-check
// Short labels for the claims engine's reason codes and agreement levels, for the pages admins read (the
// claims playground, the helpdesk console). Every code the engine can give has one: docs/claims.md's
// "Reason codes" table is the list (tests/e2e/reason-labels.test.mjs checks both ways). No imports, so
// the test reads it without a page.

/** Every reason code with a short label (what it says about the two values). */
export const REASON_LABELS = /** @type {Readonly<Record<string, string>>} */ ({
  DIACRITICS_FOLDED: "same apart from accents",
  CASE_FOLDED: "same apart from letter case",
  TRANSLITERATED: "same once a letter is spelled out (ü = ue)",
  HONORIFIC_IGNORED: "a title (Dr, Mrs…) set aside",
  CREDENTIAL_IGNORED: "a credential (PhD, MD…) set aside",
  SPACING_NORMALIZED: "same apart from spaces and hyphens",
  SURNAME_SUBSET: "one family name is part of the other (or cut by a field limit)",
  TOKEN_SUBSET: "one name's parts are part of the other's",
  TOKENS_REORDERED: "the family name's parts in another order",
  NICKNAME: "a known short form of the name",
  INITIAL: "an initial of the name",
  OCR_CONFUSION: "letters a scanner confuses (0/O, 1/l, rn/m)",
  NAME_FUZZY_MATCH: "one spelling edit apart",
  NAME_TWO_EDITS: "two spelling edits apart",
  NAMES_SWAPPED: "given and family name swapped",
  GOES_BY_MIDDLE_NAME: "goes by a later given name (a middle name)",
  DISTINCT_GIVEN_NAMES: "two different real names spelled alike (Kevin/Kelvin): not a typo",
  SHORT_NAME_ONE_LETTER_APART: "short names one letter apart (Sam/Pam): a person checks",
  FAMILY_NAME_CHANGED: "a changed family name, corroborated: a person checks the document",
  DIRECTORY_INVISIBLE: "invisible characters removed from the directory value (data quality)",
  PLACEHOLDER_VALUE: "the directory value is a placeholder (N/A): read as missing",
  NICKNAME_AMBIGUOUS: "a short form of several names (Alex): a person checks",
  TRANSLITERATED_SCRIPT: "the same name in another alphabet: a person checks",
  PREFIX_NAME: "one name is the start of another (Smith/Smithson)",
  NAME_ENDING_DIFFERS: "a different ending (Daniel/Daniela)",
  GENERATIONAL_SUFFIX_DIFFERS: "Jr/Sr differs",
  SCRIPT_DIFFERS: "written in another alphabet",
  SUSPICIOUS_MIXED_SCRIPT: "look-alike letters from another alphabet",
  SUSPICIOUS_CONFUSABLE: "look-alike characters",
  SUSPICIOUS_INVISIBLE: "invisible characters",
  SUSPICIOUS_BIDI_CONTROL: "text-direction controls",
  SUSPICIOUS_CONTROL: "control characters",
  DAY_MONTH_SWAPPED: "day and month swapped",
  ONE_DIGIT_OFF: "one digit off",
  DIGITS_TRANSPOSED: "two digits swapped",
  YEAR_DIFFERS: "another year",
  CENTURY_INFERRED: "century inferred from a two-digit year",
  AMBIGUOUS_DATE: "day and month order unknown",
  PARTIAL_DATE: "an incomplete date",
  UNPARSEABLE: "not readable",
  DATE_ORDER_FROM_ISSUING_COUNTRY: "day/month order of the document's issuing country",
  DATE_ORDER_FROM_ADDRESS_COUNTRY: "day/month order of the address's country",
  PLACEHOLDER_DATE: "1 January, a common placeholder: weaker evidence",
  REGISTRY_DEFAULT_DAY: "a day registries use when the day is unknown",
  DEFAULT_REGION_APPLIED: "the default country code added",
  TRUNK_PREFIX_REMOVED: "the national trunk prefix (0) removed",
  EXTENSION_IGNORED: "the extension set aside",
  NO_REGION: "no country to read the number in",
  STREET_ABBREVIATED: "street type abbreviated (St/Street)",
  UNIT_NORMALIZED: "unit written another way (Apt/#)",
  UNIT_MISSING_ONE_SIDE: "a unit on one side only",
  PO_BOX: "a PO box",
  ZIP4_IGNORED: "ZIP+4 extension set aside",
  POSTAL_CODE_FORMATTED: "postal code formatting set aside",
  REGION_NAME_TO_CODE: "region name read as its code",
  COUNTRY_NAME_TO_CODE: "country name read as its code",
  LOCALITY_ABBREVIATION: "city name abbreviated",
  FUZZY_MATCH: "close spelling",
  UNIT_DIFFERS: "the units differ",
  HOUSE_NUMBER_DIFFERS: "the house numbers differ",
  PO_BOX_DIFFERS: "the PO boxes differ",
  POSTAL_CODE_DIFFERS: "the postal codes differ",
  REGION_DIFFERS: "the regions differ",
  COUNTRY_DIFFERS: "the countries differ",
});

/** A reason code's label (an unknown code in lower case, never dropped). @param {string} code */
export function reasonLabel(code) {
  return REASON_LABELS[code] ?? code.toLowerCase().replace(/_/g, " ");
}

/** Every agreement level with a short label (the waterfall's rows). */
export const LEVEL_LABELS = /** @type {Readonly<Record<string, string>>} */ ({
  exact: "exact",
  folded: "equal once normalized",
  nickname: "nickname",
  subset: "part of the other",
  initial: "initial",
  ocr: "scanner confusion",
  one_edit: "one spelling edit",
  two_edits: "two spelling edits",
  swapped: "names swapped",
  placeholder: "placeholder value",
  missing: "missing (no evidence)",
  differs: "differs",
  invalid: "unreadable",
  changed: "changed family name",
});

/** A level's label. @param {string} level */
export function levelLabel(level) {
  return LEVEL_LABELS[level] ?? level.replace(/_/g, " ");
}
