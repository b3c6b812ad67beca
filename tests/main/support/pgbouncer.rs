//! A real PgBouncer in transaction mode in front of the tests' PostgreSQL server, as a team runs
//! Peygir behind one: each test starts its own on a free port, with its own configuration and
//! auth file in a temporary folder, and stops it when the test is done (a watchdog stops it if
//! this process ends first). It runs as the `postgres` user when the tests run as root, which
//! PgBouncer refuses to be.
//!
//! When no `pgbouncer` can be had, the PgBouncer tests are skipped with one loud line, except
//! under CI, where that fails them.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::binary;
use super::pg::{self, Database};
use super::{in_ci, shout};

/// A migrated store (migrated on the server directly, from the tests' template) that the
/// binary and the test both reach through a PgBouncer of its own lending it `pool_size` server
/// connections: [`binary::Store::url`] names the pooler. `None` when PostgreSQL or PgBouncer is
/// missing outside CI.
pub fn store(pool_size: u32, name: &str) -> Option<binary::Store> {
    let database = pg::server()?.migrated_database();
    let pooler = Pooler::start(&database, pool_size)?;
    let url = pooler.url(&database);
    // Dropped in this order: the pooler with its server connections, then the database.
    Some(binary::Store::at(url, Box::new((pooler, database)), name))
}

/// Where Debian's package puts the program; else it is looked for on PATH.
const PGBOUNCER: &str = "/usr/sbin/pgbouncer";

/// A PgBouncer of one test, in front of one database of its own; stopped when dropped.
pub struct Pooler {
    folder: PathBuf,
    port: u16,
    /// `USER[:PASSWORD]@` of the database's URL, reused for the pooler's.
    userinfo: String,
}

impl Pooler {
    /// A PgBouncer in transaction mode that lends `database` at most `pool_size` server
    /// connections. `None` when there is no PgBouncer and the tests are not in CI (the reason was
    /// printed once, loudly); a PgBouncer that is there and will not start fails the test.
    pub fn start(database: &Database, pool_size: u32) -> Option<Pooler> {
        let program = program()?;
        let upstream = Upstream::of(&database.url)
            .unwrap_or_else(|| panic!("cannot read the test database's URL {}", database.url));
        let as_root = pg::effective_uid() == Some(0);
        // As root PgBouncer runs as `postgres`, which must reach the folder.
        let parent = if as_root {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let folder = tempfile::Builder::new()
            .prefix("peygir-test-pgbouncer-")
            .tempdir_in(&parent)
            .expect("a folder for PgBouncer")
            .keep();
        // The watchdog first: whatever fails below, the folder and any PgBouncer go with us.
        spawn_watchdog(&folder);
        let mut pooler = Pooler {
            folder,
            port: 0,
            userinfo: upstream.userinfo.clone(),
        };
        let auth_file = pooler.folder.join("userlist.txt");
        std::fs::write(&auth_file, upstream.auth_line()).expect("write PgBouncer's auth file");
        if as_root {
            let status = Command::new("chown")
                .arg("-R")
                .arg("postgres:")
                .arg(&pooler.folder)
                .status()
                .expect("run chown");
            assert!(
                status.success(),
                "chown postgres: {} failed",
                pooler.folder.display()
            );
        }
        for attempt in 1.. {
            // What an attempt before this one said is no news of this one.
            let _ = std::fs::remove_file(pooler.folder.join("pgbouncer.log"));
            pooler.port = pg::free_port().unwrap_or_else(|e| panic!("{e}"));
            let config = pooler.folder.join("pgbouncer.ini");
            std::fs::write(&config, pooler.config(&upstream, &database.name, pool_size))
                .expect("write PgBouncer's configuration");
            let log = pooler.folder.join("start.log");
            let started = pg::run_logged(
                as_root,
                &pooler.folder,
                &program,
                &["-d".as_ref(), config.as_os_str()],
                &log,
            );
            match started.and_then(|()| pooler.wait_until_listening()) {
                Ok(()) => return Some(pooler),
                // Someone took the port between our look and PgBouncer's bind: another one.
                Err(_) if attempt < 5 && pooler.log().contains("in use") => {}
                Err(e) => panic!("PgBouncer did not start: {e}\n{}", pooler.log()),
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// The URL of the test's database through this pooler.
    pub fn url(&self, database: &Database) -> String {
        format!(
            "postgres://{}127.0.0.1:{}/{}",
            self.userinfo, self.port, database.name
        )
    }

    fn config(&self, upstream: &Upstream, database: &str, pool_size: u32) -> String {
        format!(
            "[databases]\n\
             {database} = host={host} port={port} dbname={database}\n\
             \n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {listen}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {folder}/userlist.txt\n\
             pool_mode = transaction\n\
             default_pool_size = {pool_size}\n\
             max_client_conn = 100\n\
             logfile = {folder}/pgbouncer.log\n\
             pidfile = {folder}/pgbouncer.pid\n",
            host = upstream.host,
            port = upstream.port,
            listen = self.port,
            folder = self.folder.display(),
        )
    }

    /// Waits for PgBouncer to take connections: `-d` may return before it listens.
    fn wait_until_listening(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.pid().is_some() && TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            if self.log().contains("FATAL") {
                return Err("it stopped".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("nothing listens on port {} after 20 s", self.port))
    }

    fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.folder.join("pgbouncer.pid")).ok()?;
        text.trim().parse().ok()
    }

    /// What PgBouncer said while starting and since.
    fn log(&self) -> String {
        ["start.log", "pgbouncer.log"]
            .iter()
            .map(|name| pg::tail(&self.folder.join(name)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Pooler {
    fn drop(&mut self) {
        if let Some(pid) = self.pid() {
            let pid = pid.to_string();
            let _ = Command::new("kill")
                .args(["-TERM", &pid])
                .stderr(Stdio::null())
                .status();
            // Gone within a moment; it ends its server connections as it goes.
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline
                && Command::new("kill")
                    .args(["-0", &pid])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// The server a database's URL names: `postgres://USER[:PASSWORD]@HOST:PORT/NAME[?…]`.
struct Upstream {
    host: String,
    port: String,
    user: String,
    password: Option<String>,
    userinfo: String,
}

impl Upstream {
    fn of(url: &str) -> Option<Upstream> {
        let rest = &url[url.find("://")? + 3..];
        let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        let (userinfo, hostport) = authority.rsplit_once('@')?;
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user, Some(password.to_string())),
            None => (userinfo, None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, port),
            _ => (hostport, "5432"),
        };
        Some(Upstream {
            host: host.trim_start_matches('[').trim_end_matches(']').into(),
            port: port.into(),
            user: user.into(),
            password,
            userinfo: format!("{userinfo}@"),
        })
    }

    /// The auth file's line: the user, and the password PgBouncer logs in to the server with.
    fn auth_line(&self) -> String {
        let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        format!(
            "{} {}\n",
            quoted(&self.user),
            quoted(self.password.as_deref().unwrap_or(""))
        )
    }
}

/// The `pgbouncer` program; `None` outside CI when there is none (said once, loudly).
fn program() -> Option<PathBuf> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let found = find().ok_or_else(|| {
            format!(
                "no pgbouncer found (looked for {PGBOUNCER} and on PATH); install it \
                 (Debian: apt-get install pgbouncer)"
            )
        });
        if let Err(reason) = &found
            && !in_ci()
        {
            shout(&format!(
                "PgBouncer tests skipped: {reason}. They pass without running; set CI=1 to make \
                 this an error"
            ));
        }
        found
    });
    match found {
        Ok(path) => Some(path.clone()),
        Err(reason) if in_ci() => {
            panic!("PgBouncer is required when CI is set, and it could not be had: {reason}")
        }
        Err(_) => None,
    }
}

fn find() -> Option<PathBuf> {
    let installed = Path::new(PGBOUNCER);
    if installed.is_file() {
        return Some(installed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("pgbouncer"))
        .find(|program| program.is_file())
}

/// A shell that waits for this process to end or the folder to go (the pooler was dropped),
/// then stops any PgBouncer still running from it and removes the folder. It runs in its own
/// process group, so a Ctrl-C that ends the tests does not end it too.
fn spawn_watchdog(folder: &Path) {
    use std::os::unix::process::CommandExt as _;
    let dir = format!("'{}'", folder.display().to_string().replace('\'', r"'\''"));
    let script = format!(
        "while kill -0 {owner} 2>/dev/null && [ -d {dir} ]; do sleep 1; done; \
         if [ -f {dir}/pgbouncer.pid ]; then kill -TERM \"$(cat {dir}/pgbouncer.pid)\"; fi; \
         rm -rf {dir}",
        owner = std::process::id(),
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
        .expect("start the PgBouncer watchdog shell");
}
