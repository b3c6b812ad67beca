//! The PostgreSQL server the tests use: the one `PEYGIR_TEST_PG_URL` names, or else a throwaway
//! server started on first use from the machine's PostgreSQL (`initdb` and `pg_ctl`, run as the
//! `postgres` user when the tests run as root) and stopped by a watchdog once this process ends.
//!
//! Every test gets a database of its own, cloned from a template that was migrated once, and
//! dropped when the test is done. When no server can be had, the PostgreSQL tests are skipped with
//! one loud line, except under CI, where that fails them.

use std::ffi::OsStr;
use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;

use peygir::db::{StoreUrl, redact_password};

/// The template of every migrated test database, on a server of our own.
const TEMPLATE: &str = "peygir_template";

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// A server the tests may create databases on.
pub struct Server {
    /// `postgres://USER@HOST:PORT`: a database's URL is this, `/NAME`, and `query`.
    prefix: String,
    /// `?…` from `PEYGIR_TEST_PG_URL`, or empty.
    query: String,
    /// Connected to a maintenance database; creates and drops the test databases one at a time.
    admin: Mutex<PgConnection>,
    template: String,
}

/// A database of one test; dropped with it.
pub struct Database {
    pub name: String,
    pub url: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(Ok(server)) = SERVER.get() {
            server.drop_database(&self.name);
        }
    }
}

/// The server, started on first use; `None` when there is none and the tests are not in CI.
pub fn server() -> Option<&'static Server> {
    match SERVER.get_or_init(start) {
        Ok(server) => Some(server),
        Err(reason) if super::in_ci() => {
            panic!("PostgreSQL is required when CI is set, and it could not be had: {reason}")
        }
        Err(_) => None,
    }
}

fn start() -> Result<Server, String> {
    let started = match std::env::var("PEYGIR_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Server::external(url.trim()),
        _ => Server::throwaway(),
    };
    if let Err(reason) = &started
        && !super::in_ci()
    {
        super::shout(&format!(
            "PostgreSQL tests skipped: {reason}. They pass without running; set CI=1 to make this an error"
        ));
    }
    started
}

impl Server {
    /// A fresh database cloned from the migrated template.
    pub fn migrated_database(&self) -> Database {
        self.create_database(&self.template)
    }

    /// A fresh database with no tables of ours.
    pub fn empty_database(&self) -> Database {
        self.create_database("template0")
    }

    fn url(&self, database: &str) -> String {
        format!("{}/{}{}", self.prefix, database, self.query)
    }

    fn create_database(&self, template: &str) -> Database {
        let name = format!(
            "peygir_t{}_{}",
            std::process::id(),
            NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = self.admin.lock().unwrap_or_else(|e| e.into_inner());
        admin
            .batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .unwrap_or_else(|e| panic!("create the test database {name} from {template}: {e}"));
        Database {
            url: self.url(&name),
            name,
        }
    }

    fn drop_database(&self, name: &str) {
        let mut admin = self.admin.lock().unwrap_or_else(|e| e.into_inner());
        // FORCE (PostgreSQL 13 and later) also ends a connection a failed test left open.
        let forced =
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        if forced.is_err() {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\""));
        }
    }

    /// The server `PEYGIR_TEST_PG_URL` names; its user needs the CREATEDB privilege.
    fn external(url: &str) -> Result<Server, String> {
        let Some(scheme_end) = url.find("://") else {
            return Err(format!(
                "PEYGIR_TEST_PG_URL is not a postgres:// URL: {}",
                redact_password(url)
            ));
        };
        let authority_end = url[scheme_end + 3..]
            .find(['/', '?'])
            .map_or(url.len(), |i| scheme_end + 3 + i);
        let prefix = url[..authority_end].to_string();
        let rest = &url[authority_end..];
        let (path, query) = rest.split_at(rest.find('?').unwrap_or(rest.len()));
        let admin_db = path.trim_start_matches('/');
        let admin_db = if admin_db.is_empty() {
            "postgres"
        } else {
            admin_db
        };
        // Named after the migrations, so that a template an earlier run left on this server is
        // reused only while the migrations are the same.
        let template = format!("peygir_template_{:016x}", migrations_fingerprint());
        Server::connect(prefix, query.to_string(), admin_db, template)
    }

    /// A server of our own in a temporary folder, gone shortly after this process is.
    fn throwaway() -> Result<Server, String> {
        let bin = find_pg_bin().ok_or(
            "no PostgreSQL server programs found (looked for /usr/lib/postgresql/*/bin/initdb \
             and initdb on PATH); install them (Debian: apt-get install postgresql) or name a \
             server in PEYGIR_TEST_PG_URL",
        )?;
        let as_root = effective_uid() == Some(0);
        if as_root && !on_path("runuser") {
            return Err(
                "running as root, but runuser (util-linux) is missing to run \
                        PostgreSQL as the postgres user"
                    .into(),
            );
        }
        // As root the server runs as `postgres`, which must reach the folder: keep it in /tmp
        // rather than under a TMPDIR in root's home.
        let parent = if as_root {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("peygir-test-pg-")
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot make a folder in {}: {e}", parent.display()))?
            .keep();
        // Whose server this is, for `.ci/run`'s last check.
        std::fs::write(dir.join("owner.pid"), std::process::id().to_string())
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        if as_root {
            let status = Command::new("chown")
                .arg("postgres:")
                .arg(&dir)
                .status()
                .map_err(|e| format!("cannot run chown: {e}"))?;
            if !status.success() {
                return Err(format!(
                    "chown postgres: {} failed ({status}); is there a postgres user?",
                    dir.display()
                ));
            }
        }
        // The watchdog first: whatever fails below, the folder and any server go with us.
        spawn_watchdog(&bin, &dir, as_root)?;

        let data = dir.join("data");
        run_logged(
            as_root,
            &dir,
            &bin.join("initdb"),
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--auth=trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                "--no-sync".as_ref(),
            ],
            &dir.join("initdb.log"),
        )?;

        let server_log = dir.join("server.log");
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port()?;
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off \
                 -c full_page_writes=off -c synchronous_commit=off",
                dir.display()
            );
            let started = run_logged(
                as_root,
                &dir,
                &bin.join("pg_ctl"),
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-l".as_ref(),
                    server_log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "start".as_ref(),
                ],
                &dir.join("pg_ctl.log"),
            );
            match started {
                Ok(()) => {
                    let prefix = format!("postgres://postgres@127.0.0.1:{port}");
                    return Server::connect(prefix, String::new(), "postgres", TEMPLATE.into());
                }
                // Someone took the port between our look and the server's bind: another one.
                Err(_)
                    if attempt < 5
                        && std::fs::read_to_string(&server_log)
                            .is_ok_and(|log| log.contains("already in use")) => {}
                Err(e) => return Err(format!("{e}\n{}", tail(&server_log))),
            }
        }
    }

    fn connect(
        prefix: String,
        query: String,
        admin_db: &str,
        template: String,
    ) -> Result<Server, String> {
        let admin_url = format!("{prefix}/{admin_db}{query}");
        let admin = PgConnection::establish(&admin_url)
            .map_err(|e| format!("cannot connect to {}: {e}", redact_password(&admin_url)))?;
        let server = Server {
            prefix,
            query,
            admin: Mutex::new(admin),
            template,
        };
        server.make_template()?;
        Ok(server)
    }

    /// Creates and migrates the template unless it is there. It is built under another name and
    /// renamed when done, so a run that dies halfway leaves no half-migrated template.
    fn make_template(&self) -> Result<(), String> {
        let mut admin = self.admin.lock().unwrap_or_else(|e| e.into_inner());
        // Another test process on the same server may be making the same template.
        admin
            .batch_execute("SELECT pg_advisory_lock(74657374)")
            .map_err(|e| format!("cannot take the template lock: {e}"))?;
        let made = self.make_template_locked(&mut admin);
        let _ = admin.batch_execute("SELECT pg_advisory_unlock(74657374)");
        made
    }

    fn make_template_locked(&self, admin: &mut PgConnection) -> Result<(), String> {
        let template = &self.template;
        let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{template}')"
        )))
        .get_result(admin)
        .map_err(|e| format!("cannot list the databases: {e}"))?;
        if exists {
            return Ok(());
        }
        let building = format!("{template}_building_{}", std::process::id());
        // Two statements, two calls: several in one string would run as one transaction, which
        // neither may.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{building}\""))
            .and_then(|()| {
                admin.batch_execute(&format!(
                    "CREATE DATABASE \"{building}\" TEMPLATE template0"
                ))
            })
            .map_err(|e| format!("cannot create the database {building}: {e}"))?;
        {
            // Closed at the end of this block: nobody may be connected to a database that is
            // renamed or cloned.
            let url = StoreUrl::Postgres(self.url(&building));
            peygir::db::open(&url).map_err(|e| format!("cannot migrate {building}: {e}"))?;
        }
        admin
            .batch_execute(&format!(
                "ALTER DATABASE \"{building}\" RENAME TO \"{template}\""
            ))
            .map_err(|e| format!("cannot rename {building} to {template}: {e}"))
    }
}

/// A hash of the PostgreSQL migrations' text.
fn migrations_fingerprint() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            for name in ["up.sql", "down.sql"] {
                files.push(entry.path().join(name));
            }
        }
    }
    files.sort();
    // FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for b in file.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The newest `/usr/lib/postgresql/VERSION/bin`, else the folder of an `initdb` on PATH.
fn find_pg_bin() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry
                .file_name()
                .to_str()?
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| has_tools(dir))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// The effective user id, from `/proc/self/status`, else from `id -u`.
pub(super) fn effective_uid() -> Option<u32> {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("Uid:"))
    {
        return line.split_whitespace().nth(2)?.parse().ok();
    }
    let out = Command::new("id").arg("-u").output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

pub(super) fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Runs a PostgreSQL program (as `postgres` when we are root) in `dir`, its output into `log`.
pub(super) fn run_logged(
    as_root: bool,
    dir: &Path,
    program: &Path,
    args: &[&OsStr],
    log: &Path,
) -> Result<(), String> {
    let mut command = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let out = File::create(log).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let status = command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed ({status}):\n{}",
            program.display(),
            tail(log)
        ))
    }
}

/// The last lines of a log, for an error message.
pub(super) fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// A shell that waits for this process to end, then stops the server and removes its folder.
/// It runs in its own process group, so a Ctrl-C that ends the tests does not end it too.
fn spawn_watchdog(bin: &Path, dir: &Path, as_root: bool) -> Result<(), String> {
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
    let pg_ctl = quote(&bin.join("pg_ctl"));
    let data = quote(&dir.join("data"));
    let run_as = if as_root {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         if [ -f {data}/postmaster.pid ]; then {run_as}{pg_ctl} -D {data} -m immediate -w stop; fi; \
         rm -rf {dir}",
        pid = std::process::id(),
        dir = quote(dir),
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the watchdog shell: {e}"))
}
