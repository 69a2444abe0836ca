//! Common given names: two different names of this list one edit apart (Kevin ~ Kelvin, Karen ~
//! Karin, Jason ~ Mason) are two people, not a typo, whatever else agrees (twins share a birthdate,
//! a family name and an address).
//!
//! Source and licence: curated by the okta-directory team from common usage across the cultures the
//! engine reads (English, Romance, Germanic, Slavic, Greek, Turkish, Arabic, South and East Asian
//! names in their usual Latin spellings), released with the project under Apache-2.0. Keys are folded
//! (lower case ASCII, hyphens and spaces removed), sorted for binary search.

/// The folded common given names, sorted.
const GIVEN_NAMES: &[&str] = &[
    "aaron", "abdul", "abigail", "adam", "adrian", "adriana", "agnes", "agnieszka", "ahmed", "aiden", "aiko", "aisha",
    "alan", "albert", "alberto", "alejandro", "alessandro", "alex", "alexander", "alexandra", "alexis", "alfred",
    "ali", "alice", "alicia", "alina", "alison", "allan", "allen", "alma", "amanda", "amber", "amelia", "amelie",
    "amy", "ana", "anais", "ananya", "andre", "andrea", "andreas", "andrew", "andrey", "angel", "angela", "angelo",
    "anh", "anita", "ann", "anna", "anne", "annelie", "annette", "anthony", "antoine", "anton", "antonia", "antonio",
    "april", "arjun", "arthur", "asa", "ashley", "astrid", "audrey", "ava", "ayse", "barbara", "barbora", "beatrice",
    "beatriz", "begona", "ben", "benjamin", "benoit", "bernard", "beth", "betty", "beverly", "bianca", "bill",
    "billy", "bjorn", "bob", "bonnie", "boris", "bozena", "brad", "bradley", "brandon", "brenda", "brian", "brianna",
    "bruce", "bruno", "bryan", "caleb", "camila", "carl", "carla", "carlo", "carlos", "carmen", "carol", "carole",
    "caroline", "carolyn", "carrie", "casey", "caterina", "catherine", "cecilia", "celine", "charles", "charlotte",
    "chen", "cheryl", "chiara", "chloe", "chris", "christian", "christina", "christine", "christopher", "cindy",
    "claire", "clara", "claude", "claudia", "colin", "connie", "craig", "cristina", "cynthia", "daisuke", "dale",
    "dan", "dana", "daniel", "daniela", "danielle", "danny", "daria", "darius", "dave", "david", "dawn", "dean",
    "debbie", "deborah", "debra", "deepika", "denis", "denise", "dennis", "derek", "diana", "diane", "diego",
    "dimitri", "dimitrios", "dmitry", "dolores", "dominic", "don", "donald", "donna", "doris", "dorothy", "dorte",
    "douglas", "dylan", "earl", "ed", "eddie", "edith", "edward", "edwin", "elaine", "eleanor", "elena", "eleni",
    "eli", "elias", "elijah", "elisa", "elisabeth", "elisabetta", "eliza", "elizabeth", "ella", "ellen", "ellie",
    "emil", "emile", "emilia", "emilio", "emily", "emine", "emma", "emmanuel", "eric", "erica", "erik", "erika",
    "ernest", "esther", "ethan", "eugene", "eva", "evan", "evelyn", "fabian", "fatima", "federica", "felix",
    "fernando", "filip", "fiona", "florian", "frances", "francesca", "francesco", "francis", "francisco", "francois",
    "frank", "franz", "franziska", "fred", "frederick", "gabriel", "gabriela", "gabriele", "gabrielle", "gail",
    "gary", "gavin", "gemma", "george", "georgia", "georgios", "gerald", "gerard", "gina", "giorgio", "giovanni",
    "giulia", "giuseppe", "gloria", "goran", "grace", "greg", "gregory", "grzegorz", "guadalupe", "gunter", "gustav",
    "hai", "haley", "hanna", "hannah", "hans", "haoran", "haoyan", "harold", "harry", "haruka", "hassan", "hayden",
    "hazel", "heather", "hector", "heidi", "helen", "helena", "helene", "henri", "henry", "herbert", "hiroshi",
    "holly", "howard", "hugo", "huong", "ian", "ibrahim", "ida", "ines", "ingrid", "irene", "iris", "isaac", "isabel",
    "isabella", "isabelle", "ivan", "ivana", "jack", "jackson", "jacob", "jacqueline", "jade", "jadwiga", "jaime",
    "jake", "james", "jamie", "jan", "jana", "jane", "janet", "janice", "jared", "jasmine", "jason", "javier", "jay",
    "jayden", "jean", "jeff", "jeffrey", "jennifer", "jenny", "jeremy", "jerome", "jerry", "jesse", "jessica",
    "jesus", "jihoon", "jihyun", "jill", "jim", "jimmy", "jing", "jiri", "jiwoo", "joan", "joana", "joanna", "joanne",
    "joao", "jocelyn", "joe", "joel", "johan", "johann", "johanna", "johannes", "john", "johnny", "jon", "jonas",
    "jonathan", "jordan", "jorge", "jorgen", "jose", "josef", "joseph", "josephine", "joshua", "joy", "joyce", "juan",
    "judith", "judy", "julia", "julian", "juliana", "julie", "julien", "juliet", "julio", "june", "jurgen", "justin",
    "kai", "karen", "karin", "karina", "karl", "katarzyna", "kate", "katerina", "katharina", "katherine", "kathleen",
    "kathryn", "kathy", "katie", "katrin", "kavya", "kay", "keith", "kelly", "kelvin", "ken", "kenji", "kenneth",
    "kevin", "khalid", "kim", "kimberly", "kirk", "kristen", "kristin", "krzysztof", "kurt", "kyle", "lakshmi",
    "lance", "lara", "larry", "laura", "lauren", "laurent", "lea", "leah", "lee", "lena", "leo", "leon", "leona",
    "leonardo", "leonor", "leslie", "liam", "lily", "linda", "linh", "lisa", "logan", "lois", "lorena", "lorenzo",
    "lori", "louis", "louise", "lucas", "lucia", "lucie", "lucy", "luis", "luisa", "luka", "lukas", "lukasz", "luke",
    "lynn", "madison", "magdalena", "maja", "malgorzata", "manuel", "marc", "marcel", "marco", "marcus", "margaret",
    "margarita", "maria", "mariam", "marian", "mariana", "marianne", "marie", "mario", "marion", "marisa", "mark",
    "marketa", "marko", "marta", "martha", "martin", "martina", "marvin", "mary", "mason", "mateo", "mathilde",
    "matt", "matteo", "matthew", "matthias", "maureen", "max", "maxim", "maximilian", "megan", "mehmet", "melanie",
    "melissa", "mia", "micha", "michael", "michaela", "michel", "michele", "michelle", "miguel", "mikael", "mikhail",
    "mila", "milan", "milena", "min", "mingyu", "minh", "minjin", "minjun", "mohammed", "monica", "morgan",
    "muhammad", "mustafa", "nadia", "nancy", "naomi", "natalia", "natalie", "natalya", "nathan", "neil", "nicholas",
    "nick", "nicola", "nicolas", "nicole", "nikita", "nikola", "nikolai", "nikolaos", "nina", "noah", "noel", "noor",
    "nora", "norma", "olga", "oliver", "olivia", "omar", "ondrej", "oscar", "owen", "pablo", "pamela", "paola",
    "pascal", "patricia", "patrick", "paul", "paula", "pauline", "paulo", "pavel", "pawel", "pedro", "peggy", "penny",
    "peter", "petra", "philip", "philippe", "phillip", "phuong", "pierre", "pietro", "priya", "quang", "rachel",
    "rafael", "rahul", "ralph", "ramon", "randy", "raquel", "raul", "ray", "raymond", "rebecca", "regina", "renata",
    "rene", "rhonda", "ricardo", "richard", "rita", "rob", "robert", "roberta", "roberto", "robin", "rocio", "roger",
    "roland", "roman", "ron", "ronald", "rosa", "rose", "roy", "ruby", "russell", "ruth", "ryan", "ryo", "sabrina",
    "sakura", "sally", "salvatore", "sam", "samantha", "samuel", "sandra", "sanjay", "sara", "sarah", "scott", "sean",
    "sebastian", "sebastiao", "seojun", "seoyeon", "sergei", "sergey", "sergio", "seth", "shane", "shannon", "sharon",
    "shawn", "sheila", "shirley", "sigrid", "simon", "simone", "sofia", "sonia", "sophia", "sophie", "soren", "stacy",
    "stanley", "stefan", "stefanie", "stella", "stephanie", "stephen", "steve", "steven", "stuart", "sue", "susan",
    "suzanne", "sven", "sylvia", "takeshi", "tamara", "tania", "tanya", "tara", "tatiana", "tatyana", "ted", "teresa",
    "tereza", "terry", "thao", "theo", "theodore", "theresa", "thomas", "tiago", "tim", "timothy", "tina", "todd",
    "tom", "tomas", "tommy", "toni", "tony", "tracy", "travis", "trevor", "tuan", "tyler", "ursula", "uwe", "vaclav",
    "valentina", "valerie", "vanessa", "vera", "veronica", "vicky", "victor", "victoria", "vikram", "vincent",
    "violet", "virginia", "vivian", "walter", "wanda", "wayne", "wei", "wendy", "william", "willie", "wojciech",
    "xavier", "xiaoming", "ximena", "xiuying", "yan", "yasmin", "yekaterina", "yuko", "yumiko", "yuri", "yusuf",
    "yuxuan", "yvonne", "zachary", "zdenek", "zhiwei", "zihan", "zoe", "zofia",
];

/// Whether a folded given name (hyphens and spaces removed) is in the list.
pub(super) fn is_common_given_name(folded: &str) -> bool {
    GIVEN_NAMES.binary_search(&folded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_folded() {
        assert!(GIVEN_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(GIVEN_NAMES.iter().all(|n| n.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(is_common_given_name("kevin") && is_common_given_name("kelvin") && !is_common_given_name("mraia"));
    }
}
