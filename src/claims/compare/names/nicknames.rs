//! Given-name hypocorisms: formal name → the short forms people are commonly registered under.
//!
//! Source and licence: curated by the okta-directory team from common usage (English, Spanish,
//! Portuguese, Italian, French, German, Dutch, Polish, Czech, Russian and Scandinavian forms) and
//! released with the project under Apache-2.0. Pruning rules, because every entry widens what a
//! fuzzy match accepts:
//! - only pairs (formal ↔ short); two formal names never meet through a shared short form, so
//!   Alexander and Alexandra stay apart although both are "Alex";
//! - no short form shared by unrelated names (such as "Jan", "Dana" or "Gail"), and no short form that
//!   is a formal name elsewhere in the table;
//! - no one- or two-letter forms (initials are a separate, policy-controlled tolerance);
//! - a short form a boy's and a girl's name share is listed under both (Nicky: Nicholas and Nicole;
//!   Andy: Andrew and Andrea), so that it is ambiguous (`NICKNAME_AMBIGUOUS`, review): boy-girl twins
//!   share the family name, birthdate and address, and the record of one may hold the name both go by.
//!
//! A nickname only relaxes the given-name comparison: family name and birthdate still decide.
//!
//! Keys are folded (lower case ASCII, diacritics removed), as the name comparator folds its input.

use std::sync::OnceLock;

/// Rows `formal,short,short…;`, sorted by formal name: one string rather than nested tables of
/// (pointer, length) pairs, which were most of this list's size in the wasm module.
const NICKNAMES: &str = concat!(
    "abigail,abby,abbie;",
    "abraham,abe,bram;",
    "albert,bert,bertie;",
    "alberta,bertie;",
    "alberto,beto,tito;",
    "alejandro,alex,ale,jando;",
    "aleksandr,sasha,sanya,shura;",
    "aleksandra,sasha,sanya,ola;",
    "alexander,alex,xander,sandy,sasha,lex;",
    "alexandra,alex,lexi,sandra,sasha,sandy;",
    "alfred,alf,alfie,fred,freddie;",
    "alice,allie,ally;",
    "andrea,andy;",
    "andrew,andy,drew;",
    "angela,angie;",
    "anthony,tony;",
    "antonio,toni,tono,nino;",
    "barbara,barb,babs;",
    "benjamin,ben,benji,benny;",
    "catherine,cathy,cate,kate,katie,cat;",
    "charles,charlie,chuck,chas,chaz;",
    "charlotte,charlie,lottie,lotte;",
    "christina,chris,tina,chrissy;",
    "christine,chris,chrissy,tina;",
    "christopher,chris,kit,topher;",
    "cynthia,cindy;",
    "daniel,dan,danny;",
    "david,dave,davey,davy;",
    "deborah,deb,debbie,debby;",
    "dmitry,dima,mitya;",
    "donald,don,donnie;",
    "dorothy,dot,dottie,dolly;",
    "edward,eddie,ned,ted,teddy;",
    "edwina,eddie;",
    "eleanor,ellie,nell,nora;",
    "elizabeth,liz,lizzie,beth,betty,betsy,eliza,libby,lisa,elsie;",
    "emily,emmy,millie;",
    "evgeny,zhenya;",
    "frances,frankie,fran;",
    "francesco,franco,cesco;",
    "francis,frank,fran;",
    "francisco,paco,pancho,cisco,chico,fran;",
    "frederick,fred,freddie,freddy,rick;",
    "gabriel,gabe;",
    "gabrielle,gaby,gabby,elle;",
    "gerald,gerry,jerry;",
    "giuseppe,beppe,peppe,pino;",
    "gregory,greg;",
    "guadalupe,lupe,lupita;",
    "harold,harry,hal;",
    "henry,hank,harry,hal;",
    "isabel,isa,bel,izzy,chabela;",
    "isabella,bella,izzy,isa;",
    "jacob,jake,jay;",
    "james,jim,jimmy,jamie,jimbo;",
    "jennifer,jen,jenny,jenn;",
    "jesse,jess;",
    "jessica,jess,jessie;",
    "johannes,hannes,hans;",
    "john,jack,johnny,jon;",
    "jonathan,jon,jonny,nathan;",
    "jose,pepe,chepe,pepito;",
    "jose maria,chema,josema;",
    "josef,sepp,pepi;",
    "joseph,joe,joey,jos;",
    "joshua,josh;",
    "katarzyna,kasia,kasha;",
    "katherine,kathy,kate,katie,kat,kay,kit;",
    "kathleen,kathy,kate,katie;",
    "kimberly,kim;",
    "lawrence,larry,laurie;",
    "leonard,leo,len,lenny;",
    "magdalena,magda,lena,malena;",
    "margaret,maggie,meg,peggy,marge,madge,greta,rita;",
    "maria,mari,maruca,mariquita;",
    "matthew,matt,matty;",
    "michael,mike,mikey,mick,mickey,mitch;",
    "michelle,mickey;",
    "miguel,migue,mike;",
    "nathaniel,nate,nathan,nat;",
    "nicholas,nick,nicky,nico;",
    "nicole,nicky;",
    "nikolai,kolya;",
    "patricia,pat,patty,trish,tricia;",
    "patrick,pat,paddy,rick;",
    "peter,pete;",
    "philip,phil,pip;",
    "rebecca,becky,becca,bekah;",
    "richard,rick,ricky,rich,dick,richie;",
    "robert,rob,bob,bobby,robbie,bert;",
    "roberto,beto,tito;",
    "ronald,ron,ronnie;",
    "samantha,sam,sammy;",
    "samuel,sam,sammy;",
    "sebastian,seb,bastian,basti;",
    "stephen,steve,stevie;",
    "steven,steve,stevie;",
    "susan,sue,susie,suzy;",
    "teresa,tess,terry,tessa,tere;",
    "theodore,ted,teddy,theo;",
    "thomas,tom,tommy;",
    "timothy,tim,timmy;",
    "valentina,vale,tina,valya;",
    "veronica,ronnie;",
    "victoria,vicky,tori,vic;",
    "vladimir,vova,volodya;",
    "william,will,bill,billy,willy,liam;",
    "wojciech,wojtek;",
    "yekaterina,katya,katia;",
    "zachary,zach,zack;",
);

/// How two folded given names relate through the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hypocorism {
    /// Not a formal name and one of its short forms.
    No,
    /// A formal name and a short form of it that belongs to no other formal name (Robert ~ Bob).
    Unique,
    /// A formal name and a short form that several formal names share (Alexander ~ Alex, which is
    /// also Alexandra's): the short form does not say which person it is, so it is not a match.
    Ambiguous,
}

/// Whether `a` and `b` (both folded) are a formal name and one of its short forms, either way round.
pub(super) fn hypocorism(a: &str, b: &str) -> Hypocorism {
    let table = table();
    for (formal, short) in [(a, b), (b, a)] {
        let Ok(row) = table.binary_search_by(|(f, _)| (*f).cmp(formal)) else { continue };
        let shorts = table.get(row).map_or(&[][..], |(_, shorts)| &shorts[..]);
        if formal != short && shorts.contains(&short) {
            let sharing = table.iter().filter(|(_, shorts)| shorts.contains(&short)).count();
            return if sharing == 1 { Hypocorism::Unique } else { Hypocorism::Ambiguous };
        }
    }
    Hypocorism::No
}

/// A formal name and its short forms.
type Row = (&'static str, Box<[&'static str]>);

/// The rows of the table, split out of the string once, sorted by formal name (binary search: a
/// scan of the string per lookup was a fifth of the work of deciding a noisy pair).
fn table() -> &'static [Row] {
    static TABLE: OnceLock<Vec<Row>> = OnceLock::new();
    TABLE.get_or_init(|| rows().map(|(formal, shorts)| (formal, shorts.collect())).collect())
}

/// The rows of the table: (formal name, its short forms).
fn rows() -> impl Iterator<Item = (&'static str, impl Iterator<Item = &'static str> + Clone)> {
    NICKNAMES.split_terminator(';').map(|row| {
        let mut names = row.split(',');
        (names.next().unwrap_or_default(), names)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_only_never_formal_to_formal() {
        assert_eq!(hypocorism("robert", "bob"), Hypocorism::Unique);
        assert_eq!(hypocorism("bob", "robert"), Hypocorism::Unique);
        assert_eq!(hypocorism("jose", "pepe"), Hypocorism::Unique);
        assert_eq!(hypocorism("alexander", "alexandra"), Hypocorism::No, "both are 'alex', yet different names");
        assert_eq!(hypocorism("alexander", "alex"), Hypocorism::Ambiguous, "Alex is Alexandra's too");
        assert_eq!(hypocorism("bob", "rob"), Hypocorism::No, "two short forms do not meet");
        assert_eq!(hypocorism("robert", "robert"), Hypocorism::No);
        assert_eq!(hypocorism("jose maria", "chema"), Hypocorism::Unique);
        assert_eq!(hypocorism("", "abby"), Hypocorism::No);
        assert_eq!(hypocorism("abigail", ""), Hypocorism::No);
        assert_eq!(hypocorism("abigail,abby", "abby"), Hypocorism::No);
    }

    /// The lookup as first written: a scan of the string's rows.
    fn scanned(a: &str, b: &str) -> Hypocorism {
        for (formal, short) in [(a, b), (b, a)] {
            let Some((_, mut shorts)) = rows().find(|(f, _)| *f == formal) else { continue };
            if formal != short && shorts.any(|s| s == short) {
                let sharing = rows().filter(|(_, shorts)| shorts.clone().any(|s| s == short)).count();
                return if sharing == 1 { Hypocorism::Unique } else { Hypocorism::Ambiguous };
            }
        }
        Hypocorism::No
    }

    #[test]
    fn binary_search_answers_as_the_scan() {
        let mut names: Vec<&str> = rows().flat_map(|(f, s)| std::iter::once(f).chain(s)).collect();
        names.extend(["", "aaa", "zzz", "jos", "josef maria", "robertt", "alex "]);
        for a in &names {
            for b in &names {
                assert_eq!(hypocorism(a, b), scanned(a, b), "{a} ~ {b}");
            }
        }
    }

    #[test]
    fn table_is_folded_and_pruned() {
        let table: Vec<(&str, Vec<&str>)> = rows().map(|(f, s)| (f, s.collect())).collect();
        assert!(table.len() > 100 && table.iter().all(|(_, s)| !s.is_empty()), "every row has short forms");
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0), "sorted by formal name");
        let mut formals: Vec<&str> = table.iter().map(|(f, _)| *f).collect();
        formals.sort_unstable();
        let before = formals.len();
        formals.dedup();
        assert_eq!(before, formals.len(), "one row per formal name");
        for (formal, shorts) in &table {
            for name in std::iter::once(formal).chain(shorts.iter()) {
                assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == ' '), "{name} must be folded");
                assert!(name.len() >= 3, "{name}: one- and two-letter forms are initials, not nicknames");
            }
            // A short form must not itself be a formal name in the table (Alex ~ Alexander only).
            for short in shorts {
                assert!(!table.iter().any(|(f, _)| f == short), "{short} is both formal and short");
            }
        }
    }
}
