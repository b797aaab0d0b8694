import ArgumentParser
import CustodyStore

/// `--db PATH`, falling back to `CUSTODY_DB`, then `./custody.db`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Case database file (default: $CUSTODY_DB, else ./custody.db).", valueName: "path"))
    var db: String?

    var path: String { CaseDatabase.resolvePath(db) }

    func open(readOnly: Bool = false) throws -> CaseDatabase {
        try CaseDatabase(path: path, readOnly: readOnly)
    }
}
