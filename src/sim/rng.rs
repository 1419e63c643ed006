//! The one source of randomness: a ChaCha20 stream seeded from the state's `seed`. Its position
//! is saved with the state, so a saved-and-reloaded simulator continues the same stream.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// Characters Kubernetes uses for generated name suffixes (`utilrand.String`): no vowels, no
/// look-alike digits, so random suffixes never spell words.
const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Clone, Debug)]
pub struct SimRng {
    seed: u64,
    inner: ChaCha20Rng,
}

impl SimRng {
    pub fn new(seed: u64) -> Self {
        SimRng {
            seed,
            inner: ChaCha20Rng::seed_from_u64(seed),
        }
    }

    /// Restores a stream at a saved position.
    pub fn at_position(seed: u64, position: u128) -> Self {
        let mut rng = Self::new(seed);
        rng.inner.set_word_pos(position);
        rng
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream position to save alongside the seed.
    pub fn position(&self) -> u128 {
        self.inner.get_word_pos()
    }

    /// Direct access for key generation, which needs a `CryptoRng`.
    pub fn crypto(&mut self) -> &mut ChaCha20Rng {
        &mut self.inner
    }

    /// A random (version 4) UUID string, as `uuid.NewString()` and object UIDs are.
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.inner.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0x0f) as usize] as char);
        }
        out
    }

    /// A generated-name suffix such as the `x7k2p` of `kube-api-access-x7k2p`.
    pub fn name_suffix(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| {
                let i = self.below(NAME_SUFFIX_ALPHABET.len() as u64) as usize;
                NAME_SUFFIX_ALPHABET[i] as char
            })
            .collect()
    }

    /// A uniform integer in `0..n` (n > 0), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.inner.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_position_resumes() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        assert_eq!(a.uuid(), b.uuid());
        let pos = a.position();
        let next = a.name_suffix(5);
        let mut c = SimRng::at_position(7, pos);
        assert_eq!(c.name_suffix(5), next);
    }

    #[test]
    fn uuid_is_version_4() {
        let u = SimRng::new(1).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
