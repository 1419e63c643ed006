//! An independent verifier: Python's PyJWT and cryptography check kidex's tokens against
//! `kidex jwks`, and recompute the kid from the JWK. Skipped (saying so) only where no Python
//! with PyJWT and cryptography exists; `.ci/run` installs them when it can.

mod common;

use std::process::Command;

use common::*;

const SCRIPT: &str = r#"
import base64, hashlib, json, sys
import jwt
from cryptography.hazmat.primitives import serialization

jwks = json.load(open(sys.argv[1]))
cases = json.load(open(sys.argv[2]))
keys = jwt.PyJWKSet.from_dict(jwks)
for case in cases:
    token, audience = case["token"], case["audience"]
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "kid": header["kid"]}, header
    key = keys[header["kid"]]
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=audience,
                        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    der = key.key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    assert kid == header["kid"], (kid, header["kid"])
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    try:
        jwt.decode(tampered, key.key, algorithms=["RS256"], audience=audience, options={"verify_exp": False})
        raise SystemExit("tampered token verified")
    except jwt.InvalidSignatureError:
        pass
    print(claims["sub"], ",".join(claims["aud"]), kid)
"#;

/// A Python that can import jwt and cryptography: Debian's first (it ships PyJWT), then PATH's.
fn python_with_pyjwt() -> Result<String, String> {
    let mut tried = Vec::new();
    for candidate in ["/usr/bin/python3", "python3", "python"] {
        match Command::new(candidate)
            .args(["-c", "import jwt, cryptography"])
            .output()
        {
            Ok(o) if o.status.success() => return Ok(candidate.to_string()),
            Ok(_) => tried.push(format!("{candidate} lacks jwt or cryptography")),
            Err(_) => tried.push(format!("{candidate} not found")),
        }
    }
    Err(tried.join("; "))
}

#[test]
fn pyjwt_verifies_issued_and_projected_tokens_against_the_jwks() {
    let python = match python_with_pyjwt() {
        Ok(p) => p,
        Err(why) => {
            println!("skipped: no Python with PyJWT and cryptography ({why})");
            return;
        }
    };
    let dir = scratch("pyjwt");
    let jwks = kidex(&["jwks"]).stdout;
    std::fs::write(dir.join("jwks.json"), &jwks).unwrap();
    let issued = kidex(&[
        "create",
        "token",
        "build-robot",
        "--audience",
        "vault",
        "--duration",
        "2h",
    ])
    .stdout;
    let api = kidex(&["create", "token", "admin-reviewer"]).stdout;
    let sim = demo();
    let projected: Vec<(String, String)> = sim
        .ledger()
        .iter()
        .map(|r| {
            (
                sim.token_jws(r).unwrap().to_string(),
                r.binding.aud[0].clone(),
            )
        })
        .collect();
    assert_eq!(
        projected.len(),
        4,
        "the demo's pods hold four projected tokens"
    );
    let mut cases = vec![
        serde_json::json!({"token": issued, "audience": "vault"}),
        serde_json::json!({"token": api, "audience": "https://kubernetes.default.svc.cluster.local"}),
    ];
    for (t, aud) in &projected {
        cases.push(serde_json::json!({"token": t, "audience": aud}));
    }
    std::fs::write(
        dir.join("cases.json"),
        serde_json::to_string(&cases).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("verify.py"), SCRIPT).unwrap();
    let out = Command::new(&python)
        .arg(dir.join("verify.py"))
        .arg(dir.join("jwks.json"))
        .arg(dir.join("cases.json"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "PyJWT rejected a token: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("system:serviceaccount:default:build-robot vault "));
    assert!(lines[2].starts_with("system:serviceaccount:default:build-robot ci.example.com "));
    assert!(lines[4].starts_with("system:serviceaccount:test:nginx vault "));
    let kid = sim.keys().signing().kid.clone();
    assert!(lines.iter().all(|l| l.ends_with(&kid)));
}
