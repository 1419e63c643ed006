//! Service-account tokens: claims, keys, signing, TokenRequest, TokenReview, discovery and the
//! ledger of everything issued.

pub mod claims;
pub mod discovery;
pub mod jwt;
pub mod keys;
pub mod ledger;
pub mod request;
pub mod review;
