//! `create token`, `review`, `decode`, `jwks`, `discovery`.

use super::args::{CreateTokenArgs, DecodeArgs, ObjectOutput, ReviewArgs};
use super::run::{CliError, Output, ReadInput, error};
use crate::present::serialize::{self, Format, token_request_value, token_review_value};
use crate::sim::Simulator;
use crate::sim::clock::parse_go_duration;
use crate::sim::command::{Command, Outcome};
use crate::sim::tokens::request::{BoundObjectReference, TokenRequestSpec};

fn format_of(o: ObjectOutput) -> Format {
    match o {
        ObjectOutput::Yaml => Format::Yaml,
        ObjectOutput::Json => Format::Json,
    }
}

/// kubectl's client-side checks, then the TokenRequest.
pub fn create_token(sim: &mut Simulator, a: &CreateTokenArgs) -> Result<Output, CliError> {
    let d = parse_go_duration(&a.duration).map_err(|e| {
        error(format!(
            "invalid argument {:?} for \"--duration\" flag: {e}",
            a.duration
        ))
    })?;
    if d < chrono::TimeDelta::zero() {
        return Err(error("--duration must be greater than or equal to 0"));
    }
    if d.subsec_nanos() != 0 {
        return Err(error(
            "--duration cannot be expressed in units less than seconds",
        ));
    }
    if a.audiences.iter().any(String::is_empty) {
        return Err(error("--audience must not be an empty string"));
    }
    let bound = match &a.bound_object_kind {
        None => {
            if a.bound_object_name.is_some() {
                return Err(error(
                    "--bound-object-name can only be set if --bound-object-kind is provided",
                ));
            }
            if a.bound_object_uid.is_some() {
                return Err(error(
                    "--bound-object-uid can only be set if --bound-object-kind is provided",
                ));
            }
            None
        }
        Some(kind) => {
            if !["Pod", "Secret", "Node"].contains(&kind.as_str()) {
                return Err(error(
                    "supported --bound-object-kind values are Node, Pod, Secret",
                ));
            }
            let name = a.bound_object_name.clone().ok_or_else(|| {
                error("--bound-object-name is required if --bound-object-kind is provided")
            })?;
            Some(BoundObjectReference {
                kind: kind.clone(),
                api_version: "v1".into(),
                name,
                uid: a.bound_object_uid.clone().unwrap_or_default(),
            })
        }
    };
    let spec = TokenRequestSpec {
        audiences: a.audiences.clone(),
        expiration_seconds: (d.num_seconds() > 0).then_some(d.num_seconds()),
        bound_object_ref: bound,
    };
    let cmd = Command::CreateToken {
        namespace: a.ns.get(),
        service_account: a.service_account.clone(),
        spec,
    };
    match sim.execute(cmd) {
        Ok(Outcome::Token(t)) => {
            let stderr: String = t
                .warnings
                .iter()
                .map(|w| format!("Warning: {w}\n"))
                .collect();
            let out = match a.output {
                Some(o) => Output::text(serialize::render(&token_request_value(&t), format_of(o))),
                None => Output {
                    stdout: t.token.clone(),
                    newline_only_on_tty: true,
                    ..Default::default()
                },
            };
            Ok(Output {
                stderr,
                changed: true,
                ..out
            })
        }
        Ok(_) => Err(error("unexpected response to TokenRequest")),
        Err(e) => Err(error(format!("failed to create token: {e}"))),
    }
}

fn read_token(arg: &str, read: &mut ReadInput) -> Result<String, CliError> {
    let raw = if arg == "-" {
        read("-").map_err(error)?
    } else {
        arg.to_string()
    };
    Ok(raw.trim().to_string())
}

/// Prints the TokenReview; exits 1 when the token is not authenticated.
pub fn review(
    sim: &mut Simulator,
    a: &ReviewArgs,
    read: &mut ReadInput,
) -> Result<Output, CliError> {
    let token = read_token(&a.token, read)?;
    let cmd = Command::ReviewToken {
        token,
        audiences: a.audiences.clone(),
    };
    match sim.execute(cmd) {
        Ok(Outcome::Review(r)) => {
            let stdout = serialize::render(&token_review_value(&r), format_of(a.output));
            let failed = !r.status.authenticated;
            Ok(Output {
                stdout,
                changed: true,
                failed,
                ..Default::default()
            })
        }
        Ok(_) => Err(error("unexpected response to TokenReview")),
        Err(e) => Err(CliError(super::apply::server_error(&e, None))),
    }
}

pub fn decode(sim: &Simulator, a: &DecodeArgs, read: &mut ReadInput) -> Result<Output, CliError> {
    let token = read_token(&a.token, read)?;
    crate::present::token::decode(sim, &token)
        .map(Output::text)
        .map_err(error)
}

/// The JWKS body exactly as `/openid/v1/jwks` serves it.
pub fn jwks_json(sim: &Simulator) -> String {
    serde_json::to_string(&sim.jwks()).unwrap_or_default()
}

pub fn discovery(sim: &Simulator) -> Result<Output, CliError> {
    let doc = sim.openid_configuration().map_err(|why| {
        error(format!(
            "the issuer discovery endpoints are not served: {why}"
        ))
    })?;
    Ok(Output::text(
        serde_json::to_string(&doc).unwrap_or_default() + "\n",
    ))
}
