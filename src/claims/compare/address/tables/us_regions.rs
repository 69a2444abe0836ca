//! US states, the District of Columbia, territories and armed-forces "states": name → code.
//!
//! Source of the facts: USPS Publication 28, Appendix B "Two-Letter State and Possession
//! Abbreviations" (the codes are also ISO 3166-2:US subdivision codes for the states, DC and the
//! outlying areas).

/// (name, two-letter code).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const US_REGIONS: &str = concat!(
    "Alabama|AL;", "Alaska|AK;", "Arizona|AZ;", "Arkansas|AR;", "California|CA;",
    "Colorado|CO;", "Connecticut|CT;", "Delaware|DE;", "District of Columbia|DC;",
    "Washington DC|DC;", "Washington D.C.|DC;", "D.C.|DC;",
    "Florida|FL;", "Georgia|GA;", "Hawaii|HI;", "Idaho|ID;", "Illinois|IL;",
    "Indiana|IN;", "Iowa|IA;", "Kansas|KS;", "Kentucky|KY;", "Louisiana|LA;",
    "Maine|ME;", "Maryland|MD;", "Massachusetts|MA;", "Michigan|MI;", "Minnesota|MN;",
    "Mississippi|MS;", "Missouri|MO;", "Montana|MT;", "Nebraska|NE;", "Nevada|NV;",
    "New Hampshire|NH;", "New Jersey|NJ;", "New Mexico|NM;", "New York|NY;",
    "North Carolina|NC;", "North Dakota|ND;", "Ohio|OH;", "Oklahoma|OK;", "Oregon|OR;",
    "Pennsylvania|PA;", "Rhode Island|RI;", "South Carolina|SC;", "South Dakota|SD;",
    "Tennessee|TN;", "Texas|TX;", "Utah|UT;", "Vermont|VT;", "Virginia|VA;",
    "Washington|WA;", "West Virginia|WV;", "Wisconsin|WI;", "Wyoming|WY;",
    "American Samoa|AS;", "Guam|GU;", "Northern Mariana Islands|MP;", "Puerto Rico|PR;",
    "U.S. Virgin Islands|VI;", "Virgin Islands|VI;", "United States Minor Outlying Islands|UM;",
    "Federated States of Micronesia|FM;", "Marshall Islands|MH;", "Palau|PW;",
    "Armed Forces Americas|AA;", "Armed Forces Europe|AE;", "Armed Forces Pacific|AP;",
);
