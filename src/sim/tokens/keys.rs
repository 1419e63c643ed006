//! Service-account signing keys: the current signing key, older verify-only keys, and retired
//! keys kept only so tokens they signed can still be rendered byte-for-byte.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sim::clock::SimTime;
use crate::sim::objects::meta::{k8s_time, k8s_time_opt};
use crate::sim::rng::SimRng;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyState {
    /// Signs new tokens and verifies (exactly one key is in this state).
    Signing,
    /// Verifies only (`--service-account-key-file` holds it, the signing file no longer does).
    VerifyOnly,
    /// Removed from the JWKS: its tokens no longer verify.
    Retired,
}

/// A key as the state file stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeySpec {
    pub private_key_pem: String,
    pub state: KeyState,
    #[serde(with = "k8s_time")]
    pub created: SimTime,
    #[serde(
        default,
        with = "k8s_time_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub retired: Option<SimTime>,
}

#[derive(Debug)]
pub struct SigningKey {
    pub spec: KeySpec,
    pub kid: String,
    kid_shared: Arc<str>,
    pub bits: usize,
    /// Big-endian modulus and exponent, as a JWK carries them.
    pub n: Vec<u8>,
    pub e: Vec<u8>,
    pkcs1_der: Vec<u8>,
    signer: OnceLock<Arc<aws_lc_rs::signature::RsaKeyPair>>,
}

impl Clone for SigningKey {
    fn clone(&self) -> Self {
        SigningKey {
            spec: self.spec.clone(),
            kid: self.kid.clone(),
            kid_shared: self.kid_shared.clone(),
            bits: self.bits,
            n: self.n.clone(),
            e: self.e.clone(),
            pkcs1_der: self.pkcs1_der.clone(),
            signer: self.signer.clone(),
        }
    }
}

/// `keyIDFromPublicKey`: unpadded base64url of SHA-256 over the PKIX (SubjectPublicKeyInfo) DER.
pub fn key_id(public: &rsa::RsaPublicKey) -> Result<String, String> {
    let der = public
        .to_public_key_der()
        .map_err(|e| format!("cannot encode public key: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(der.as_bytes())))
}

impl SigningKey {
    pub fn from_spec(spec: KeySpec) -> Result<Self, String> {
        let pem = spec.private_key_pem.trim();
        let key = rsa::RsaPrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(pem))
            .map_err(|e| format!("not an RSA private key in PKCS#1 or PKCS#8 PEM form: {e}"))?;
        let public = key.to_public_key();
        let pkcs1_der = key
            .to_pkcs1_der()
            .map_err(|e| format!("cannot encode private key: {e}"))?
            .as_bytes()
            .to_vec();
        let kid = key_id(&public)?;
        Ok(SigningKey {
            kid_shared: Arc::from(kid.as_str()),
            kid,
            bits: public.n().bits(),
            n: public.n().to_bytes_be(),
            e: public.e().to_bytes_be(),
            pkcs1_der,
            spec,
            signer: OnceLock::new(),
        })
    }

    /// A fresh 2048-bit key from the simulator's seeded stream (slow: call once, not per token).
    pub fn generate(rng: &mut SimRng, created: SimTime) -> Result<Self, String> {
        let key = rsa::RsaPrivateKey::new(rng.crypto(), 2048)
            .map_err(|e| format!("key generation failed: {e}"))?;
        let pem = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| format!("cannot encode key: {e}"))?;
        Self::from_spec(KeySpec {
            private_key_pem: pem.to_string(),
            state: KeyState::Signing,
            created,
            retired: None,
        })
    }

    /// The kid as a shared string, for the many ledger entries that name it.
    pub fn shared_kid(&self) -> Arc<str> {
        self.kid_shared.clone()
    }

    pub fn state(&self) -> KeyState {
        self.spec.state
    }

    /// Whether the key is published in the JWKS and accepted by the authenticator.
    pub fn verifies(&self) -> bool {
        self.spec.state != KeyState::Retired
    }

    /// RS256 (RSASSA-PKCS1-v1_5 with SHA-256). The signature is deterministic; aws-lc's random
    /// source is used only for RSA blinding and never changes the output bytes.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let pair = match self.signer.get() {
            Some(p) => p.clone(),
            None => {
                let parsed = aws_lc_rs::signature::RsaKeyPair::from_der(&self.pkcs1_der)
                    .map_err(|e| format!("signing key {} rejected: {e}", self.kid))?;
                self.signer.get_or_init(|| Arc::new(parsed)).clone()
            }
        };
        let mut sig = vec![0u8; pair.public_modulus_len()];
        pair.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            message,
            &mut sig,
        )
        .map_err(|_| format!("signing with key {} failed", self.kid))?;
        Ok(sig)
    }

    /// Verifies an RS256 signature through `jsonwebtoken` with this key's modulus and exponent.
    pub fn verify(&self, signing_input: &str, signature_b64: &str) -> bool {
        let n = URL_SAFE_NO_PAD.encode(&self.n);
        let e = URL_SAFE_NO_PAD.encode(&self.e);
        match jsonwebtoken::DecodingKey::from_rsa_components(&n, &e) {
            Ok(key) => jsonwebtoken::crypto::verify(
                signature_b64,
                signing_input.as_bytes(),
                &key,
                jsonwebtoken::Algorithm::RS256,
            )
            .unwrap_or(false),
            Err(_) => false,
        }
    }
}

/// All keys the cluster has had, oldest first.
#[derive(Clone, Debug, Default)]
pub struct KeyRing {
    keys: Vec<SigningKey>,
}

impl KeyRing {
    pub fn new(keys: Vec<SigningKey>) -> Result<Self, String> {
        let signing = keys
            .iter()
            .filter(|k| k.state() == KeyState::Signing)
            .count();
        if signing != 1 {
            return Err(format!(
                "exactly one signing key must be in state \"signing\", found {signing}"
            ));
        }
        Ok(KeyRing { keys })
    }

    pub fn signing(&self) -> &SigningKey {
        // `new` guarantees exactly one signing key.
        self.keys
            .iter()
            .find(|k| k.state() == KeyState::Signing)
            .unwrap_or(&self.keys[0])
    }

    pub fn by_kid(&self, kid: &str) -> Option<&SigningKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Keys the authenticator tries for a header kid: matching verifying keys, or every
    /// verifying key when the kid is empty (`GetPublicKeys`).
    pub fn verifying_keys_for<'a>(
        &'a self,
        kid: &'a str,
    ) -> impl Iterator<Item = &'a SigningKey> + 'a {
        self.keys
            .iter()
            .filter(move |k| k.verifies() && (kid.is_empty() || k.kid == kid))
    }

    pub fn all(&self) -> &[SigningKey] {
        &self.keys
    }

    /// Adds a new signing key; the current one becomes verify-only.
    pub fn add_signing(&mut self, key: SigningKey) {
        for k in &mut self.keys {
            if k.spec.state == KeyState::Signing {
                k.spec.state = KeyState::VerifyOnly;
            }
        }
        self.keys.push(key);
    }

    /// Removes a key from the JWKS (kept so tokens it signed can still be shown).
    pub fn retire(&mut self, kid: &str, at: SimTime) {
        if let Some(k) = self
            .keys
            .iter_mut()
            .find(|k| k.kid == kid && k.spec.state == KeyState::VerifyOnly)
        {
            k.spec.state = KeyState::Retired;
            k.spec.retired = Some(at);
        }
    }

    pub fn specs(&self) -> Vec<KeySpec> {
        self.keys.iter().map(|k| k.spec.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &str = include_str!("../../../tests/data/test-key.pem");

    #[test]
    fn kid_is_43_chars_of_base64url() {
        let k = SigningKey::from_spec(KeySpec {
            private_key_pem: TEST_KEY.into(),
            state: KeyState::Signing,
            created: crate::sim::clock::from_unix_seconds(0),
            retired: None,
        })
        .unwrap();
        assert_eq!(k.kid.len(), 43);
        assert!(
            k.kid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        let sig = k.sign(b"a.b").unwrap();
        assert_eq!(
            sig,
            k.sign(b"a.b").unwrap(),
            "PKCS#1 v1.5 signatures are deterministic"
        );
        assert!(k.verify("a.b", &URL_SAFE_NO_PAD.encode(&sig)));
        assert!(!k.verify("a.c", &URL_SAFE_NO_PAD.encode(&sig)));
    }
}
