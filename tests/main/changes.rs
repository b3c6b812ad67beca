//! The change token another session's screen reads every second, on both backends: it stays put
//! while nothing changes and moves when another connection commits a change.

use peygir::db::{self, StoreUrl};
use peygir::store::changes;
use peygir::store::contacts::{self, ContactFields};

use crate::support::binary;
use crate::support::{Backend, admin};

struct Setup {
    store: binary::Store,
}

fn setup(backend: Backend) -> Option<Setup> {
    Some(Setup {
        store: binary::Store::open(backend, "changes")?,
    })
}

cli_tests! {
    fn another_sessions_change_moves_the_token(s) {
        let mut other = db::connect(&StoreUrl::parse(&s.store.url)).expect("a second session");
        let actor = admin(&mut other);
        let mine = &mut s.store.db;
        let before = changes::token(mine).expect("token");
        assert_eq!(changes::token(mine).expect("token"), before, "nothing changed");
        contacts::create(
            &mut other,
            &actor,
            ContactFields {
                kind: "person".into(),
                last_name: Some("Karimi".into()),
                ..ContactFields::default()
            },
        )
        .expect("a contact");
        let after = changes::token(mine).expect("token");
        assert_ne!(after, before, "another session's change is seen");
        assert_eq!(changes::token(mine).expect("token"), after, "and seen once");
    }
}
