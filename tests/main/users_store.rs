//! Users managed through the store, on both backends: an admin adds a user (login checked and
//! unique, name cleaned, unit on file) and changes their role, unit and state, each audited;
//! every rule refused with nothing changed: a bad or taken login, a missing name, an unknown
//! unit, a stale version, the last active admin demoted or disabled (themselves included), and
//! anyone but an admin. And who a session acts as: the person running Peygir, or whom an admin
//! names, never someone a non-admin names; unknown and disabled users refused.

use peygir::db::Db;
use peygir::db::ids::OrgUnitId;
use peygir::error::Error;
use peygir::store::users::{self, Resolved, User};
use peygir::store::{Actor, Role, audit, org_units};

use crate::support::admin;

/// The store's first admin, `admin`, and the unit Tehran sales.
fn ready(db: &mut Db) -> (Actor, OrgUnitId) {
    let admin = admin(db);
    let unit = org_units::find_or_add(db, None, "Tehran sales").expect("a unit");
    (admin, unit)
}

/// The acting user of the user on file `user`.
fn actor(user: &User) -> Actor {
    Actor {
        id: user.id,
        login: user.login.clone(),
        role: user.role(),
    }
}

/// The (field, reason) pairs of a refusal as invalid.
fn refusals<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<(&'static str, String)> {
    match result {
        Err(Error::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.reason)).collect(),
        other => panic!("expected a refusal as invalid, got {other:?}"),
    }
}

fn by_login(db: &mut Db, login: &str) -> User {
    users::by_login(db, login)
        .expect("read")
        .unwrap_or_else(|| panic!("{login} is on file"))
}

/// The logins on file, by login.
fn logins(db: &mut Db) -> Vec<String> {
    users::all(db)
        .expect("all")
        .into_iter()
        .map(|u| u.login)
        .collect()
}

fn acting(db: &mut Db, login: &str, as_user: Option<&str>) -> Result<Actor, Error> {
    users::acting(db, login, as_user).map(|resolved| resolved.actor().clone())
}

store_tests! {
    fn an_admin_adds_a_user_cleaned_and_audited(db, backend) {
        let (admin, unit) = ready(db);
        let added = users::add(db, &admin, " nasrin ", "  Nasrin \u{1b}[31m  Karimi ", Role::Manager, Some(unit))
            .expect("added");
        assert_eq!(added.login, "nasrin");
        assert_eq!(added.display_name, "Nasrin [31m  Karimi");
        assert_eq!((added.role(), added.org_unit_id, added.active), (Role::Manager, Some(unit), true));
        assert_eq!(by_login(db, "nasrin"), added);
        let history = audit::history(db, users::ENTITY, added.id).expect("audit");
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0].action, "create");
        assert_eq!(history[0].user_id, Some(admin.id));
        assert!(history[0].new_values.as_deref().is_some_and(|v| v.contains("\"manager\"")));
        // Logins with digits, dots, underscores and dashes, and no unit.
        for login in ["a", "ali.karimi", "ali_karimi-2", "x23456789012345678901234567890ab"] {
            users::add(db, &admin, login, "Someone", Role::Agent, None)
                .unwrap_or_else(|e| panic!("{login}: {e}"));
        }
        assert_eq!(logins(db).len(), 6);
        // The new user is the one who acts when they run Peygir.
        let nasrin = acting(db, "nasrin", None).expect("nasrin acts");
        assert_eq!((nasrin.id, nasrin.role), (added.id, Role::Manager));
    }

    fn a_bad_login_name_and_unit_are_refused_at_once_with_nothing_stored(db, backend) {
        let (admin, _) = ready(db);
        let before = logins(db);
        let refused = refusals(users::add(db, &admin, "Nasrin", " \t ", Role::Agent, Some(OrgUnitId(999_999))));
        let fields: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, [users::FIELD_LOGIN, users::FIELD_DISPLAY_NAME, users::FIELD_UNIT]);
        assert!(refused[0].1.contains("must start with a lowercase letter"), "{refused:?}");
        assert!(refused[1].1.contains("required"), "{refused:?}");
        assert!(refused[2].1.contains("no organisational unit 999999"), "{refused:?}");
        for (login, reason) in [
            ("", "required"),
            ("2pac", "must start with a lowercase letter"),
            ("_ali", "must start with a lowercase letter"),
            ("ali karimi", "holds \" \""),
            ("ali@home", "holds \"@\""),
            ("alí", "holds \"í\""),
            ("x234567890123456789012345678901ab", "at most 32"),
        ] {
            let refused = refusals(users::add(db, &admin, login, "Someone", Role::Agent, None));
            assert_eq!(refused.len(), 1, "{login}: {refused:?}");
            assert_eq!(refused[0].0, users::FIELD_LOGIN, "{login}");
            assert!(refused[0].1.contains(reason), "{login}: {refused:?}");
        }
        let long = "n".repeat(users::MAX_DISPLAY_NAME + 1);
        let refused = refusals(users::add(db, &admin, "long", &long, Role::Agent, None));
        assert_eq!(refused[0].0, users::FIELD_DISPLAY_NAME);
        assert_eq!(logins(db), before);
    }

    fn a_login_is_one_user_s(db, backend) {
        let (admin, _) = ready(db);
        users::add(db, &admin, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let refused = refusals(users::add(db, &admin, "sara", "Sara Ahmadi", Role::Manager, None));
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].0, users::FIELD_LOGIN);
        assert_eq!(refused[0].1, "sara is already Sara Rahimi's login");
        let sara = by_login(db, "sara");
        assert_eq!((sara.display_name.as_str(), sara.role()), ("Sara Rahimi", Role::Agent));
        assert_eq!(logins(db), ["admin", "sara"]);
    }

    fn only_an_admin_manages_users(db, backend) {
        let (admin, unit) = ready(db);
        let sara = users::add(db, &admin, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let reza = users::add(db, &admin, "reza", "Reza Ahmadi", Role::Manager, Some(unit)).expect("reza");
        let me = by_login(db, "admin");
        for actor in [actor(&sara), actor(&reza)] {
            let forbidden = |result: Result<User, Error>| match result {
                Err(Error::Forbidden { user, what }) => {
                    assert_eq!(user, actor.login);
                    assert_eq!(what, "add or change users");
                }
                other => panic!("{} should be refused, got {other:?}", actor.login),
            };
            forbidden(users::add(db, &actor, "nasrin", "Nasrin", Role::Agent, None));
            forbidden(users::set_role(db, &actor, sara.id, sara.version, Role::Admin));
            forbidden(users::set_role(db, &actor, me.id, me.version, Role::Agent));
            forbidden(users::set_unit(db, &actor, sara.id, sara.version, Some(unit)));
            forbidden(users::set_active(db, &actor, me.id, me.version, false));
        }
        assert_eq!(by_login(db, "sara"), sara);
        assert_eq!(by_login(db, "admin"), me);
        assert_eq!(logins(db), ["admin", "reza", "sara"]);
        assert_eq!(audit::history(db, users::ENTITY, sara.id).expect("audit").len(), 1);
    }

    fn a_role_a_unit_and_the_state_change_audited_and_a_stale_version_is_refused(db, backend) {
        let (admin, unit) = ready(db);
        let sara = users::add(db, &admin, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let promoted = users::set_role(db, &admin, sara.id, sara.version, Role::Manager).expect("promoted");
        assert_eq!((promoted.role(), promoted.version), (Role::Manager, sara.version + 1));
        // The same role again changes nothing.
        let same = users::set_role(db, &admin, sara.id, promoted.version, Role::Manager).expect("same");
        assert_eq!(same, promoted);
        // A change made from what was read before the promotion is refused.
        assert!(matches!(
            users::set_unit(db, &admin, sara.id, sara.version, Some(unit)),
            Err(Error::Conflict { .. })
        ));
        let placed = users::set_unit(db, &admin, sara.id, promoted.version, Some(unit)).expect("placed");
        assert_eq!(placed.org_unit_id, Some(unit));
        let refused = refusals(users::set_unit(db, &admin, sara.id, placed.version, Some(OrgUnitId(999_999))));
        assert_eq!(refused[0].0, users::FIELD_UNIT);
        let unplaced = users::set_unit(db, &admin, sara.id, placed.version, None).expect("no unit");
        assert_eq!(unplaced.org_unit_id, None);
        let disabled = users::set_active(db, &admin, sara.id, unplaced.version, false).expect("disabled");
        assert!(!disabled.active);
        assert!(matches!(users::resolve_actor(db, "sara"), Err(Error::InactiveUser { .. })));
        assert!(!users::experts(db).expect("experts").iter().any(|u| u.id == sara.id));
        let enabled = users::set_active(db, &admin, sara.id, disabled.version, true).expect("enabled");
        assert!(enabled.active);
        assert_eq!(acting(db, "sara", None).expect("sara acts again").role, Role::Manager);
        // Every change is in the log with the values before and after.
        let history = audit::history(db, users::ENTITY, sara.id).expect("audit");
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "update", "update", "update", "update"], "{history:?}");
        let role_change = history.iter().find(|h| {
            h.old_values.as_deref().is_some_and(|v| v.contains("\"agent\""))
                && h.new_values.as_deref().is_some_and(|v| v.contains("\"manager\""))
        });
        assert!(role_change.is_some(), "{history:?}");
        assert!(history.iter().all(|h| h.user_id == Some(admin.id)));
    }

    fn the_last_active_admin_is_never_demoted_or_disabled(db, backend) {
        let (admin, _) = ready(db);
        let me = by_login(db, "admin");
        // Alone: not even by themselves.
        let refused = refusals(users::set_role(db, &admin, me.id, me.version, Role::Manager));
        assert_eq!(refused[0].0, users::FIELD_ROLE);
        assert!(refused[0].1.contains("admin is the last active admin"), "{refused:?}");
        let refused = refusals(users::set_active(db, &admin, me.id, me.version, false));
        assert_eq!(refused[0].0, users::FIELD_ACTIVE);
        assert!(refused[0].1.contains("last active admin"), "{refused:?}");
        assert_eq!(by_login(db, "admin"), me);
        // A disabled admin does not count.
        let old = users::add(db, &admin, "old", "Old Admin", Role::Admin, None).expect("old");
        users::set_active(db, &admin, old.id, old.version, false).expect("disabled");
        refusals(users::set_role(db, &admin, me.id, me.version, Role::Agent));
        // With another active admin, one may go; then the other is the last.
        let mina = users::add(db, &admin, "mina", "Mina Admin", Role::Admin, None).expect("mina");
        let demoted = users::set_role(db, &admin, me.id, me.version, Role::Agent).expect("demoted");
        assert_eq!(demoted.role(), Role::Agent);
        let mina_acts = acting(db, "mina", None).expect("mina");
        let refused = refusals(users::set_active(db, &mina_acts, mina.id, mina.version, false));
        assert!(refused[0].1.contains("Mina Admin is the last active admin"), "{refused:?}");
        refusals(users::set_role(db, &mina_acts, mina.id, mina.version, Role::Manager));
        // Disabling a non-admin, or an admin while another is active, goes through.
        let me = by_login(db, "admin");
        users::set_active(db, &mina_acts, me.id, me.version, false).expect("a non-admin disabled");
        let old = by_login(db, "old");
        let old = users::set_active(db, &mina_acts, old.id, old.version, true).expect("enabled");
        users::set_active(db, &mina_acts, old.id, old.version, false).expect("disabled again");
        let admins: Vec<String> = users::all(db)
            .expect("all")
            .into_iter()
            .filter(|u| u.active && u.role() == Role::Admin)
            .map(|u| u.login)
            .collect();
        assert_eq!(admins, ["mina"]);
    }

    fn an_admin_acts_as_someone_else_and_no_one_else_may(db, backend) {
        let (admin, _) = ready(db);
        let sara = users::add(db, &admin, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let gone = users::add(db, &admin, "gone", "Gone Away", Role::Agent, None).expect("gone");
        users::set_active(db, &admin, gone.id, gone.version, false).expect("disabled");
        // The admin as Sara.
        let as_sara = acting(db, "admin", Some("sara")).expect("as sara");
        assert_eq!(as_sara, actor(&sara));
        // Naming oneself is acting as oneself, for anyone.
        assert_eq!(acting(db, "sara", Some("sara")).expect("herself"), actor(&sara));
        assert_eq!(acting(db, "admin", Some("admin")).expect("himself"), admin);
        // Sara may not act as anyone else, known or not.
        for other in ["admin", "nobody"] {
            match acting(db, "sara", Some(other)) {
                Err(Error::Forbidden { user, what }) => {
                    assert_eq!(user, "sara");
                    assert!(what.contains("only an admin may act as someone else"), "{what}");
                    assert!(what.contains(other), "{what}");
                }
                result => panic!("sara as {other}: {result:?}"),
            }
        }
        // Unknown and disabled users are refused, for an admin too.
        let Err(unknown) = acting(db, "admin", Some("nobody")) else {
            panic!("nobody is not on file");
        };
        assert!(matches!(unknown, Error::UnknownUser { ref user } if user == "nobody"));
        assert!(unknown.to_string().contains("peygir user add nobody --name"), "{unknown}");
        assert!(matches!(acting(db, "admin", Some("gone")), Err(Error::InactiveUser { .. })));
        assert!(matches!(acting(db, "gone", None), Err(Error::InactiveUser { .. })));
        assert!(matches!(acting(db, "stranger", Some("sara")), Err(Error::UnknownUser { .. })));
    }

    fn on_an_empty_store_the_first_login_is_the_admin_unless_it_names_someone_else(db, backend) {
        // Naming another user on the first start refuses, and registers no one.
        assert!(matches!(acting(db, "nasrin", Some("sara")), Err(Error::UnknownUser { .. })));
        assert!(logins(db).is_empty());
        match users::acting(db, "nasrin", None).expect("the first admin") {
            Resolved::FirstAdmin(first) => assert_eq!(first.role, Role::Admin),
            Resolved::Existing(_) => panic!("the store had no users"),
        }
        assert!(matches!(users::acting(db, "nasrin", None), Ok(Resolved::Existing(_))));
        assert_eq!(logins(db), ["nasrin"]);
    }

    fn the_users_are_read_by_login_a_window_at_a_time(db, backend) {
        let (admin, _) = ready(db);
        for login in ["dina", "bahar", "ehsan", "cyrus"] {
            users::add(db, &admin, login, login, Role::Agent, None).expect("added");
        }
        let first = users::page(db, None, 2).expect("page");
        let names = |rows: &[User]| rows.iter().map(|u| u.login.clone()).collect::<Vec<_>>();
        assert_eq!(names(&first), ["admin", "bahar"]);
        assert_eq!(names(&users::page(db, Some("bahar"), 2).expect("page")), ["cyrus", "dina"]);
        assert_eq!(names(&users::page_before(db, "dina", 2).expect("before")), ["bahar", "cyrus"]);
        assert_eq!(names(&users::last_page(db, 2).expect("last")), ["dina", "ehsan"]);
        assert_eq!(users::count(db).expect("count"), 5);
        assert_eq!(logins(db), ["admin", "bahar", "cyrus", "dina", "ehsan"]);
    }
}
