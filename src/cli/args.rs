//! The command-line grammar: kubectl's verbs and flags where kubectl has them. The TUI's `:`
//! prompt parses the same grammar (`parse_line`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kidex",
    version,
    about = "Explore Kubernetes and OpenShift workload identity on a deterministic simulated cluster",
    long_about = "kidex simulates a cluster's service accounts, secrets, RBAC, pods and the bound \
service-account tokens the kubelet projects into pods: real RS256 JWTs, issued, rotated, \
reviewed and revoked on a simulated clock. With no command it opens on the built-in demo state.",
    after_help = "Examples:\n  kidex get sa -A\n  kidex create token build-robot --audience vault --duration 2h\n  \
kidex --state my.yaml --save advance 24h\n  kidex decode \"$(kidex create token build-robot)\""
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// State file to load (YAML or JSON: a ClusterState, a List, or manifests).
    /// Default: the built-in demo state.
    #[arg(long, global = true, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed for every random choice (UIDs, names, jti, jitter), replacing the state's seed.
    #[arg(long, global = true, value_name = "N")]
    pub seed: Option<u64>,
    /// Write changes back to --state (atomically).
    #[arg(long, global = true, conflicts_with = "out")]
    pub save: bool,
    /// Write the resulting state to FILE (atomically) instead of --state.
    #[arg(long, global = true, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Display one or many resources (also `tokens` and `events`).
    Get(GetArgs),
    /// Show details of a resource, in kubectl's describe layout.
    Describe(DescribeArgs),
    /// Apply manifests from files or stdin (multi-document YAML, JSON, List).
    Apply(ApplyArgs),
    /// Create a service account, a namespace, or a token.
    #[command(subcommand)]
    Create(CreateCommand),
    /// Delete a resource.
    Delete(DeleteArgs),
    /// Review a token as the API server's TokenReview does.
    Review(ReviewArgs),
    /// Decode any JWT: header, claims, times, signature verdict against this cluster's JWKS.
    Decode(DecodeArgs),
    /// Print the JWKS served at /openid/v1/jwks.
    Jwks,
    /// Print the OpenID configuration served at /.well-known/openid-configuration.
    Discovery,
    /// Move the simulated clock forward, running what falls due; prints the events.
    Advance(AdvanceArgs),
    /// List the event log.
    Events(EventsArgs),
    /// Inspect authorization: can-i, who-can, permissions.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Show the service-account issuers, or change the signing one.
    Issuer {
        #[command(subcommand)]
        action: Option<IssuerAction>,
    },
    /// Show the signing keys, or rotate and retire them.
    Keys {
        #[command(subcommand)]
        action: Option<KeysAction>,
    },
    /// Recreate pods, or restart nodes one by one, so workloads get fresh tokens.
    #[command(subcommand)]
    Restart(RestartCommand),
    /// OpenShift's `oc policy`: grant or revoke roles in a project.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// OpenShift's `oc secrets`: link secrets to a service account.
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Print the user a token authenticates as (OpenShift's `oc whoami`).
    Whoami {
        /// The bearer token to check.
        #[arg(short = 't', long = "token", value_name = "TOKEN")]
        token: Option<String>,
    },
    /// Create a project (OpenShift's `oc new-project`).
    #[command(name = "new-project")]
    NewProject { name: String },
    /// Draw one screen of the UI, headlessly, as txt, ansi, html, svg or png.
    Shot(ShotArgs),
    /// Play a tape against the UI: an asciicast (.cast) or GIF, plus its screenshots.
    Record(RecordArgs),
}

/// What both `shot` and `record` draw with.
#[derive(Debug, Args, Clone)]
pub struct PictureArgs {
    /// Screen size, COLSxROWS.
    #[arg(long, default_value = "120x40", value_name = "COLSxROWS")]
    pub size: String,
    /// A built-in theme (default, light, high-contrast) or a theme file (*.toml).
    #[arg(long, default_value = "default", value_name = "NAME|FILE")]
    pub theme: String,
    /// The terminal colours pictures use: auto (light for the light theme), dark or light.
    #[arg(long, default_value = "auto")]
    pub palette: String,
    /// PNG pixels per cell pixel (a 120x40 screen at 2 is 2208x1488).
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
    /// The directory holding kidex's fonts (default: KIDEX_FONTS, else the source tree's
    /// assets/fonts).
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShotArgs {
    #[command(flatten)]
    pub picture: PictureArgs,
    /// Move the simulated clock first: a duration after the state's time (90m, 2h) or an
    /// RFC 3339 instant.
    #[arg(long, value_name = "DURATION|RFC3339")]
    pub at: Option<String>,
    /// Keys to press first, in the key notation: characters, and <name> for named keys
    /// (":tokens<enter>jj<enter>").
    #[arg(long, default_value = "")]
    pub keys: String,
    /// txt, ansi, html, svg or png (default: from the output's extension, else txt).
    #[arg(long)]
    pub format: Option<String>,
    /// Output file; `-` (the default) is standard output, for the text formats.
    #[arg(short = 'o', long = "output", default_value = "-", value_name = "FILE")]
    pub output: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The tape: one command per line (see the README's "Tapes" section).
    pub tape: std::path::PathBuf,
    #[command(flatten)]
    pub picture: PictureArgs,
    /// The recording: FILE.cast (asciicast v2) or FILE.gif.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: std::path::PathBuf,
    /// Where `Screenshot NAME` writes NAME.<format> (default: the output's directory).
    #[arg(long, value_name = "DIR")]
    pub shots: Option<std::path::PathBuf>,
    /// Formats for the screenshots, comma-separated.
    #[arg(long, default_value = "svg")]
    pub format: String,
}

#[derive(Debug, Subcommand)]
pub enum IssuerAction {
    /// Make URL the signing issuer; the previous one stays accepted.
    Set {
        url: String,
        /// How long the previous issuer stays accepted. Default: until removed on Kubernetes,
        /// 24h after the rollout on OpenShift.
        #[arg(long, value_name = "DURATION")]
        keep_previous: Option<String>,
    },
    /// Stop accepting an issuer (not the signing one).
    Remove { url: String },
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Add a new signing key; the current one keeps verifying.
    Rotate,
    /// Remove a verify-only key from the JWKS.
    Retire { kid: String },
}

#[derive(Debug, Subcommand)]
pub enum RestartCommand {
    /// Delete and recreate pods.
    Pods {
        #[command(flatten)]
        ns: NamespaceArgs,
        /// Every namespace.
        #[arg(short = 'A', long = "all-namespaces")]
        all_namespaces: bool,
    },
    /// Restart every node, one at a time (5 simulated minutes apart).
    Nodes {
        /// One node at a time (the only way kidex restarts nodes).
        #[arg(long, default_value_t = true)]
        rolling: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Bind a role to users or service accounts in the current project.
    #[command(name = "add-role-to-user")]
    AddRoleToUser(PolicyArgs),
    /// Bind a role to groups in the current project.
    #[command(name = "add-role-to-group")]
    AddRoleToGroup(PolicyArgs),
    /// Remove users or service accounts from a role's bindings in the current project.
    #[command(name = "remove-role-from-user")]
    RemoveRoleFromUser(PolicyArgs),
    /// Remove groups from a role's bindings in the current project.
    #[command(name = "remove-role-from-group")]
    RemoveRoleFromGroup(PolicyArgs),
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The role (a ClusterRole, or a Role with --role-namespace).
    pub role: Option<String>,
    /// Users (or groups); system:serviceaccount:NS:NAME names a service account.
    pub names: Vec<String>,
    /// A service account of the current project (short name).
    #[arg(short = 'z', long = "serviceaccount", value_name = "SA")]
    pub service_accounts: Vec<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Bind a namespaced Role from this namespace instead of a ClusterRole.
    #[arg(long, value_name = "NS")]
    pub role_namespace: Option<String>,
    /// Name of the RoleBinding to create or update.
    #[arg(long, value_name = "NAME")]
    pub rolebinding_name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Add secrets to a service account's secrets (mount) or imagePullSecrets (pull).
    Link {
        service_account: String,
        secrets: Vec<String>,
        #[command(flatten)]
        ns: NamespaceArgs,
        /// pull, mount, or pull,mount.
        #[arg(long = "for", default_value = "mount", value_name = "USE")]
        for_: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Check whether an action is allowed: prints yes (exit 0) or no (exit 1).
    #[command(name = "can-i")]
    CanI(CanIArgs),
    /// List every subject allowed to do something, and the binding that allows it.
    #[command(name = "who-can")]
    WhoCan(WhoCanArgs),
    /// List the effective rules of a user or service account, and where each comes from.
    Permissions(PermissionsArgs),
}

#[derive(Debug, Args)]
pub struct CanIArgs {
    /// The verb: get, list, watch, create, update, patch, delete, impersonate, … or *.
    pub verb: String,
    /// RESOURCE, RESOURCE/SUBRESOURCE (pods/log, serviceaccounts/token), or a non-resource URL
    /// starting with / (/openid/v1/jwks).
    pub target: Option<String>,
    /// A resource name.
    pub name: Option<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Ask across all namespaces (only cluster-wide grants count).
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
    /// The user to ask for: a name, or system:serviceaccount:NS:NAME. Default: the cluster admin.
    #[arg(long = "as", value_name = "USER")]
    pub as_user: Option<String>,
    /// A group the user belongs to (repeatable).
    #[arg(long = "as-group", value_name = "GROUP")]
    pub as_groups: Vec<String>,
    /// A subresource, as kubectl's --subresource.
    #[arg(long)]
    pub subresource: Option<String>,
    /// Print nothing; only the exit code answers.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Also print the binding, role and rule that decided it.
    #[arg(short = 'v', long)]
    pub explain: bool,
    /// List everything the user can do in the namespace.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// The verb.
    pub verb: String,
    /// RESOURCE, RESOURCE/SUBRESOURCE, or a non-resource URL starting with /.
    pub target: String,
    /// A resource name.
    pub name: Option<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Only cluster-wide grants (no namespace).
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// A user name, system:serviceaccount:NS:NAME, or sa/NAME (in -n's namespace).
    pub subject: String,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// A group the user belongs to (repeatable).
    #[arg(long = "as-group", value_name = "GROUP")]
    pub as_groups: Vec<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct NamespaceArgs {
    /// Namespace of the request.
    #[arg(short = 'n', long = "namespace", value_name = "NS")]
    pub namespace: Option<String>,
}

impl NamespaceArgs {
    pub fn get(&self) -> String {
        self.namespace.clone().unwrap_or_else(|| "default".into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GetOutput {
    Wide,
    Yaml,
    Json,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectOutput {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Resource type(s), comma-separated: sa, secrets, pods, ns, nodes, cm, roles, clusterroles,
    /// rb, crb, tokens, events (or TYPE/NAME).
    pub kind: String,
    /// Resource name.
    pub name: Option<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// List across all namespaces.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<GetOutput>,
    /// Do not print headers.
    #[arg(long)]
    pub no_headers: bool,
    /// Label selector: `k=v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-joined.
    #[arg(short = 'l', long = "selector")]
    pub selector: Option<String>,
    /// Add a LABELS column.
    #[arg(long)]
    pub show_labels: bool,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// Resource type (or TYPE/NAME).
    pub kind: String,
    /// Resource name; without it every object of the type is described.
    pub name: Option<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Describe across all namespaces.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// File to apply, or - for stdin. Repeatable.
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
}

#[derive(Debug, Subcommand)]
pub enum CreateCommand {
    /// Create a service account.
    #[command(visible_alias = "sa")]
    Serviceaccount {
        name: String,
        #[command(flatten)]
        ns: NamespaceArgs,
    },
    /// Create a namespace.
    #[command(visible_alias = "ns")]
    Namespace { name: String },
    /// Request a service account token (TokenRequest API); prints only the token.
    Token(CreateTokenArgs),
}

#[derive(Debug, Args)]
pub struct CreateTokenArgs {
    /// Service account name.
    pub service_account: String,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Audience of the requested token (repeatable). Default: the API server's audiences.
    #[arg(long = "audience", value_name = "AUD")]
    pub audiences: Vec<String>,
    /// Requested lifetime, in Go form (10m, 2h, 1h30m, 7200s). 0 means the server default (1h).
    #[arg(long, value_name = "DURATION", default_value = "0s")]
    pub duration: String,
    /// Kind of an object to bind the token to: Pod, Secret or Node.
    #[arg(long, value_name = "KIND")]
    pub bound_object_kind: Option<String>,
    /// Name of the object to bind the token to.
    #[arg(long, value_name = "NAME")]
    pub bound_object_name: Option<String>,
    /// UID of the object to bind the token to.
    #[arg(long, value_name = "UID")]
    pub bound_object_uid: Option<String>,
    /// Print the TokenRequest object instead of the token.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<ObjectOutput>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Resource type (or TYPE/NAME).
    pub kind: String,
    /// Resource name.
    pub name: Option<String>,
    #[command(flatten)]
    pub ns: NamespaceArgs,
    /// Seconds a pod gets to terminate; default its terminationGracePeriodSeconds (30).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub grace_period: Option<i64>,
    /// Delete immediately (grace period 1 s).
    #[arg(long)]
    pub now: bool,
    /// With --grace-period=0, remove the pod at once without waiting for it to terminate.
    #[arg(long)]
    pub force: bool,
    /// Wait (on the simulated clock) until the object is gone, as kubectl does.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub wait: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The token, or - to read it from stdin.
    pub token: String,
    /// Audiences the reviewer accepts (repeatable). Default: the API server's audiences.
    #[arg(long = "audience", value_name = "AUD")]
    pub audiences: Vec<String>,
    /// Output format of the TokenReview.
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    pub output: ObjectOutput,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token, or - to read it from stdin.
    pub token: String,
}

#[derive(Debug, Args)]
pub struct AdvanceArgs {
    /// How far, in Go form: 30s, 10m, 2h, 24h, 1h30m.
    pub duration: String,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events about objects in this namespace (cluster-scoped objects' events always show).
    #[arg(short = 'n', long = "namespace", value_name = "NS")]
    pub namespace: Option<String>,
    /// Show the source and exact time of each event.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<GetOutput>,
}

/// Parses a command line typed at the TUI prompt with the same grammar as the CLI.
pub fn parse_line(line: &str) -> Result<Command, String> {
    let words = split_words(line)?;
    let argv = std::iter::once("kidex".to_string()).chain(words);
    let cli = Cli::try_parse_from(argv)
        .map_err(|e| e.to_string().lines().next().unwrap_or("").to_string())?;
    cli.command.ok_or_else(|| "no command given".to_string())
}

/// Splits a line into words the way a shell would for simple quoting ('…', "…", \x).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => cur.extend(chars.next()),
                        Some(x) => cur.push(x),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_lines_parse_with_the_cli_grammar() {
        let c = parse_line("create token build-robot --audience vault --duration 2h").unwrap();
        assert!(
            matches!(c, Command::Create(CreateCommand::Token(ref t)) if t.duration == "2h" && t.audiences == ["vault"])
        );
        assert!(parse_line("get").is_err());
        assert_eq!(
            split_words("a 'b c' \"d\\\"e\"").unwrap(),
            vec!["a", "b c", "d\"e"]
        );
    }
}
