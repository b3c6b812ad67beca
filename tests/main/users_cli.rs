//! `peygir user …` and `--user` through the real binary, on SQLite and on PostgreSQL: a user
//! added with a role and a unit (named as `report --unit` names it), listed as a table, in
//! Persian and as JSON, given another role and unit, disabled and enabled; an admin acting as
//! someone else; and every refusal with exit code 1, one line and nothing changed: a taken or
//! bad login, an unknown unit, the last admin demoted or disabled, a non-admin managing users or
//! naming someone else with `--user`, an unknown login running Peygir, a disabled user.

use diesel::prelude::*;

use peygir::db::ids::OrgUnitId;
use peygir::db::schema::users as users_table;
use peygir::store::users::{self, User};
use peygir::store::{Actor, Role, org_units};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open: the login running the tests is its first admin,
/// and there are the units Head office and Head office / Tehran sales, and the agent Sara.
struct Setup {
    store: binary::Store,
    admin: Actor,
    tehran: OrgUnitId,
}

impl std::ops::Deref for Setup {
    type Target = binary::Store;

    fn deref(&self) -> &binary::Store {
        &self.store
    }
}

impl std::ops::DerefMut for Setup {
    fn deref_mut(&mut self) -> &mut binary::Store {
        &mut self.store
    }
}

fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "users-cli")?;
    let db = &mut store.db;
    let admin = users::acting(db, &users::os_login(), None)
        .expect("the first admin")
        .actor()
        .clone();
    let head = org_units::find_or_add(db, None, "Head office").expect("a unit");
    let tehran = org_units::find_or_add(db, Some(head), "Tehran sales").expect("a unit");
    users::add(db, &admin, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    Some(Setup {
        store,
        admin,
        tehran,
    })
}

impl Setup {
    fn user(&mut self, login: &str) -> Option<User> {
        users::by_login(&mut self.db, login).expect("read")
    }

    fn all(&mut self) -> Vec<User> {
        users::all(&mut self.db).expect("all")
    }

    /// Makes the login running the binary an agent, behind the store's back (there is no
    /// other admin to do it), with `boss` the admin instead.
    fn demote_me(&mut self) {
        users::add(
            &mut self.store.db,
            &self.admin,
            "boss",
            "The Boss",
            Role::Admin,
            None,
        )
        .expect("boss");
        diesel::update(users_table::table.filter(users_table::login.eq(users::os_login())))
            .set(users_table::role.eq("agent"))
            .execute(&mut self.store.db)
            .expect("demoted");
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

cli_tests! {
    fn a_user_is_added_listed_changed_disabled_and_enabled(s) {
        let run = s
            .run(&["user", "add", "nasrin", "--name", "Nasrin Karimi", "--role", "manager", "--unit", "tehran SALES"])
            .ok();
        assert_eq!(
            run.stdout,
            "Added nasrin (Nasrin Karimi) as manager, in Head office / Tehran sales.\n",
            "{run}"
        );
        let nasrin = s.user("nasrin").expect("added");
        assert_eq!((nasrin.role(), nasrin.org_unit_id, nasrin.active), (Role::Manager, Some(s.tehran), true));
        // An agent by default, in no unit.
        s.run(&["user", "add", "reza", "--name", "Reza Ahmadi"])
            .ok()
            .stdout_has("Added reza (Reza Ahmadi) as agent.");

        let run = s.run(&["user", "list"]).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines[0].starts_with("Login") && lines[0].contains("Role") && lines[0].contains("Active"), "{run}");
        let row = lines.iter().find(|l| l.starts_with("nasrin ")).expect("nasrin listed");
        assert!(row.contains("Nasrin Karimi") && row.contains("manager") && row.contains("Head office / Tehran sales") && row.ends_with("yes"), "{run}");
        assert_eq!(lines.len(), 5, "the admin, sara, nasrin and reza:\n{run}");
        let run = s.run(&["--lang", "fa", "user", "list"]).ok();
        assert!(run.stdout.contains("نام کاربری") && run.stdout.contains("مدیر"), "{run}");

        s.run(&["user", "set-role", "nasrin", "admin"]).ok().stdout_has("nasrin (Nasrin Karimi) is now admin.");
        s.run(&["user", "set-role", "nasrin", "admin"]).ok().stdout_has("nasrin (Nasrin Karimi) was already admin.");
        s.run(&["user", "set-unit", "reza", "Head office"]).ok().stdout_has("reza (Reza Ahmadi) is now in Head office.");
        s.run(&["user", "set-unit", "nasrin", "--none"])
            .ok()
            .stdout_has("nasrin (Nasrin Karimi) is now in no organisational unit.");
        s.run(&["user", "disable", "reza"]).ok().stdout_has("Disabled reza (Reza Ahmadi)");
        s.run(&["user", "disable", "reza"]).ok().stdout_has("reza (Reza Ahmadi) was already disabled.");

        let run = s.run(&["user", "list", "--format", "json"]).ok();
        let value = json(&run);
        let rows = value.as_array().expect("an array");
        let reza = rows.iter().find(|r| r["login"] == "reza").expect("reza");
        assert_eq!(reza["name"], "Reza Ahmadi");
        assert_eq!(reza["role"], "agent");
        assert_eq!(reza["unit"], "Head office");
        assert_eq!(reza["active"], false);
        let nasrin = rows.iter().find(|r| r["login"] == "nasrin").expect("nasrin");
        assert_eq!(nasrin["role"], "admin");
        assert_eq!(nasrin["unit"], serde_json::Value::Null);
        assert!(nasrin["id"].is_i64(), "{value:#}");

        s.run(&["user", "enable", "reza"]).ok().stdout_has("Enabled reza (Reza Ahmadi)");
        assert!(s.user("reza").expect("reza").active);
        // Each change is audited with the admin as its author.
        let reza = s.user("reza").expect("reza");
        let history = peygir::store::audit::history(&mut s.store.db, users::ENTITY, reza.id).expect("audit");
        assert_eq!(history.len(), 4, "created, unit, disabled, enabled: {history:?}");
        let admin = s.admin.id;
        assert!(history.iter().all(|h| h.user_id == Some(admin)));
    }

    fn bad_input_is_refused_with_one_line_and_nothing_changed(s) {
        let before = s.all();
        s.run(&["user", "add", "sara", "--name", "Sara Ahmadi"])
            .refused(1, "Login: sara is already Sara Rahimi's login");
        s.run(&["user", "add", "Nasrin", "--name", "Nasrin"])
            .refused(1, "Login: Nasrin must start with a lowercase letter");
        s.run(&["user", "add", "nasrin", "--name", "  "]).refused(1, "Name: is required");
        s.run(&["user", "add", "nasrin", "--name", "Nasrin", "--unit", "Mars office"])
            .refused(1, "There is no organisational unit \"Mars office\" for --unit; there are: Head office, Head office / Tehran sales.");
        s.run(&["user", "add", "nasrin", "--name", "Nasrin", "--role", "boss"]).expect_code(2);
        s.run(&["user", "set-role", "nobody", "admin"]).refused(1, "nobody is not a Peygir user");
        s.run(&["user", "set-unit", "sara", "Mars office"]).refused(1, "There is no organisational unit");
        s.run(&["user", "set-unit", "sara"]).expect_code(2);
        s.run(&["user", "enable", "nobody"]).refused(1, "nobody is not a Peygir user");
        assert_eq!(s.all(), before);
    }

    fn the_last_admin_is_not_demoted_or_disabled(s) {
        let me = users::os_login();
        let before = s.all();
        s.run(&["user", "set-role", &me, "manager"])
            .refused(1, "is the last active admin and keeps the role: make another user an admin first");
        s.run(&["user", "disable", &me]).refused(1, "is the last active admin and stays enabled");
        assert_eq!(s.all(), before);
        // With a second admin, the first may step down.
        s.run(&["user", "set-role", "sara", "admin"]).ok();
        s.run(&["user", "set-role", &me, "agent"]).ok().stdout_has("is now agent.");
        assert_eq!(s.user(&me).expect("me").role(), Role::Agent);
    }

    fn only_an_admin_manages_users(s) {
        s.demote_me();
        let before = s.all();
        let me = users::os_login();
        for args in [
            &["user", "add", "nasrin", "--name", "Nasrin"][..],
            &["user", "set-role", "sara", "admin"],
            &["user", "set-unit", "sara", "--none"],
            &["user", "disable", "boss"],
            &["user", "enable", "sara"],
        ] {
            s.run(args).refused(1, &format!("{me} may not add or change users"));
        }
        assert_eq!(s.all(), before);
        // Looking is for everyone.
        s.run(&["user", "list"]).ok().stdout_has("The Boss");
    }

    fn an_admin_acts_as_someone_else_and_nobody_else_may(s) {
        // As Sara, an agent, the admin may not add users: it is Sara acting.
        s.run(&["--user", "sara", "user", "add", "nasrin", "--name", "Nasrin"])
            .refused(1, "sara may not add or change users");
        // The option goes anywhere on the line.
        s.run(&["user", "add", "nasrin", "--name", "Nasrin", "--user", "sara"])
            .refused(1, "sara may not add or change users");
        assert!(s.user("nasrin").is_none());
        s.run(&["--user", "nobody", "user", "list"])
            .refused(1, "nobody is not a Peygir user; an admin adds this login with: peygir user add nobody --name \"…\" --role agent");
        s.run(&["user", "disable", "sara"]).ok();
        s.run(&["--user", "sara", "user", "list"]).refused(1, "the user sara is inactive");
        s.run(&["user", "enable", "sara"]).ok();

        // Someone who is not an admin may name only themselves; a forged --user runs nothing.
        s.demote_me();
        let me = users::os_login();
        let before = s.all();
        s.run(&["--user", "boss", "user", "add", "nasrin", "--name", "Nasrin", "--role", "admin"])
            .refused(1, &format!("{me} may not act as boss: only an admin may act as someone else"));
        s.run(&["--user", "boss", "user", "list"]).refused(1, "only an admin may act as someone else");
        s.run(&["--user", "nobody", "user", "list"]).refused(1, "only an admin may act as someone else");
        assert_eq!(s.all(), before);
        s.run(&["--user", &me, "user", "list"]).ok().stdout_has("The Boss");
    }

    fn an_unknown_login_is_told_how_to_be_added(s) {
        // The login running the binary is not on file: someone else is the store's admin.
        let me = users::os_login();
        diesel::update(users_table::table.filter(users_table::login.eq(&me)))
            .set(users_table::login.eq("someone-else"))
            .execute(&mut s.store.db)
            .expect("renamed");
        let run = s.run(&["user", "list"]).refused(1, &format!("{me} is not a Peygir user"));
        assert!(run.stderr.contains(&format!("peygir user add {me} --name")), "{run}");
        s.run(&["--lang", "fa", "user", "list"]).refused(1, "کاربر پیگیر نیست");
    }
}
