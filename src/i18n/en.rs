//! English messages.

pub const MESSAGES: &[(&str, &str)] = &[
    // Errors
    (
        "error.store-open",
        "cannot open the store {store}: {reason}",
    ),
    ("error.no-folder", "the folder {folder} does not exist"),
    ("error.read-only", "the file is read-only"),
    (
        "error.not-a-database",
        "the file is not a Peygir database (or it is damaged): {detail}",
    ),
    (
        "error.newer-store",
        "it was written by a newer Peygir (unknown migrations: {versions}); upgrade Peygir to use it",
    ),
    (
        "error.migration",
        "migrating the store {store} failed: {reason}",
    ),
    ("error.database", "database error: {detail}"),
    (
        "error.conflict",
        "{entity} {id} was changed by someone else since you opened it; reload and try again",
    ),
    ("error.not-found", "{entity} {id} does not exist"),
    ("error.invalid", "{field}: {reason}"),
    ("error.forbidden", "{user} may not {what}"),
    ("error.inactive-user", "the user {user} is inactive"),
    (
        "error.unknown-user",
        "{user} is not a Peygir user; ask an admin to add this login",
    ),
    ("error.no-login", "cannot tell which user is running Peygir"),
    ("error.config", "ignoring the config file {path}: {reason}"),
    ("error.terminal", "the terminal could not be used: {reason}"),
    // Validation reasons
    ("invalid.required", "is required"),
    (
        "invalid.national-code",
        "is not a valid national code (10 digits with a check digit)",
    ),
    (
        "invalid.company-national-id",
        "is not a valid company national ID (11 digits with a check digit)",
    ),
    ("invalid.negative", "must not be negative"),
    ("invalid.duplicate", "is already on file for {name}"),
    // Field names
    ("field.first-name", "First name"),
    ("field.last-name", "Last name"),
    ("field.company-name", "Company name"),
    ("field.national-code", "National code"),
    ("field.company-national-id", "Company national ID"),
    ("field.staff-count", "Number of staff"),
    ("field.turnover", "Turnover"),
    // Entities
    ("entity.contact", "Contact"),
    ("entity.user", "User"),
    // Panes
    ("pane.inbox", "Inbox"),
    ("pane.contacts", "Contacts"),
    ("pane.cases", "Cases"),
    ("pane.followups", "Follow-ups"),
    ("pane.complaints", "Complaints"),
    ("pane.plans", "Plans"),
    ("pane.reports", "Reports"),
    // Screens
    ("app.title", "Peygir"),
    ("contacts.kind.person", "person"),
    ("contacts.kind.company", "company"),
    (
        "contacts.empty",
        "The store has no contacts yet. To try Peygir with demo data, quit (q) and run:  peygir demo",
    ),
    ("contacts.title", "Contacts ({count})"),
    ("pane.not-yet", "This pane is not built yet."),
    ("hint.quit", "quit"),
    ("hint.move", "move"),
    ("hint.pane", "pane"),
    (
        "terminal.too-small",
        "The terminal is too small: {width}x{height}; Peygir needs at least {min_width}x{min_height}.",
    ),
    // Command line
    ("cli.migrated", "Applied {count} migration(s) to {store}."),
    ("cli.up-to-date", "The store {store} is up to date."),
    ("status.backend", "Backend"),
    ("status.location", "Location"),
    ("status.applied", "Applied migrations"),
    ("status.pending", "Pending migrations"),
    ("status.rows", "Rows"),
    ("status.none", "none"),
    ("demo.start", "Filling {store} with demo data (seed {seed})"),
    (
        "demo.not-empty",
        "The store already has contacts; demo data goes only into an empty store",
    ),
    ("demo.step.reference", "lists and users"),
    ("demo.step.contacts", "contacts"),
    ("demo.step.cases", "cases"),
    ("demo.step.followups", "follow-ups"),
    ("demo.step.rest", "complaints, plans and sales"),
    (
        "demo.done",
        "Demo data: {contacts} contacts, {cases} cases, {followups} follow-ups, {actions} planned actions, {complaints} complaints, {sales} sales in {seconds} s.",
    ),
    (
        "user.first-admin",
        "Registered {login} as the first user (admin).",
    ),
];
