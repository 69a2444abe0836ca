//! RFC 8288 Link header parsing as it arrives from fetch (joined headers, odd spacing, quoting).

use okta_directory::sync::{next_link, parse_link_header};

const U1: &str = "https://acme.okta.com/api/v1/users?limit=200";
const U2: &str = "https://acme.okta.com/api/v1/users?after=00ud4tVDDXYVKPXKVLCO&limit=200";

#[test]
fn next_link_table() {
    let cases: Vec<(String, Option<&str>)> = vec![
        (format!("<{U2}>; rel=\"next\""), Some(U2)),
        (format!("<{U1}>; rel=\"self\", <{U2}>; rel=\"next\""), Some(U2)),
        (format!("<{U2}>; rel=\"next\", <{U1}>; rel=\"self\""), Some(U2)),
        (format!("<{U1}>; rel=\"self\""), None),
        (format!("<{U2}>; rel=next"), Some(U2)),
        (format!("<{U2}>;rel=next"), Some(U2)),
        (format!("<{U2}>   ;   rel = \"next\"  "), Some(U2)),
        (format!("<{U2}>; REL=\"NEXT\""), Some(U2)),
        (format!("<{U2}>; rel=\"next self\""), Some(U2)),
        (format!("<{U2}>; rel=\"self   next\""), Some(U2)),
        (format!("<{U1}>; rel=\"nextpage\""), None),
        (format!("<{U2}>; type=\"application/json\"; rel=\"next\"; title=\"a, b; c\""), Some(U2)),
        (format!("<{U1}>; title=\"x, <y>; rel=next\"; rel=\"self\", <{U2}>; rel=\"next\""), Some(U2)),
        (format!("<{U2}>; rel=\"next\"; rel=\"self\""), Some(U2)),
        (format!("<{U1}>; rel=\"self\"; rel=\"next\""), None),
        (format!(",, <{U1}>; rel=\"self\",,<{U2}>; rel=\"next\","), Some(U2)),
        (format!("\t<{U1}>;\trel=self,\t<{U2}>;\trel=next"), Some(U2)),
        (format!("garbage, <{U2}>; rel=\"next\""), Some(U2)),
        (format!("<{U1}> junk; rel=\"next\", <{U2}>; rel=\"next\""), Some(U2)),
        (
            "<https://acme.okta.com/api/v1/users?after=a%2Cb>; rel=\"next\"".to_string(),
            Some("https://acme.okta.com/api/v1/users?after=a%2Cb"),
        ),
        (format!("<{U2}>; rel=\"ne\\\"xt\""), None),
        (format!("<{U2}>; rel"), None),
        (format!("<{U2}"), None),
        ("<>; rel=\"next\"".to_string(), None),
        ("".to_string(), None),
        ("rel=\"next\"".to_string(), None),
        (format!("<{U2}>; rel=\"next"), None),
        (format!("<{U1}>; rel=\"next\", <{U2}>; rel=\"next\""), Some(U1)),
        (format!("< {U2} >; rel=\"next\""), Some(U2)),
        (format!("<{U2}>;; rel=next"), Some(U2)),
    ];
    for (header, expected) in &cases {
        assert_eq!(next_link(header).as_deref(), *expected, "{header}");
    }
    assert!(cases.len() >= 20);
}

#[test]
fn parses_all_links_and_rels() {
    let links = parse_link_header(&format!("<{U1}>; rel=\"self\", <{U2}>; rel=\"next last\"; foo=bar"));
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].target, U1);
    assert_eq!(links[0].rels, vec!["self"]);
    assert_eq!(links[1].rels, vec!["next", "last"]);
}

#[test]
fn never_panics() {
    let pieces = ["<", ">", ";", ",", "\"", "\\", "rel", "=", "next", " ", "é", "\t", "https://a/"];
    let mut seed = 42u64;
    for _ in 0..20_000 {
        let mut s = String::new();
        for _ in 0..(seed % 16) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            s.push_str(pieces[((seed >> 33) % pieces.len() as u64) as usize]);
        }
        seed = seed.wrapping_add(1);
        let _ = parse_link_header(&s);
    }
}
