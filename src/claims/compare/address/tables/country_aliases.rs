//! Other names people and documents write for a country: everyday English names, endonyms, former
//! names and dotted or informal abbreviations → ISO 3166-1 alpha-2.
//!
//! Source of the facts: ISO 3166-1 (the codes, and the former names in ISO 3166-3), the UN Terminology
//! Database (everyday English names) and the countries' own names for themselves. An alias must name
//! exactly one country: ambiguous words ("Congo", "Korea", "Guinea") are not aliases.

/// (name, alpha-2).
#[rustfmt::skip]
/// Written as `name|value;` rows of one string (see `pairs`).
pub(crate) const COUNTRY_ALIASES: &str = concat!(
    // United States
    "United States|US;", "U.S.A.|US;", "U.S.|US;", "America|US;", "Estados Unidos|US;",
    "Vereinigte Staaten|US;", "États-Unis|US;", "Etats-Unis d'Amérique|US;",
    // United Kingdom (UK is an ISO exceptionally reserved code for GB)
    "UK|GB;", "U.K.|GB;", "Great Britain|GB;", "Britain|GB;",
    "United Kingdom of Great Britain and Northern Ireland|GB;", "England|GB;", "Scotland|GB;",
    "Wales|GB;", "Northern Ireland|GB;", "Royaume-Uni|GB;", "Vereinigtes Königreich|GB;",
    // Europe
    "Deutschland|DE;", "Federal Republic of Germany|DE;", "Bundesrepublik Deutschland|DE;",
    "Allemagne|DE;", "Alemania|DE;",
    "España|ES;", "Espagne|ES;", "Spanien|ES;", "Kingdom of Spain|ES;",
    "Holland|NL;", "The Netherlands|NL;", "Nederland|NL;", "Kingdom of the Netherlands|NL;",
    "République française|FR;", "French Republic|FR;", "Frankreich|FR;", "Francia|FR;",
    "Italia|IT;", "Italien|IT;", "Italie|IT;",
    "Schweiz|CH;", "Suisse|CH;", "Svizzera|CH;", "Swiss Confederation|CH;", "Helvetia|CH;",
    "Österreich|AT;", "Belgique|BE;", "België|BE;", "Belgien|BE;",
    "Danmark|DK;", "Sverige|SE;", "Norge|NO;", "Suomi|FI;", "Ísland|IS;",
    "Éire|IE;", "Republic of Ireland|IE;",
    "Polska|PL;", "Česko|CZ;", "Czech Republic|CZ;", "Slovensko|SK;", "Slovak Republic|SK;",
    "Magyarország|HU;", "România|RO;", "Hrvatska|HR;", "Slovenija|SI;",
    "Srbija|RS;", "Hellas|GR;", "Ellada|GR;",
    "Russia|RU;", "Rossiya|RU;", "Moldova|MD;", "Macedonia|MK;", "Republic of North Macedonia|MK;",
    "Turkey|TR;", "Republic of Türkiye|TR;", "Vatican|VA;", "Vatican City|VA;",
    // Asia and the Middle East
    "South Korea|KR;", "Republic of Korea|KR;", "Korea (South)|KR;", "Korea, South|KR;",
    "North Korea|KP;", "Korea (North)|KP;", "Korea, North|KP;", "DPRK|KP;",
    "People's Republic of China|CN;", "PRC|CN;", "Zhongguo|CN;", "Nippon|JP;", "Nihon|JP;",
    "Taiwan|TW;", "Republic of China|TW;", "Vietnam|VN;", "Laos|LA;", "Burma|MM;",
    "Brunei|BN;", "East Timor|TL;", "Iran|IR;", "Persia|IR;", "Syria|SY;",
    "Palestine|PS;", "UAE|AE;", "Emirates|AE;", "Bharat|IN;", "Hong Kong SAR|HK;",
    "Macau|MO;", "Macao SAR|MO;", "Kyrgyz Republic|KG;",
    // Africa
    "Ivory Coast|CI;", "Cape Verde|CV;", "Swaziland|SZ;",
    "Democratic Republic of the Congo|CD;", "DR Congo|CD;", "DRC|CD;", "Congo-Kinshasa|CD;",
    "Republic of the Congo|CG;", "Congo-Brazzaville|CG;", "Tanzania|TZ;", "The Gambia|GM;",
    "Misr|EG;",
    // The Americas and Oceania
    "Bolivia|BO;", "Venezuela|VE;", "Brasil|BR;", "México|MX;", "Mexique|MX;",
    "The Bahamas|BS;", "Falkland Islands|FK;", "British Virgin Islands|VG;",
    "U.S. Virgin Islands|VI;", "Sint Maarten|SX;",
    "Saint Martin|MF;", "St. Lucia|LC;", "St. Kitts and Nevis|KN;",
    "St. Vincent and the Grenadines|VC;", "Aotearoa|NZ;", "Micronesia|FM;",
);
