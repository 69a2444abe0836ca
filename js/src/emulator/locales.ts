/**
 * Name and address material for the generator, per country. Chosen to exercise what breaks
 * identity matching in practice: diacritics, compound and particle surnames, apostrophes, hyphens,
 * non-Latin scripts, postal codes with leading zeros or letters, free-text phone formats.
 */
export interface Locale {
  readonly country: string; // ISO 3166-1 alpha-2, as Okta's countryCode
  readonly weight: number;
  readonly given: readonly string[];
  readonly family: readonly string[];
  /** Two family names joined (Spanish/Portuguese style) or hyphenated, with this probability. */
  readonly compound: number;
  readonly compoundJoin: " " | "-";
  readonly cities: readonly (readonly [city: string, region: string | null, postal: string])[];
  readonly streets: readonly string[];
  /** `#` is replaced by a digit. */
  readonly phone: readonly string[];
  readonly locale: string;
  readonly timezone: string;
  /** House number before (true) or after (false) the street name. */
  readonly numberFirst: boolean;
}

export const LOCALES: readonly Locale[] = [
  {
    country: "US", weight: 30, locale: "en_US", timezone: "America/Chicago", numberFirst: true,
    given: ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "DeShawn", "Aaliyah", "José", "Chloé", "Zoë", "Brian", "Ashley", "Tyler", "Renée"],
    family: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "O'Connor", "McDonald", "Nguyen", "Washington", "García", "St. John", "Van Buren"],
    compound: 0.04, compoundJoin: "-",
    cities: [["Springfield", "IL", "62701"], ["Boston", "MA", "02108"], ["Austin", "TX", "78701"], ["Seattle", "WA", "98101"], ["Newark", "NJ", "07102"], ["San José", "CA", "95113"]],
    streets: ["Main St", "Oak Avenue", "Maple Dr.", "Martin Luther King Jr Blvd", "5th Ave Apt 4B", "Elm Street Suite 200"],
    phone: ["+1 ###-###-####", "(###) ###-####", "###.###.####", "+1##########"],
  },
  {
    country: "GB", weight: 8, locale: "en_GB", timezone: "Europe/London", numberFirst: true,
    given: ["Oliver", "Amelia", "Harry", "Isla", "Siobhán", "Niamh", "Rhys", "Aoife", "Priya", "Mohammed"],
    family: ["Taylor", "Wilson", "Evans", "Thomas", "Roberts", "ap Gruffydd", "Featherstonehaugh", "Ó Súilleabháin", "Khan", "Patel"],
    compound: 0.06, compoundJoin: "-",
    cities: [["London", null, "SW1A 1AA"], ["Manchester", null, "M1 1AE"], ["Cardiff", "Wales", "CF10 1EP"], ["Edinburgh", "Scotland", "EH1 1YZ"]],
    streets: ["High Street", "Church Lane", "Victoria Road", "Flat 3, 12 Queen's Gate"],
    phone: ["+44 7### ######", "07### ######", "+44 (0)20 #### ####"],
  },
  {
    country: "DE", weight: 7, locale: "de_DE", timezone: "Europe/Berlin", numberFirst: false,
    given: ["Jürgen", "Lukas", "Sören", "Jörg", "Käthe", "Anja", "Björn", "Lea-Marie", "Hans-Peter", "Özlem"],
    family: ["Müller", "Schmidt", "Schröder", "Weiß", "Groß", "von Hohenzollern", "Bäcker", "Öztürk", "Meyer", "Zimmermann"],
    compound: 0.1, compoundJoin: "-",
    cities: [["Berlin", "Berlin", "10115"], ["München", "Bayern", "80331"], ["Köln", "Nordrhein-Westfalen", "50667"], ["Dresden", "Sachsen", "01067"]],
    streets: ["Hauptstraße", "Bahnhofstr.", "Königsallee", "Am Großen Wannsee"],
    phone: ["+49 151 ########", "0151 ########", "+49 (0)30 #######"],
  },
  {
    country: "FR", weight: 6, locale: "fr_FR", timezone: "Europe/Paris", numberFirst: true,
    given: ["Élodie", "François", "Anaïs", "Jérôme", "Maëlle", "Noël", "Hélène", "Jean-Baptiste", "Bérénice", "Loïc"],
    family: ["Lefèvre", "Dubois", "Moreau", "Girard", "de La Fontaine", "Bénard", "Lemaître", "Dupré", "N'Diaye", "Chevalier"],
    compound: 0.05, compoundJoin: "-",
    cities: [["Paris", "Île-de-France", "75001"], ["Lyon", "Auvergne-Rhône-Alpes", "69002"], ["Besançon", "Bourgogne-Franche-Comté", "25000"], ["Nîmes", "Occitanie", "30000"]],
    streets: ["rue de la Paix", "avenue des Champs-Élysées", "boulevard Saint-Germain", "place de l'Église"],
    phone: ["+33 6 ## ## ## ##", "06 ## ## ## ##", "+33 (0)1 ## ## ## ##"],
  },
  {
    country: "ES", weight: 5, locale: "es_ES", timezone: "Europe/Madrid", numberFirst: false,
    given: ["José", "María", "Íñigo", "Begoña", "Jesús", "Lucía", "Álvaro", "Nuria", "María José", "Ángel"],
    family: ["García", "Fernández", "López", "Martínez", "Sánchez", "Núñez", "Muñoz", "Ibáñez", "de la Cruz", "Peña"],
    compound: 0.85, compoundJoin: " ",
    cities: [["Madrid", "Madrid", "28013"], ["Barcelona", "Cataluña", "08002"], ["A Coruña", "Galicia", "15001"], ["Cádiz", "Andalucía", "11001"]],
    streets: ["Calle Mayor", "Avenida de la Constitución", "Plaza de España", "Calle del Pez, 3º izq."],
    phone: ["+34 6## ### ###", "6## ## ## ##"],
  },
  {
    country: "MX", weight: 4, locale: "es_MX", timezone: "America/Mexico_City", numberFirst: false,
    given: ["Guadalupe", "Juan Pablo", "Ximena", "Sofía", "Héctor", "Andrés", "Xóchitl", "Renata"],
    family: ["Hernández", "González", "Rodríguez", "Pérez", "Ramírez", "Gutiérrez", "Cuauhtémoc", "Ordóñez"],
    compound: 0.9, compoundJoin: " ",
    cities: [["Ciudad de México", "CDMX", "06000"], ["Guadalajara", "Jalisco", "44100"], ["Mérida", "Yucatán", "97000"]],
    streets: ["Av. Insurgentes Sur", "Calle 60", "Paseo de la Reforma"],
    phone: ["+52 55 #### ####", "55 #### ####"],
  },
  {
    country: "BR", weight: 4, locale: "pt_BR", timezone: "America/Sao_Paulo", numberFirst: false,
    given: ["João", "Conceição", "Luíza", "Antônio", "Thaís", "Caio", "Gonçalo", "Letícia"],
    family: ["Silva", "Santos", "Araújo", "Gonçalves", "Magalhães", "Conceição", "dos Reis", "Brandão"],
    compound: 0.7, compoundJoin: " ",
    cities: [["São Paulo", "SP", "01310-100"], ["Rio de Janeiro", "RJ", "20040-002"], ["Belém", "PA", "66010-000"]],
    streets: ["Avenida Paulista", "Rua Augusta", "Rua da Conceição"],
    phone: ["+55 11 9####-####", "(11) 9####-####"],
  },
  {
    country: "JP", weight: 4, locale: "ja_JP", timezone: "Asia/Tokyo", numberFirst: false,
    given: ["Haruto", "Yūki", "Sōta", "Aoi", "Ōtani", "Hinata", "翔太", "さくら", "美咲", "Ren"],
    family: ["Satō", "Suzuki", "Takahashi", "Itō", "Watanabe", "Kōno", "山田", "佐藤", "Yamamoto"],
    compound: 0, compoundJoin: " ",
    cities: [["Tōkyō", "Tōkyō-to", "100-0001"], ["Ōsaka", "Ōsaka-fu", "530-0001"], ["京都市", "京都府", "600-8001"]],
    streets: ["Chiyoda 1-1", "Umeda 3-2-1", "四条通 1-2"],
    phone: ["+81 90-####-####", "090-####-####"],
  },
  {
    country: "IN", weight: 6, locale: "en_IN", timezone: "Asia/Kolkata", numberFirst: true,
    given: ["Aarav", "Priya", "Vihaan", "Ananya", "Saanvi", "Rohan", "Lakshmi", "Arjun"],
    family: ["Sharma", "Iyer", "Reddy", "Venkataraman", "Chatterjee", "Gupta", "Nair", "Subramanian"],
    compound: 0, compoundJoin: " ",
    cities: [["Bengaluru", "Karnataka", "560001"], ["Mumbai", "Maharashtra", "400001"], ["Chennai", "Tamil Nadu", "600001"]],
    streets: ["MG Road", "Linking Road, Bandra (W)", "Anna Salai"],
    phone: ["+91 98### #####", "098### #####"],
  },
  {
    country: "VN", weight: 2, locale: "vi_VN", timezone: "Asia/Ho_Chi_Minh", numberFirst: true,
    given: ["Thị Hương", "Văn Đức", "Ngọc Ánh", "Quốc Bảo", "Thủy"],
    family: ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng"],
    compound: 0, compoundJoin: " ",
    cities: [["Hà Nội", null, "100000"], ["Thành phố Hồ Chí Minh", null, "700000"]],
    streets: ["Phố Hàng Bạc", "Đường Lê Lợi"],
    phone: ["+84 9# ### ####", "09# ### ####"],
  },
  {
    country: "PL", weight: 3, locale: "pl_PL", timezone: "Europe/Warsaw", numberFirst: false,
    given: ["Łukasz", "Małgorzata", "Wojciech", "Zofia", "Paweł", "Agnieszka", "Jędrzej"],
    family: ["Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Żółkiewski", "Szczęsna"],
    compound: 0.08, compoundJoin: "-",
    cities: [["Warszawa", "mazowieckie", "00-001"], ["Kraków", "małopolskie", "30-001"], ["Łódź", "łódzkie", "90-001"]],
    streets: ["ul. Marszałkowska", "ul. Floriańska", "al. Jerozolimskie"],
    phone: ["+48 5## ### ###", "5##-###-###"],
  },
  {
    country: "TR", weight: 2, locale: "tr_TR", timezone: "Europe/Istanbul", numberFirst: false,
    given: ["İbrahim", "Ayşe", "Çağrı", "Gülşen", "Şükrü", "Ömer"],
    family: ["Yılmaz", "Kaya", "Çelik", "Şahin", "Öztürk", "Doğan"],
    compound: 0, compoundJoin: " ",
    cities: [["İstanbul", "İstanbul", "34000"], ["İzmir", "İzmir", "35000"]],
    streets: ["İstiklal Caddesi", "Atatürk Bulvarı"],
    phone: ["+90 5## ### ## ##", "05## ### ## ##"],
  },
  {
    country: "SE", weight: 2, locale: "sv_SE", timezone: "Europe/Stockholm", numberFirst: false,
    given: ["Åsa", "Björn", "Märta", "Örjan", "Linnéa", "Sven"],
    family: ["Andersson", "Ångström", "Öberg", "Lindqvist", "Sjöberg", "Bergström"],
    compound: 0.05, compoundJoin: "-",
    cities: [["Stockholm", null, "111 52"], ["Göteborg", null, "411 05"], ["Malmö", null, "211 20"]],
    streets: ["Drottninggatan", "Kungsgatan", "Östra Hamngatan"],
    phone: ["+46 70 ### ## ##", "070-### ## ##"],
  },
  {
    country: "NL", weight: 3, locale: "nl_NL", timezone: "Europe/Amsterdam", numberFirst: false,
    given: ["Daan", "Sanne", "Joëlle", "Thijs", "IJsbrand", "Noor"],
    family: ["de Jong", "van der Berg", "van 't Hof", "Bakker", "de Vries", "van Dijk"],
    compound: 0.05, compoundJoin: "-",
    cities: [["Amsterdam", "Noord-Holland", "1012 AB"], ["Rotterdam", "Zuid-Holland", "3011 AD"]],
    streets: ["Keizersgracht", "Coolsingel", "Prinsengracht"],
    phone: ["+31 6 ########", "06-########"],
  },
  {
    country: "NG", weight: 2, locale: "en_NG", timezone: "Africa/Lagos", numberFirst: true,
    given: ["Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Tọ́lá", "Ifeoluwa"],
    family: ["Okonkwo", "Adébáyọ̀", "Okafor", "Balogun", "Eze", "Ogunleye"],
    compound: 0, compoundJoin: " ",
    cities: [["Lagos", "Lagos", "100001"], ["Abuja", "FCT", "900001"]],
    streets: ["Awolowo Road", "Adeola Odeku Street"],
    phone: ["+234 80# ### ####", "080# ### ####"],
  },
  {
    country: "AE", weight: 2, locale: "ar_AE", timezone: "Asia/Dubai", numberFirst: true,
    given: ["Mohammed", "Fatima", "Abdul Rahman", "Noor", "محمد", "فاطمة"],
    family: ["Al-Mansouri", "Al Nahyan", "bin Rashid", "El-Sayed", "الهاشمي"],
    compound: 0, compoundJoin: " ",
    cities: [["Dubai", "Dubai", "00000"], ["Abu Dhabi", "Abu Dhabi", "00000"]],
    streets: ["Sheikh Zayed Road", "Al Wasl Road"],
    phone: ["+971 50 ### ####", "050 ### ####"],
  },
];
