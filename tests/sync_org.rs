//! Org URL validation: a table of accepted and rejected inputs, and a no-panic sweep.

use okta_directory::sync::{OrgUrl, OrgUrlPolicy};

const STRICT: OrgUrlPolicy = OrgUrlPolicy { allow_custom_domain: false, allow_insecure_loopback: false };
const CUSTOM: OrgUrlPolicy = OrgUrlPolicy { allow_custom_domain: true, allow_insecure_loopback: false };
const LOOPBACK: OrgUrlPolicy = OrgUrlPolicy { allow_custom_domain: false, allow_insecure_loopback: true };

#[test]
fn accepted_urls_normalize_to_their_origin() {
    let cases: &[(&str, OrgUrlPolicy, &str)] = &[
        ("https://acme.okta.com", STRICT, "https://acme.okta.com"),
        ("https://acme.okta.com/", STRICT, "https://acme.okta.com"),
        ("  https://acme.okta.com/ \n", STRICT, "https://acme.okta.com"),
        ("HTTPS://ACME.OKTA.COM", STRICT, "https://acme.okta.com"),
        ("https://Acme-Corp.okta.com", STRICT, "https://acme-corp.okta.com"),
        ("https://acme.okta.com:443", STRICT, "https://acme.okta.com"),
        ("https://acme.okta.com:443/", STRICT, "https://acme.okta.com"),
        ("https://dev-123456.okta.com", STRICT, "https://dev-123456.okta.com"),
        ("https://acme.oktapreview.com", STRICT, "https://acme.oktapreview.com"),
        ("https://acme.okta-emea.com", STRICT, "https://acme.okta-emea.com"),
        ("https://login.example.com", CUSTOM, "https://login.example.com"),
        ("https://id.acme.co.uk/", CUSTOM, "https://id.acme.co.uk"),
        ("http://127.0.0.1:8080", LOOPBACK, "http://127.0.0.1:8080"),
        ("http://localhost:3000/", LOOPBACK, "http://localhost:3000"),
        ("http://[::1]:9000", LOOPBACK, "http://[::1]:9000"),
        ("https://localhost:8443", LOOPBACK, "https://localhost:8443"),
        ("http://LOCALHOST", LOOPBACK, "http://localhost"),
        ("https://acme.okta.com", LOOPBACK, "https://acme.okta.com"),
    ];
    for (input, policy, origin) in cases {
        let org = OrgUrl::parse(input, *policy).unwrap_or_else(|e| panic!("{input:?} rejected: {e}"));
        assert_eq!(org.origin(), *origin, "{input:?}");
        assert_eq!(org.api_base(), format!("{origin}/api/v1"));
        assert_eq!(org.token_url(), format!("{origin}/oauth2/v1/token"));
    }
}

#[test]
fn rejected_urls_have_the_right_code() {
    let cases: &[(&str, OrgUrlPolicy, &str)] = &[
        ("", STRICT, "INVALID_ORG_URL"),
        ("   ", STRICT, "INVALID_ORG_URL"),
        ("acme.okta.com", STRICT, "INVALID_ORG_URL"),
        ("http://acme.okta.com", STRICT, "INSECURE_ORG_URL"),
        ("http://acme.okta.com", CUSTOM, "INSECURE_ORG_URL"),
        ("ftp://acme.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://user:pw@acme.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com@evil.example", CUSTOM, "INVALID_ORG_URL"),
        ("https://acme.okta.com:8443", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com:", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com:99999", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com/api/v1", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com//", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com?x=1", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com/?", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com#top", STRICT, "INVALID_ORG_URL"),
        ("https://acme-admin.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://acme-admin.oktapreview.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://acme.okta.com.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://{yourOktaDomain}", STRICT, "INVALID_ORG_URL"),
        ("https://{yourOktaDomain}.okta.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://okta.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://a.b.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://login.example.com", STRICT, "INVALID_ORG_URL"),
        ("https://acme.okta.com.evil.example", STRICT, "INVALID_ORG_URL"),
        ("https://evilokta.com", STRICT, "INVALID_ORG_URL"),
        ("https://127.0.0.1", CUSTOM, "INVALID_ORG_URL"),
        ("https://10.0.0.8", CUSTOM, "INVALID_ORG_URL"),
        ("https://0x7f.1", CUSTOM, "INVALID_ORG_URL"),
        ("https://[2001:db8::1]", CUSTOM, "INVALID_ORG_URL"),
        ("https://localhost", CUSTOM, "INVALID_ORG_URL"),
        ("https://app.localhost", CUSTOM, "INVALID_ORG_URL"),
        ("http://127.0.0.1:8080", STRICT, "INVALID_ORG_URL"),
        ("http://127.0.0.2:8080", LOOPBACK, "INSECURE_ORG_URL"),
        ("https://127.0.0.2:8080", LOOPBACK, "INVALID_ORG_URL"),
        ("http://evil.example", LOOPBACK, "INSECURE_ORG_URL"),
        ("https://acme.okta.com\\@evil.example", CUSTOM, "INVALID_ORG_URL"),
        ("https://ac me.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://acmé.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://acme%2eokta.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://-acme.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://acme..okta.com", CUSTOM, "INVALID_ORG_URL"),
        ("https://acme.okta.com.", CUSTOM, "INVALID_ORG_URL"),
        ("https://https://acme.okta.com", STRICT, "INVALID_ORG_URL"),
        ("https://", STRICT, "INVALID_ORG_URL"),
        ("https://[::1", LOOPBACK, "INVALID_ORG_URL"),
    ];
    for (input, policy, code) in cases {
        match OrgUrl::parse(input, *policy) {
            Ok(org) => panic!("{input:?} accepted as {}", org.origin()),
            Err(e) => assert_eq!(e.code(), *code, "{input:?}: {e}"),
        }
    }
}

#[test]
fn admin_host_error_suggests_dropping_admin_without_echoing_the_url() {
    let e = OrgUrl::parse("https://secretco-admin.okta.com", STRICT).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("drop `-admin`"), "{msg}");
    assert!(!msg.contains("secretco"), "{msg}");
}

#[test]
fn messages_never_echo_userinfo() {
    let e = OrgUrl::parse("https://admin:hunter2@acme.okta.com", STRICT).unwrap_err();
    assert!(!e.to_string().contains("hunter2"));
}

#[test]
fn same_origin_check() {
    let org = OrgUrl::parse("https://acme.okta.com", STRICT).unwrap();
    assert!(org.is_same_origin("https://acme.okta.com/api/v1/users?after=x"));
    assert!(org.is_same_origin("https://ACME.okta.com:443/api/v1/users"));
    for other in [
        "https://evil.example/api/v1/users",
        "http://acme.okta.com/api/v1/users",
        "https://acme.okta.com:8443/api/v1/users",
        "https://acme.okta.com@evil.example/api/v1/users",
        "https://user@acme.okta.com/api/v1/users",
        "https://acme.okta.com.evil.example/api/v1/users",
        "//acme.okta.com/api/v1/users",
        "/api/v1/users",
        "https://acme.okta.com\\@evil.example/",
        "",
    ] {
        assert!(!org.is_same_origin(other), "{other}");
    }
}

#[test]
fn never_panics_on_arbitrary_input() {
    // A deterministic sweep over short strings built from URL-significant characters.
    let alphabet: Vec<char> = "hts:/@[]?#.%\\0 9-aé:1".chars().collect();
    let mut seed = 0x1234_5678_u64;
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 24) as usize;
        let mut s = String::from(if seed % 3 == 0 { "https://" } else { "" });
        let mut x = seed;
        for _ in 0..len {
            s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            x = x.rotate_left(7) ^ 0x9e37_79b9;
        }
        for policy in [STRICT, CUSTOM, LOOPBACK] {
            let _ = OrgUrl::parse(&s, policy);
        }
    }
}
